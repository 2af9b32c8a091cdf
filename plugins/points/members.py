"""Whether a user the command names is a current member of the group it is run in.

The roster answers for everyone the bot has seen in the group (joined, spoke, left). A user it
never saw there but the platform hands over as a mention (a Discord slash option, a Telegram
mention of someone who never spoke) is asked of the platform, where it can tell.
"""

from __future__ import annotations

from bot import Context, NotSupported, PlatformError

__all__ = ["in_group"]


async def in_group(ctx: Context, user_id: str) -> bool:
    assert ctx.group is not None
    entry = await ctx.roster.member(ctx.group, user_id)
    if entry is not None:
        return entry.is_member
    try:
        return await ctx.bot.get_member(ctx.group.id, user_id) is not None
    except (NotSupported, PlatformError):
        return False
