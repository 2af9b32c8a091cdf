from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Welcome',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('group_key', fields.CharField(max_length=32)),
                ('text', fields.CharField(max_length=500)),
                ('set_by', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'greeter_welcome', 'app': 'greeter', 'unique_together': (('platform', 'group_key'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
