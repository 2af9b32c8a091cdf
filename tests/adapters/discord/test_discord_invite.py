"""Invites on Discord (Adapter.create_invite): a channel invite for one person that expires,
through the real discord.py client against the fake server."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import CannotAct, Capability
from bot.testing.discord import CHANNEL, GUILD, discord_bot, seed_guild
from bot.testing.fake_discord import DEFAULT_EVERYONE_PERMISSIONS, FakeDiscordServer

CREATE_INSTANT_INVITE = 1 << 0


async def test_an_invite_admits_one_person_and_expires_within_a_week():
    async with discord_bot() as (app, dc):
        adapter = app.adapter("discord")
        assert adapter.supports(Capability.INVITE)
        link = await adapter.create_invite(GUILD, expires=timedelta(days=30))
        [made] = dc.invites
        assert link == f"https://discord.gg/{made.code}"
        assert (made.guild_id, made.channel_id) == (GUILD, CHANNEL)
        assert made.max_uses == 1 and made.max_age == 7 * 86400  # Discord's longest


def without_invites(dc: FakeDiscordServer) -> None:
    seed_guild(dc)
    dc.add_role(GUILD, GUILD, "@everyone", 0, DEFAULT_EVERYONE_PERMISSIONS & ~CREATE_INSTANT_INVITE)


async def test_without_the_permission_no_request_is_made():
    async with discord_bot(seed=without_invites) as (app, dc):
        with pytest.raises(CannotAct, match="may not create invites"):
            await app.adapter("discord").create_invite(GUILD)
        assert dc.invites == [] and dc.calls("POST", r"/channels/\d+/invites") == 0
