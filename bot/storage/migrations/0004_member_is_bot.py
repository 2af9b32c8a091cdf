from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    # Members know whether they are bots, so rules that select members can leave bots out.
    # Members seen before this learn it from their account (the platform said so there).
    dependencies = [("core", "0003_drop_processed_delivery")]

    operations = [
        ops.AddField(
            model_name="RosterMember",
            name="is_bot",
            field=fields.BooleanField(default=False),
        ),
        ops.RunSQL(
            'UPDATE "core_member" SET "is_bot" = TRUE WHERE EXISTS (SELECT 1 FROM "core_account" a'
            ' WHERE a."platform" = "core_member"."platform" AND a."user_id" = "core_member"."user_id"'
            ' AND a."is_bot")'
        ),
    ]
