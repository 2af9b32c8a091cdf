from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Candidate',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sweep_id', fields.BigIntField()),
                ('user_id', fields.CharField(max_length=32)),
                ('name', fields.CharField(default='', max_length=128)),
                ('rule', fields.CharField(max_length=16)),
                ('joined_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_active_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('message_count', fields.IntField(default=0)),
                ('state', fields.CharField(default='pending', max_length=10)),
                ('reason', fields.CharField(default='', max_length=32)),
                ('acted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inactive_candidate', 'app': 'inactive', 'unique_together': (('sweep_id', 'user_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InactiveBot',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('user_id', fields.CharField(max_length=32)),
            ],
            options={'table': 'inactive_bot', 'app': 'inactive', 'unique_together': (('platform', 'user_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Protected',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('added_by', fields.CharField(null=True, max_length=64)),
                ('added_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inactive_protected', 'app': 'inactive', 'unique_together': (('platform', 'guild_id', 'user_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Sweep',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('status', fields.CharField(default='preview', max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_by', fields.CharField(null=True, max_length=64)),
                ('slot', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('eligible', fields.IntField(default=0)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('confirmed_by', fields.CharField(null=True, max_length=64)),
                ('deadline', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('halted_reason', fields.CharField(default='', max_length=200)),
                ('undone_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('undone_by', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'inactive_sweep', 'app': 'inactive', 'unique_together': (('platform', 'guild_id', 'slot'),), 'indexes': [Index(fields=['platform', 'guild_id', 'status'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
