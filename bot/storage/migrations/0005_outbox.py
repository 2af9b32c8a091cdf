import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    # Messages that wait for a flood limit are kept here until sent (bot.outbox), so handling
    # never waits for them and a restart still sends them.
    dependencies = [("core", "0004_member_is_bot")]

    operations = [
        ops.CreateModel(
            name="OutboxMessage",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("platform", fields.CharField(max_length=16)),
                ("channel_id", fields.CharField(max_length=32)),
                ("plugin", fields.CharField(max_length=32)),
                (
                    "content",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("attempts", fields.IntField(default=0)),
                ("failed", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "core_outbox", "app": "core", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
