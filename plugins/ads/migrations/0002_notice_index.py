from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index


class Migration(migrations.Migration):
    # The job of every minute finds the reminders whose time is up by this index, not by
    # reading every strike ever recorded.
    dependencies = [('ads', '0001_initial')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='AdStrike',
            index=Index(fields=['notice_until']),
        ),
    ]
