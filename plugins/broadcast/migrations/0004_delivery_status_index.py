from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index


class Migration(migrations.Migration):
    # One broadcast's copies in a state (/broadcast status, edit, nudge, cancel) by this index, not
    # every copy of every broadcast in that state.
    dependencies = [('broadcast', '0003_edits')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Delivery',
            index=Index(fields=['broadcast_id', 'status']),
        ),
    ]
