"""The rules: /rules in the group, and the welcome's Rules button (in private)."""

from __future__ import annotations

from typing import Any

from bot import Context, PlatformError
from plugins.onboarding import plugin
from plugins.onboarding.reach import group_of
from plugins.onboarding.welcome import rules_text


@plugin.command("rules", description="onboarding.cmd.rules", guild_only=True)
async def rules_cmd(ctx: Context) -> None:
    assert ctx.group is not None
    await ctx.reply(rules_text(ctx, ctx.config.for_group(ctx.group), ctx.locale))


@plugin.button("rules")
async def rules_button(ctx: Context, payload: dict[str, Any]) -> None:
    assert ctx.member is not None
    key = payload.get("guild")
    group = ctx.group if ctx.group is not None and key in (None, ctx.group.key) else None
    if group is None:
        group = await group_of(ctx, ctx.platform, key or "")
    text = rules_text(ctx, ctx.config.for_group(group), ctx.locale)
    try:
        await ctx.send_private(ctx.member, text)
        await ctx.answer(ctx.t("onboarding.welcome.rules_sent"))
    except PlatformError:
        # Private chat closed: show them in a pop-up (Telegram alerts hold about 200 characters).
        await ctx.answer(text[:190], alert=True)
