from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('autoreply', '0002_answer_copies')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Note',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('name', fields.CharField(max_length=64)),
                ('title', fields.CharField(max_length=64)),
                ('text', fields.TextField(unique=False)),
                ('source', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'autoreply_note', 'app': 'autoreply', 'unique_together': (('platform', 'guild_id', 'name'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
