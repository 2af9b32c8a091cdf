from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('broadcast', '0002_copy_pin_schedules')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Broadcast',
            name='edited_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Delivery',
            name='edit_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Delivery',
            name='edit_error',
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.AddField(
            model_name='Delivery',
            name='edited_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Delivery',
            index=Index(fields=['status', 'edit_at']),
        ),
    ]
