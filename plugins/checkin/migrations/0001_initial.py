from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='CheckIn',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('kind', fields.CharField(default='checkin', max_length=8)),
                ('place', fields.IntField(null=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('streak', fields.IntField(default=0)),
                ('reward', fields.IntField(default=0)),
                ('settled', fields.BooleanField(default=False)),
            ],
            options={'table': 'checkin_day', 'app': 'checkin', 'unique_together': (('platform', 'guild_id', 'user_id', 'day'), ('platform', 'guild_id', 'day', 'place')), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CheckinMember',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('name', fields.CharField(default='', max_length=128)),
                ('streak', fields.IntField(default=0)),
                ('last_day', fields.DateField(null=True)),
                ('longest', fields.IntField(default=0)),
                ('total', fields.IntField(default=0)),
                ('remind', fields.BooleanField(default=True)),
            ],
            options={'table': 'checkin_member', 'app': 'checkin', 'unique_together': (('platform', 'guild_id', 'user_id'),), 'indexes': [Index(fields=['platform', 'guild_id', 'last_day'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CheckinReminder',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('at_risk', fields.IntField(default=0)),
            ],
            options={'table': 'checkin_reminder', 'app': 'checkin', 'unique_together': (('platform', 'guild_id', 'day'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
