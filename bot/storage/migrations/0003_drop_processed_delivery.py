from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    # Redelivered updates are recognised by the adapters (Telegram: a watermark of handled
    # update ids in core_sync_state, written once per batch), not by a row per delivery.
    dependencies = [("core", "0002_group_key")]

    operations = [
        ops.DeleteModel(name="ProcessedDelivery"),
    ]
