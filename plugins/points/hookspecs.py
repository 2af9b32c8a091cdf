"""Hooks other plugins may implement (``@hookimpl def points_changed(...)``).

``points_changed`` and ``level_up`` are called after the change has been committed (after the
caller's own transaction when the change was made with ``using=``), never for a change that was
rolled back. ``points_keyword`` is asked before a message earns chat XP, ``points_quiet``
before a level-up is announced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import hookspec

if TYPE_CHECKING:
    from bot import GroupRef, MemberRef, Scope

__all__ = ["level_up", "points_changed", "points_keyword", "points_quiet"]


@hookspec
def points_changed(
    scope: Scope, member: MemberRef, amount: int, balance: int, kind: str, plugin: str
) -> None:
    """A member's points changed.

    :param scope: the implementing plugin's scope (filled by the core).
    :param member: whose points; ``member.group`` is the group where it happened (None
        outside a group), keyed by its stable ``key``.
    :param amount: the signed change.
    :param balance: the balance after the change.
    :param kind: earn, spend, transfer, penalty or refund.
    :param plugin: the plugin that made the change.
    """


@hookspec
def level_up(scope: Scope, member: MemberRef, level: int, title: str) -> None:
    """A member reached a new level (once per level; a jump of several levels is one call).

    :param scope: the implementing plugin's scope (filled by the core).
    :param member: who; ``member.group`` is the group where the XP was earned (None outside
        a group).
    :param level: the new level.
    :param title: the title of the new level, in the group's language.
    """


@hookspec
def points_keyword(scope: Scope, group: GroupRef, text: str) -> bool:
    """Whether a group message is a keyword of the implementing plugin (a check-in word sent
    alone): such a message does something of its own and never earns chat XP.

    :param scope: the implementing plugin's scope (filled by the core).
    :param group: where the message was sent.
    :param text: the message's text as sent.
    :return: True to claim it; False or None to leave it to the others.
    """


@hookspec
def points_quiet(scope: Scope, group: GroupRef) -> bool:
    """Whether a group asked for quiet (the check-in plugin's quiet mode): a level-up there is
    announced only when it brings a new title.

    :param scope: the implementing plugin's scope (filled by the core).
    :param group: the group of the level-up.
    :return: True for quiet; False or None to leave it to the others.
    """
