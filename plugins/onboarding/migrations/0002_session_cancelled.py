from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    # A form the member stopped with /cancel waits for /form instead of restarting.
    dependencies = [("onboarding", "0001_initial")]

    operations = [
        ops.AddField(
            model_name="FormSession",
            name="cancelled_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
