from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('checkin', '0002_settle_legacy_days')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CheckinGroup',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('quiet', fields.BooleanField()),
            ],
            options={'table': 'checkin_group', 'app': 'checkin', 'unique_together': (('platform', 'guild_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CheckinReply',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('channel_id', fields.CharField(max_length=64)),
                ('message_id', fields.CharField(max_length=64)),
                ('delete_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'checkin_reply', 'app': 'checkin', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CheckinSummary',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('checked', fields.IntField(default=0)),
            ],
            options={'table': 'checkin_summary', 'app': 'checkin', 'unique_together': (('platform', 'guild_id', 'day'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
