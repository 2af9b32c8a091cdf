from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields
from tortoise.migrations.constraints import UniqueConstraint

class Migration(migrations.Migration):
    dependencies = [('broadcast', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Schedule',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('author', fields.CharField(max_length=64)),
                ('spec', fields.CharField(max_length=64)),
                ('best', fields.BooleanField(default=False)),
                ('tags', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('elements', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('text', fields.TextField(unique=False)),
                ('source', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('paused', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('checked_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'broadcast_schedule', 'app': 'broadcast', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Broadcast',
            name='occurrence',
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name='Broadcast',
            name='schedule_id',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='Broadcast',
            name='source',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddConstraint(
            model_name='Broadcast',
            constraint=UniqueConstraint(fields=('schedule_id', 'occurrence'), name=None),
        ),
        ops.AddField(
            model_name='Delivery',
            name='doubt_since',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Delivery',
            name='pin_error',
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.AddField(
            model_name='Delivery',
            name='pinned_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
