from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Activity',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('last_award_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('day', fields.CharField(max_length=10)),
                ('day_xp', fields.IntField(default=0)),
                ('awards', fields.IntField(default=0)),
            ],
            options={'table': 'points_activity', 'app': 'points', 'unique_together': (('platform', 'guild_id', 'user_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Balance',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('scope', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('balance', fields.BigIntField(default=0)),
                ('lifetime_xp', fields.BigIntField(default=0)),
                ('level', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'points_balance', 'app': 'points', 'unique_together': (('platform', 'scope', 'user_id'),), 'indexes': [Index(fields=['platform', 'scope', 'lifetime_xp'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('scope', fields.CharField(max_length=32)),
                ('guild_id', fields.CharField(null=True, max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('amount', fields.BigIntField()),
                ('xp', fields.BigIntField(default=0)),
                ('kind', fields.CharField(max_length=16)),
                ('reason', fields.CharField(default='', max_length=200)),
                ('plugin', fields.CharField(max_length=32)),
                ('actor', fields.CharField(null=True, max_length=48)),
                ('key', fields.CharField(unique=True, max_length=191)),
                ('balance_after', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'points_ledger', 'app': 'points', 'indexes': [Index(fields=['platform', 'scope', 'user_id', 'created_at']), Index(fields=['platform', 'guild_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
