from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index


class Migration(migrations.Migration):
    # The job of every minute finds the forms to remind and the profile edits left open by
    # these indexes, not by reading every form of every group.
    dependencies = [('onboarding', '0002_session_cancelled')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='FormSession',
            index=Index(fields=['status', 'purpose', 'gate', 'reminded_at', 'created_at']),
        ),
        ops.AddIndex(
            model_name='FormSession',
            index=Index(fields=['purpose', 'created_at']),
        ),
    ]
