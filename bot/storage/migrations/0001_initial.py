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
            name='Account',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('user_id', fields.CharField(max_length=32)),
                ('name', fields.CharField(default='', max_length=128)),
                ('username', fields.CharField(null=True, db_index=True, max_length=64)),
                ('locale', fields.CharField(null=True, max_length=8)),
                ('is_bot', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'core_account', 'app': 'core', 'unique_together': (('platform', 'user_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('time', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(null=True, max_length=32)),
                ('actor', fields.CharField(null=True, max_length=48)),
                ('plugin', fields.CharField(max_length=32)),
                ('action', fields.CharField(max_length=64)),
                ('target', fields.CharField(null=True, max_length=48)),
                ('detail', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'core_audit', 'app': 'core', 'indexes': [Index(fields=['platform', 'guild_id', 'time'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ButtonToken',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=24)),
                ('plugin', fields.CharField(max_length=32)),
                ('action', fields.CharField(max_length=64)),
                ('payload', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('platform', fields.CharField(max_length=16)),
                ('channel_id', fields.CharField(null=True, max_length=32)),
                ('only_user', fields.CharField(null=True, max_length=48)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_button', 'app': 'core', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GuildSettings',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('name', fields.CharField(default='', max_length=128)),
                ('timezone', fields.CharField(null=True, max_length=64)),
                ('locale', fields.CharField(null=True, max_length=8)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'core_guild', 'app': 'core', 'unique_together': (('platform', 'guild_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JobRun',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('job', fields.CharField(max_length=96)),
                ('scope', fields.CharField(max_length=64)),
                ('slot', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='running', max_length=16)),
                ('error', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'core_job_run', 'app': 'core', 'unique_together': (('job', 'scope', 'slot'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProcessedDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('delivery_id', fields.CharField(max_length=64)),
                ('handled_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'core_processed', 'app': 'core', 'unique_together': (('platform', 'delivery_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RosterMember',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('name', fields.CharField(default='', max_length=128)),
                ('joined_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_active_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('message_count', fields.IntField(default=0)),
                ('left_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('is_member', fields.BooleanField(default=True)),
            ],
            options={'table': 'core_member', 'app': 'core', 'unique_together': (('platform', 'guild_id', 'user_id'),), 'indexes': [Index(fields=['platform', 'guild_id', 'last_active_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SyncState',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=128)),
                ('value', fields.TextField(unique=False)),
            ],
            options={'table': 'core_sync_state', 'app': 'core', 'pk_attr': 'key'},
            bases=['Model'],
        ),
    ]
