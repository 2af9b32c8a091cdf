"""``qunbot ads check [TEXT] [--known-usernames FILE] [--new-member]``: the detector's verdict
with its reasons, as the bot would judge the message.

Without TEXT it reads stdin, one message a line: a JSON object is a platform message (a
Telegram Bot API ``Message``, or a Discord message with ``"platform": "discord"``; see
``plugins.ads.recorded``), which goes through the adapter's converter into an event as in the
bot; any other line is plain text. Each input gives one output line: ``ad`` or ``benign`` (or
``error`` for a line that is not a message), a tab, the reasons. The group's rules are those
of ``[plugins.ads]`` (and the group's table and ``/ads allow`` entries when the message names
a group the bot knows); ``--known-usernames`` (one a line) stands in for the roster's members,
``--new-member`` judges every sender as a newcomer (more strictly, as the bot does)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bot import GroupRef, Scope
from bot.events import Event, Message
from plugins.ads import plugin
from plugins.ads.detector import detect
from plugins.ads.policy import sample_of
from plugins.ads.recorded import NEUTRAL_GROUP, BadLine, to_event
from plugins.ads.rules import AdRules

__all__ = ["check"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qunbot ads check", description=__doc__)
    parser.add_argument("text", nargs="*", help="a text to judge (default: messages on stdin)")
    parser.add_argument(
        "--known-usernames", type=Path, metavar="FILE", help="usernames of members, one a line"
    )
    parser.add_argument("--new-member", action="store_true", help="judge senders as newcomers")
    return parser


def _usernames(path: Path) -> frozenset[str]:
    names = (line.strip().lstrip("@").casefold() for line in path.read_text("utf-8").splitlines())
    return frozenset(name for name in names if name)


def _not_judged(event: Event, message: Message) -> str | None:
    """Why the bot would not judge this message at all (policy.handle_message's exemptions)."""
    user, guild = event.user, event.guild
    if message.automatic_forward:
        return "not judged: the linked channel's post, copied by the platform"
    if user is not None and user.is_bot:
        return "not judged: sent by a bot"
    if user is not None and guild is not None and user.is_channel and user.id == guild.id:
        return "not judged: an anonymous admin (the group itself)"
    return None


class _Checker:
    def __init__(self, scope: Scope, known: frozenset[str], new_member: bool) -> None:
        self.rules = scope.service(AdRules)
        self.known = known
        self.new_member = new_member

    async def line(self, line: str, number: int) -> str:
        if not line.lstrip().startswith("{"):
            event = None
            message = Message(id=str(number), text=line)
        else:
            try:
                event = to_event(line, number)
            except BadLine as exc:
                return f"error\tline {number}: {exc}"
            message = getattr(event, "message", None)
            if message is None:
                return "benign\tnothing to judge: the platform reports no message here"
            exempt = _not_judged(event, message)
            if exempt:
                return f"benign\t{exempt}"
        sample = sample_of(message)
        if not (sample.text or sample.links or sample.buttons or sample.via_bot or sample.forward_kind):
            return "benign\tnothing to judge: no text, link, button or forward"
        guild = event.guild if event is not None else None
        platform = event.platform if event is not None else "telegram"
        gid = guild.id if guild is not None else str(NEUTRAL_GROUP)
        rules = await self.rules.rules(GroupRef(platform, gid, gid))
        if event is not None and event.user is not None and rules.allows_member(event.user.id):
            return "benign\tnot judged: a whitelisted member"
        strict = self.new_member and bool(sample.links or sample.usernames or sample.buttons)
        policy = rules.policy(strict)
        verdict = detect(sample, replace(policy, members=policy.members | self.known))
        label = "ad" if verdict.is_ad else "benign"
        return f"{label}\t{verdict.explain()} (score {verdict.score:g} of {verdict.threshold:g})"


@plugin.cli("check")
async def check(scope: Scope, args: list[str]) -> int:
    """The detector's verdict on a text or on each message on stdin, with its reasons."""
    try:
        options = _parser().parse_args(args)
    except SystemExit as exc:  # argparse said what was wrong on stderr
        return int(exc.code or 0)
    try:
        known = _usernames(options.known_usernames) if options.known_usernames else frozenset()
    except OSError as exc:
        print(f"qunbot ads check: cannot read {options.known_usernames}: {exc.strerror}", file=sys.stderr)
        return 2
    checker = _Checker(scope, known, options.new_member)
    lines: Iterable[str] = [" ".join(options.text)] if options.text else (
        line.rstrip("\n") for line in sys.stdin
    )
    failed = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        answer = await checker.line(line, number)
        failed += answer.startswith("error\t")
        print(answer, flush=True)
    return 1 if failed else 0
