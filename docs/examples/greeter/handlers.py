"""Events: a newcomer is greeted in the group they joined."""

from bot import Context, MemberJoined
from greeter import plugin
from greeter.models import Welcome


@plugin.on(MemberJoined)
async def greet(ctx: Context, event: MemberJoined) -> None:
    assert ctx.group is not None and event.user is not None
    name = event.user.display_name
    welcome = await Welcome.of(ctx.group)
    # The group's own text, else ours in the newcomer's language.
    await ctx.send(welcome.text.replace("{name}", name) if welcome else ctx.t("greeter.welcome", name=name))
