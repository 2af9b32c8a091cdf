"""Hook specifications of the core (``bot_`` prefix).

pluggy cannot await, so the core drives async implementations itself (see
:class:`bot.plugin.HookDriver`): in pluggy's order, ``tryfirst``/``trylast`` honoured, each
awaited, ``firstresult`` respected, and a failing implementation isolated and logged.

A ``scope`` parameter is filled by the driver with the implementing plugin's own
:class:`bot.context.Scope`; a plugin's own specs (``Plugin(hookspecs=...)``) may declare it too.
Events (messages, joins, an adapter going online or offline) are not hooks: handle them with
``@plugin.on``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.markers import hookspec

if TYPE_CHECKING:
    from bot.commands import CommandSpec
    from bot.context import Context, JobContext, Scope
    from bot.tally import Batch

__all__ = [
    "bot_check_permission",
    "bot_command_error",
    "bot_commit_batch",
    "bot_delete_user_data",
    "bot_event_filter",
    "bot_job_error",
    "bot_shutdown",
    "bot_startup",
]


@hookspec
def bot_startup(scope: Scope) -> None:
    """The database is ready and every plugin is loaded; adapters are not online yet.

    :param scope: the implementing plugin's scope.
    """


@hookspec
def bot_shutdown(scope: Scope) -> None:
    """The bot is stopping; adapters are already offline, the database is still open.

    :param scope: the implementing plugin's scope.
    """


@hookspec(firstresult=True)
def bot_event_filter(ctx: Context) -> bool | None:
    """Decide whether an event reaches commands and handlers. The first non-None answer wins.

    :param ctx: the context of the event.
    :return: False to drop the event, True to let it through without asking others, None to
        abstain.
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
def bot_commit_batch(scope: Scope, batch: Batch) -> None:
    """Write what is counted in memory (a :class:`bot.tally.Tally`) in the transaction that
    confirms a batch of deliveries to their platform: ``batch.take(tally)`` gives every count
    not written yet, held ones included; the batch puts them back if it rolls back. Runs on
    the message path, once per batch: write, don't read. A failure rolls the batch back (its
    deliveries stay unconfirmed and come again). Writes that are not counts are kept in a
    :class:`bot.tally.Backlog` (``batch.take_items``); what is told about them (read back,
    announced) goes in ``batch.after_commit``, which runs once the batch has committed.

    :param scope: the implementing plugin's scope.
    :param batch: the counts it takes, and where to write them: ``batch.connection`` has
        ``execute_many(sql, rows)`` (and ``capabilities`` for the dialect) and keeps each
        statement; the core runs them all together in one transaction once every plugin has
        added its own (on PostgreSQL as one script: one round trip).
    """


@hookspec
def bot_delete_user_data(scope: Scope, platform: str, user_id: str, locale: str) -> str | None:
    """Delete everything stored about a user (``/forgetme``, a data request).

    :param scope: the implementing plugin's scope (drop its caches of the user too).
    :param platform: the user's platform.
    :param user_id: the platform-local user id.
    :param locale: the user's language, for the note.
    :return: a note for the user (what they should still know, e.g. a gate that stays), or
        None.
    """
