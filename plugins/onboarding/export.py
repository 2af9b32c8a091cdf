"""The directory as a CSV file, by the one convention of docs/onboarding.md ("Exports"):
row 1 holds stable keys (for scripts), row 2 the labels in the group's language (for people),
then one row per profile; times are ISO 8601 in the group's timezone with its offset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.csvfile import csv_bytes, inert_cell, time_cell
from plugins.onboarding.directory import departed, visible_fields
from plugins.onboarding.models import Profile
from plugins.onboarding.texts import label_of, public_card

if TYPE_CHECKING:
    from datetime import tzinfo

    from bot import GroupRef, Scope

__all__ = ["directory_csv"]

# The member's own columns; form fields follow as "form.<key>", so no field key can clash.
COLUMNS = ("user_id", "display_name", "name_card", "completed_at", "updated_at", "left_at")


async def directory_csv(scope: Scope, group: GroupRef, locale: str, tz: tzinfo) -> tuple[bytes, int]:
    """The group's directory as admins may see it (hidden fields stay out), members who left
    included with ``left_at``. Returns the file and the number of profiles."""
    cfg = scope.config.for_group(group)
    fields = visible_fields(cfg, "admins")
    profiles = await Profile.filter(platform=group.platform, guild_id=group.key).order_by(
        "completed_at", "id"
    )
    gone = await departed(scope, group, [p.user_id for p in profiles])
    keys = [*COLUMNS, *(f"form.{f.key}" for f in fields)]
    labels = [scope.translate(locale, f"onboarding.export.{c}") for c in COLUMNS]
    labels += [label_of(f, locale) for f in fields]
    rows = (
        [
            inert_cell(p.user_id),
            inert_cell(p.user_name),
            inert_cell(public_card(cfg, p.answers)),
            time_cell(p.completed_at, tz),
            time_cell(p.updated_at, tz),
            time_cell(gone.get(p.user_id), tz),
            *(inert_cell(str(p.answers.get(f.key, ""))) for f in fields),
        ]
        for p in profiles
    )
    # The label row goes through csv_bytes as the first data row: it is operators' text too.
    return csv_bytes(keys, [[inert_cell(label) for label in labels], *rows]), len(profiles)
