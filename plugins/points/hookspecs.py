"""Hooks other plugins may implement (``@hookimpl def points_changed(...)``).

Both are called after the change has been committed.
"""

from __future__ import annotations

from bot import hookspec

__all__ = ["level_up", "points_changed"]


@hookspec
def points_changed(
    platform: str, guild_id: str | None, user_id: str, amount: int, balance: int, kind: str, plugin: str
) -> None:
    """A member's points changed.

    :param platform: the member's platform.
    :param guild_id: the group where it happened (None outside a group).
    :param user_id: the platform-local user id.
    :param amount: the signed change.
    :param balance: the balance after the change.
    :param kind: earn, spend, transfer, penalty or refund.
    :param plugin: the plugin that made the change.
    """


@hookspec
def level_up(platform: str, guild_id: str | None, user_id: str, level: int, title: str) -> None:
    """A member reached a new level (once per level; a jump of several levels is one call).

    :param platform: the member's platform.
    :param guild_id: the group where the XP was earned (None outside a group).
    :param user_id: the platform-local user id.
    :param level: the new level.
    :param title: the title of the new level, in the group's language.
    """
