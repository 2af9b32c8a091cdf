"""An example plugin: greets newcomers, rolls dice, says good morning. See docs/plugin-guide.md."""

import random

from bot import Context, JobContext, MemberJoined, Plugin, StrictModel


class GreeterConfig(StrictModel):
    # Largest die a member may roll.
    max_sides: int = 100
    # Post a good-morning message in every group at 08:00 local time.
    morning: bool = True


plugin = Plugin("greeter", config=GreeterConfig, description="greets newcomers")


@plugin.on(MemberJoined)
async def greet(ctx: Context, event: MemberJoined) -> None:
    await ctx.send(ctx.t("greeter.welcome", name=event.user.display_name))


@plugin.command("roll", description="greeter.cmd.roll")
async def roll(ctx: Context, sides: int = 6) -> None:
    if not 2 <= sides <= ctx.config.max_sides:
        await ctx.reply(ctx.t("greeter.bad_sides", max=ctx.config.max_sides))
        return
    await ctx.reply(ctx.t("greeter.rolled", sides=sides, value=random.randint(1, sides)))


@plugin.cron("0 8 * * *")
async def good_morning(job: JobContext) -> None:
    if job.config.morning:
        await job.send(job.t("greeter.morning"))
