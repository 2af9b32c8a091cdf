"""The core's hooks: a member asked to be forgotten (/forgetme)."""

from bot import Scope, hookimpl
from greeter import plugin
from greeter.models import Welcome


class GreeterHooks:
    @hookimpl
    async def bot_delete_user_data(
        self, scope: Scope, platform: str, user_id: str, locale: str
    ) -> str | None:
        """A welcome they wrote stays for the group, without their name on it."""
        changed = await Welcome.filter(platform=platform, set_by=user_id).update(set_by=None)
        return scope.translate(locale, "greeter.forgotten") if changed else None


plugin.hooks(GreeterHooks())
