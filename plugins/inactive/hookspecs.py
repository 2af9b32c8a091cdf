"""Hooks the inactive plugin asks (``scope.emit``); the plugins that know the answer implement
them, so neither imports the other. A rule whose hook nobody answers (its plugin is not
enabled) selects nobody.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot import hookspec

if TYPE_CHECKING:
    from bot import GroupRef, Scope

__all__ = ["inactive_activity", "inactive_ads_last_step", "inactive_onboarding_incomplete"]


@hookspec
def inactive_onboarding_incomplete(
    scope: Scope, group: GroupRef, before: datetime
) -> dict[str, datetime]:
    """Members of ``group`` who were asked the onboarding form on joining at or before
    ``before`` and have not completed it (the onboarding plugin answers).

    :param scope: the implementing plugin's scope (filled by the core).
    :param group: the group, rows keyed by ``group.key``.
    :param before: only forms asked at or before this time.
    :return: user id -> when the form was asked.
    """


@hookspec
def inactive_ads_last_step(scope: Scope, group: GroupRef) -> dict[str, datetime]:
    """Members of ``group`` whose ads ladder is at its last step now: not decayed, not pardoned
    or undone (the ads plugin answers).

    :param scope: the implementing plugin's scope (filled by the core).
    :param group: the group, rows keyed by ``group.key``.
    :return: user id -> when they took that step.
    """


@hookspec
def inactive_activity(
    scope: Scope, group: GroupRef, kinds: frozenset[str], since: datetime
) -> dict[str, datetime]:
    """Members of ``group`` active at or after ``since`` in a way the roster does not see (it
    sees messages and commands): ``redpacket`` a red packet grabbed (the redpacket plugin
    answers), ``onboarding`` the onboarding form completed or updated (the onboarding plugin).
    A plugin answers only when its kind is in ``kinds`` (what the group counts as activity).

    :param scope: the implementing plugin's scope (filled by the core).
    :param group: the group, rows keyed by ``group.key``.
    :param kinds: the kinds of activity the group counts.
    :param since: only activity at or after this time.
    :return: user id -> their latest such activity.
    """
