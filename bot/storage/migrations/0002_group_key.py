from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint


class Migration(migrations.Migration):
    # Groups get a stable key: the id they have now (a group already migrated to a new id had
    # its rows re-keyed to that id, so the current id is the key of its rows).
    dependencies = [("core", "0001_initial")]

    operations = [
        ops.AddField(
            model_name="GuildSettings",
            name="group_key",
            field=fields.CharField(default="", max_length=32),
        ),
        ops.RunSQL('UPDATE "core_guild" SET "group_key" = "guild_id"'),
        ops.AddConstraint(
            model_name="GuildSettings",
            constraint=UniqueConstraint(fields=("platform", "group_key")),
        ),
    ]
