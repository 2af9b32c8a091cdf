from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('stats', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StatsReport',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('kind', fields.CharField(max_length=16)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('delivered', fields.CharField(default='', max_length=32)),
            ],
            options={'table': 'stats_report', 'app': 'stats', 'unique_together': (('platform', 'guild_id', 'day', 'kind'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatsSubscriber',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('since', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'stats_subscriber', 'app': 'stats', 'unique_together': (('platform', 'guild_id', 'user_id'),), 'indexes': [Index(fields=['platform', 'user_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
