from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    # Days are now written in the same transaction as their points change, so every row counts
    # and "settled" is no longer read. Rows of the time the two were written one after the other:
    # a make-up card claimed but never charged (a crash, a failed charge) did not count; it goes,
    # and the member may use the card again. A check-in whose reward a crash left unpaid counted
    # already and still does (its reward stays unpaid: there is no repair path any more).
    dependencies = [("checkin", "0001_initial")]

    operations = [
        ops.RunSQL("DELETE FROM checkin_day WHERE kind = 'makeup' AND NOT settled"),
        ops.RunSQL("UPDATE checkin_day SET settled = TRUE WHERE NOT settled"),
    ]
