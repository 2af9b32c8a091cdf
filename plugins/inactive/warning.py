"""The warning before a removal: each member privately where the platform lets the bot (in their
own language, with the reason and the deadline in the group's time), one group message naming
the others, and a line in the group for the admins either way.

Each member's row records how the warning reached them, after it went out: a crash in between
warns them twice, never not at all; the deadline job resumes warnings a crash cut short, and a
member whose warning never went out is spared at the deadline.
"""

from __future__ import annotations

from typing import Any

from bot import MemberRef, Mention, PlatformError, Scope, Text
from plugins.inactive.config import InactiveSettings
from plugins.inactive.models import Candidate, Sweep
from plugins.inactive.views import local, why

__all__ = ["warn"]


async def warn(scope: Scope, group: Any, sweep_id: int, settings: InactiveSettings) -> None:
    sweep = await Sweep.get(id=sweep_id)
    candidates = await Candidate.filter(sweep_id=sweep_id, state="pending", warned="").order_by("id")
    if not candidates:
        return
    info = await scope.roster.group(group)
    group_locale = await scope.group_locale(group)
    name = info.ref.name or group.id
    now = scope.now
    private: list[Candidate] = []
    public: list[Candidate] = []
    for c in candidates:
        if not settings.warn_privately:
            public.append(c)
            continue
        locale = await scope.roster.locale_of(group.platform, c.user_id) or group_locale

        def t(key: str, _locale: str = locale, **p: Any) -> str:
            return scope.translate(_locale, key, **p)

        text = t(
            "inactive.warn.dm", group=name, deadline=local(sweep.deadline, info.timezone),
            why=why(t, c, settings, now, info.timezone),
        )
        try:
            await scope.send_private(MemberRef(group.platform, c.user_id, group), text)
        except PlatformError:
            public.append(c)  # they never opened a private chat with the bot, or closed it
            continue
        await Candidate.filter(id=c.id, warned="").update(warned="dm")
        private.append(c)
    message = _group_message(scope, group_locale, sweep, info.timezone, private, public)
    sent = await scope.send_to(group, message, wait=True)  # who was warned here is recorded
    if public and sent is not None:
        await Candidate.filter(id__in=[c.id for c in public], warned="").update(warned="group")


def _group_message(
    scope: Scope, locale: str, sweep: Sweep, tz: Any, private: list[Candidate], public: list[Candidate]
) -> list:
    def t(key: str, **p: Any) -> str:
        return scope.translate(locale, key, **p)

    deadline = local(sweep.deadline, tz)
    elements: list = []
    if public:
        elements.append(Text(t("inactive.warn.head", n=len(public), deadline=deadline)))
        for number, c in enumerate(public):
            if number:
                elements.append(Text(t("inactive.warn.sep")))
            elements.append(Mention(c.user_id, c.name or c.user_id, notify=True))
        if private:
            elements.append(Text("\n" + t("inactive.warn.also_private", n=len(private))))
    else:
        elements.append(Text(t("inactive.warn.private", n=len(private), deadline=deadline)))
    elements.append(Text(t("inactive.warn.foot", run=sweep.id)))
    return elements
