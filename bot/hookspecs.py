"""Hook specifications of the core (``bot_`` prefix).

pluggy cannot await, so the core drives async implementations itself (see
:class:`bot.plugin.HookDriver`): in pluggy's order, ``tryfirst``/``trylast`` honoured, each
awaited, ``firstresult`` respected, and a failing implementation isolated and logged.
Plugins may add their own specs (``Plugin(hookspecs=...)``) for others to implement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from bot.app import App
    from bot.commands import CommandRegistry, CommandSpec
    from bot.context import Context
    from bot.scheduler import JobContext

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "qunbot"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def bot_register(registry: CommandRegistry) -> None:
    """Called once when the plugins are loaded, before start-up.

    :param registry: the command registry; add commands that are not declared with
        ``@plugin.command`` (rarely needed).
    """


@hookspec
def bot_startup(app: App) -> None:
    """The database is ready and every plugin is loaded; adapters are not online yet.

    :param app: the running application.
    """


@hookspec
def bot_adapter_ready(app: App, platform: str) -> None:
    """An adapter is online (after every reconnect too: make it idempotent).

    :param app: the running application.
    :param platform: ``telegram``, ``discord`` or ``console``.
    """


@hookspec
def bot_shutdown(app: App) -> None:
    """The bot is stopping; adapters are already offline, the database is still open.

    :param app: the running application.
    """


@hookspec(firstresult=True)
def bot_event_filter(ctx: Context) -> bool | None:
    """Decide whether an event reaches commands and handlers. The first non-None answer wins.

    :param ctx: the context of the event.
    :return: False to drop the event, True to let it through without asking others, None to
        abstain.
    """


@hookspec
def bot_event(ctx: Context) -> None:
    """Every event that passed the filters, after the roster was updated.

    :param ctx: the context of the event.
    """


@hookspec(firstresult=True)
def bot_check_permission(ctx: Context, command: CommandSpec) -> bool | None:
    """Override the level check of a command. The first non-None answer wins.

    :param ctx: the context of the invocation.
    :param command: the command being invoked.
    :return: True to allow, False to refuse, None to leave it to the level check.
    """


@hookspec
def bot_command_error(ctx: Context, command: CommandSpec, error: BaseException) -> None:
    """A command handler raised. The member has already received a short apology.

    :param ctx: the context of the invocation.
    :param command: the command that failed.
    :param error: the exception.
    """


@hookspec
def bot_job_error(job: JobContext, error: BaseException) -> None:
    """A scheduled job raised (it is recorded as failed and retried at its next slot).

    :param job: the job's context.
    :param error: the exception.
    """


@hookspec
def bot_delete_user_data(platform: str, user_id: str) -> None:
    """Delete everything stored about a user (``/forgetme``, a data request).

    :param platform: the user's platform.
    :param user_id: the platform-local user id.
    """


@hookspec
def bot_guild_migrated(platform: str, old_id: str, new_id: str) -> None:
    """A group changed id (a Telegram group upgraded to a supergroup). Re-key your rows.

    Called at most once per (old_id, new_id) pair.

    :param platform: the platform.
    :param old_id: the group's old id.
    :param new_id: the group's new id.
    """

