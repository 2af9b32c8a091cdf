from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    # Daily message counts for the messages rule; candidates keep their window count, the date
    # another plugin flagged them, and how their warning reached them (rows of sweeps already
    # confirmed were warned in the group). Bots: the roster says who is one (core 0004).
    dependencies = [('inactive', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CountingSession',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('since', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('beat_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('clean', fields.BooleanField(default=False)),
            ],
            options={'table': 'inactive_counting', 'app': 'inactive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DayCount',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('day', fields.DateField()),
                ('user_id', fields.CharField(max_length=32)),
                ('messages', fields.IntField(default=0)),
            ],
            options={'table': 'inactive_day', 'app': 'inactive', 'unique_together': (('platform', 'guild_id', 'day', 'user_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FirstCounted',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('user_id', fields.CharField(max_length=32)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inactive_first', 'app': 'inactive', 'unique_together': (('platform', 'guild_id', 'user_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Candidate',
            name='flagged_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Candidate',
            name='recent',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Candidate',
            name='warned',
            field=fields.CharField(default='', max_length=8),
        ),
        ops.RunSQL(
            'UPDATE "inactive_candidate" SET "warned" = \'group\' WHERE "sweep_id" IN '
            '(SELECT "id" FROM "inactive_sweep" WHERE "confirmed_at" IS NOT NULL)'
        ),
        ops.DeleteModel(name='InactiveBot'),
    ]
