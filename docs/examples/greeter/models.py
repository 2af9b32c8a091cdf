"""The greeter's table.

Rows are keyed by the group's key (``ctx.group.key``), never by its platform id: the key stays
when a platform changes the id (a Telegram group upgraded to a supergroup), so the plugin has
nothing to do when that happens.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot import GroupRef


class Welcome(Model):
    id = fields.BigIntField(primary_key=True)
    platform = fields.CharField(max_length=16)
    group_key = fields.CharField(max_length=32)
    # ``{name}`` is replaced by the newcomer's name.
    text = fields.CharField(max_length=500)
    # The admin who wrote it (a user id); None once they asked to be forgotten.
    set_by = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "greeter_welcome"
        unique_together = (("platform", "group_key"),)

    @classmethod
    async def of(cls, group: GroupRef) -> Welcome | None:
        return await cls.get_or_none(platform=group.platform, group_key=group.key)
