from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AdAllow',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('kind', fields.CharField(max_length=8)),
                ('value', fields.CharField(max_length=128)),
                ('added_by', fields.CharField(default='', max_length=48)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ads_allow', 'app': 'ads', 'unique_together': (('platform', 'guild_id', 'kind', 'value'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AdGroup',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('mode', fields.CharField(null=True, max_length=8)),
                ('min_total', fields.IntField(null=True)),
                ('min_count', fields.IntField(null=True)),
                ('grace_minutes', fields.FloatField(null=True)),
            ],
            options={'table': 'ads_group', 'app': 'ads', 'unique_together': (('platform', 'guild_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AdStrike',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('channel_id', fields.CharField(max_length=32)),
                ('message_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('deadline', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(max_length=10)),
                ('score', fields.FloatField(default=0)),
                ('reasons', fields.CharField(default='', max_length=500)),
                ('text', fields.TextField(default='', unique=False)),
                ('step', fields.IntField(default=0)),
                ('action', fields.CharField(default='', max_length=16)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('packet_id', fields.BigIntField(null=True)),
                ('packet_total', fields.IntField(default=0)),
                ('notice_channel', fields.CharField(null=True, max_length=32)),
                ('notice_id', fields.CharField(null=True, max_length=32)),
                ('notice_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('undone_by', fields.CharField(null=True, max_length=48)),
            ],
            options={'table': 'ads_strike', 'app': 'ads', 'unique_together': (('platform', 'guild_id', 'channel_id', 'message_id'),), 'indexes': [Index(fields=['platform', 'guild_id', 'user_id', 'at']), Index(fields=['status', 'deadline'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
