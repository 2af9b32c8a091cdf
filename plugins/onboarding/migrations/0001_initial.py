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
            name='FormSession',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('user_name', fields.CharField(default='', max_length=128)),
                ('purpose', fields.CharField(default='join', max_length=8)),
                ('status', fields.CharField(default='pending', max_length=12)),
                ('gate', fields.CharField(default='off', max_length=16)),
                ('keys', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('step', fields.IntField(default=0)),
                ('answers', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('locale', fields.CharField(default='zh', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deadline', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'onboarding_session', 'app': 'onboarding', 'unique_together': (('platform', 'guild_id', 'user_id', 'purpose'),), 'indexes': [Index(fields=['status', 'deadline']), Index(fields=['platform', 'user_id', 'status'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Profile',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('user_name', fields.CharField(default='', max_length=128)),
                ('answers', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('completed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'onboarding_profile', 'app': 'onboarding', 'unique_together': (('platform', 'guild_id', 'user_id'),), 'indexes': [Index(fields=['platform', 'user_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WelcomeState',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('channel_id', fields.CharField(null=True, max_length=32)),
                ('message_id', fields.CharField(null=True, max_length=32)),
                ('flood_started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('flood_last_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('flood_count', fields.IntField(default=0)),
            ],
            options={'table': 'onboarding_welcome', 'app': 'onboarding', 'unique_together': (('platform', 'guild_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
