from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index


class Migration(migrations.Migration):
    # A member across every group (an owner's /top global, /forgetme) and the daily housekeeping's
    # deletes of old buttons and job runs: each read every row of its table before.
    dependencies = [('core', '0006_account_lookups')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='ButtonToken',
            index=Index(fields=['created_at']),
        ),
        ops.AddIndex(
            model_name='JobRun',
            index=Index(fields=['slot']),
        ),
        ops.AddIndex(
            model_name='RosterMember',
            index=Index(fields=['platform', 'user_id']),
        ),
    ]
