from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Broadcast',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('author', fields.CharField(max_length=64)),
                ('elements', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('text', fields.TextField(unique=False)),
                ('tags', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('at', fields.CharField(null=True, max_length=5)),
                ('pin', fields.BooleanField(default=False)),
                ('status', fields.CharField(default='draft', max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('targets', fields.IntField(default=0)),
                ('progress_channel', fields.CharField(null=True, max_length=32)),
                ('progress_message', fields.CharField(null=True, max_length=32)),
                ('reported_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'broadcast', 'app': 'broadcast', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Delivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('broadcast_id', fields.BigIntField()),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('status', fields.CharField(default='pending', max_length=12)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('next_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(null=True, max_length=32)),
                ('channel_id', fields.CharField(null=True, max_length=32)),
                ('message_id', fields.CharField(null=True, max_length=32)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('error', fields.CharField(null=True, max_length=300)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('confirmed_by', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'broadcast_delivery', 'app': 'broadcast', 'unique_together': (('broadcast_id', 'platform', 'guild_id'),), 'indexes': [Index(fields=['status', 'next_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GroupLeader',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('name', fields.CharField(default='', max_length=128)),
            ],
            options={'table': 'broadcast_leader', 'app': 'broadcast', 'unique_together': (('platform', 'guild_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GroupTag',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('tag', fields.CharField(max_length=32)),
            ],
            options={'table': 'broadcast_tag', 'app': 'broadcast', 'unique_together': (('platform', 'guild_id', 'tag'),), 'indexes': [Index(fields=['tag'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Headquarters',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=16)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('set_by', fields.CharField(max_length=64)),
                ('set_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'broadcast_hq', 'app': 'broadcast', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
