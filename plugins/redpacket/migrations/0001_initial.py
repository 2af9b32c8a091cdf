from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='RedPacket',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.CharField(max_length=16)),
                ('guild_id', fields.CharField(max_length=32)),
                ('sender_id', fields.CharField(max_length=48)),
                ('total', fields.IntField()),
                ('count', fields.IntField()),
                ('mode', fields.CharField(max_length=8)),
                ('message', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='open', max_length=8)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('refunded', fields.IntField(default=0)),
                ('source', fields.CharField(max_length=32)),
                ('key', fields.CharField(unique=True, max_length=160)),
                ('channel_id', fields.CharField(null=True, max_length=32)),
                ('message_id', fields.CharField(null=True, max_length=32)),
                ('button_id', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'redpacket', 'app': 'redpacket', 'indexes': [Index(fields=['platform', 'guild_id', 'created_at']), Index(fields=['status', 'expires_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RedPacketShare',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('packet_id', fields.BigIntField()),
                ('seq', fields.IntField()),
                ('amount', fields.IntField()),
                ('member_id', fields.CharField(null=True, max_length=48)),
                ('grabbed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('refunded', fields.BooleanField(default=False)),
            ],
            options={'table': 'redpacket_share', 'app': 'redpacket', 'unique_together': (('packet_id', 'seq'), ('packet_id', 'member_id')), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
