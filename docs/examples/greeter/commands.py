"""/roll and /welcome: what members and admins type."""

import random

from bot import Context, PermissionLevel, Rest
from greeter import plugin
from greeter.models import Welcome


@plugin.command("roll", description="greeter.cmd.roll")
async def roll(ctx: Context, sides: int = 6) -> None:
    """Arguments come from the signature: a wrong one is answered with the usage line."""
    if not 2 <= sides <= ctx.config.max_sides:
        await ctx.reply(ctx.t("greeter.bad_sides", max=ctx.config.max_sides))
        return
    await ctx.reply(ctx.t("greeter.rolled", sides=sides, value=random.randint(1, sides)))


@plugin.command("welcome", description="greeter.cmd.welcome", guild_only=True)
async def show_welcome(ctx: Context) -> None:
    assert ctx.group is not None
    welcome = await Welcome.of(ctx.group)
    text = welcome.text if welcome else ctx.t("greeter.welcome", name="{name}")
    await ctx.reply(ctx.t("greeter.current", text=text))


@plugin.command(
    "welcome set", description="greeter.cmd.welcome_set", level=PermissionLevel.ADMIN, guild_only=True
)
async def set_welcome(ctx: Context, text: Rest) -> None:
    assert ctx.group is not None and ctx.member is not None
    await Welcome.update_or_create(
        platform=ctx.group.platform,
        group_key=ctx.group.key,
        defaults={"text": text[:500], "set_by": ctx.member.user_id},
    )
    await ctx.audit("welcome.set", text=text[:500])
    await ctx.reply(ctx.t("greeter.saved"))
