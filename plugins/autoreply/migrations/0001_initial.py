from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AutoReply',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('kind', fields.CharField(max_length=8)),
                ('keyword', fields.CharField(max_length=255)),
                ('reply', fields.TextField(unique=False)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'autoreply_rule', 'app': 'autoreply', 'unique_together': (('platform', 'guild_id', 'kind', 'keyword'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
