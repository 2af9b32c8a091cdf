from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    # An award written by the batch that confirms its message marks the activity row it claimed
    # with its ledger key, so the batch's credit can tell its own claim from another process's.
    dependencies = [("points", "0001_initial")]

    operations = [
        ops.AddField(
            model_name="Activity",
            name="last_key",
            field=fields.CharField(max_length=191, null=True),
        ),
    ]
