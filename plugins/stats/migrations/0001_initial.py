from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='StatsDay',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('messages', fields.IntField(default=0)),
                ('speakers', fields.IntField(default=0)),
                ('joins', fields.IntField(default=0)),
                ('leaves', fields.IntField(default=0)),
                ('checkins', fields.IntField(default=0)),
                ('points', fields.BigIntField(default=0)),
                ('packets_sent', fields.IntField(default=0)),
                ('packets_grabbed', fields.IntField(default=0)),
                ('ads_removed', fields.IntField(default=0)),
            ],
            options={'table': 'stats_day', 'app': 'stats', 'unique_together': (('platform', 'guild_id', 'day'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatsExtra',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('hour', fields.SmallIntField()),
                ('name', fields.CharField(max_length=32)),
                ('value', fields.BigIntField(default=0)),
            ],
            options={'table': 'stats_extra', 'app': 'stats', 'unique_together': (('platform', 'guild_id', 'day', 'hour', 'name'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatsHour',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('hour', fields.SmallIntField()),
                ('messages', fields.IntField(default=0)),
                ('speakers', fields.IntField(default=0)),
                ('joins', fields.IntField(default=0)),
                ('leaves', fields.IntField(default=0)),
                ('checkins', fields.IntField(default=0)),
                ('points', fields.BigIntField(default=0)),
                ('packets_sent', fields.IntField(default=0)),
                ('packets_grabbed', fields.IntField(default=0)),
                ('ads_removed', fields.IntField(default=0)),
            ],
            options={'table': 'stats_hour', 'app': 'stats', 'unique_together': (('platform', 'guild_id', 'day', 'hour'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StatsSpeaker',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('user_id', fields.CharField(max_length=32)),
                ('messages', fields.IntField(default=0)),
            ],
            options={'table': 'stats_speaker', 'app': 'stats', 'unique_together': (('platform', 'guild_id', 'day', 'user_id'),), 'indexes': [Index(fields=['platform', 'user_id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
