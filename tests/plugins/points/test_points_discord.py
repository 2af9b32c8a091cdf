"""Level role rewards on the real discord.py client, through the Discord adapter, against the
fake Discord server: members level up by chatting (or through the Points service) and the fake
records the role PUT/DELETE calls the bot made."""

from __future__ import annotations

import logging

import pytest

from bot import GroupRef, MemberRef
from bot.testing.discord import (
    BOB,
    CHANNEL,
    GUILD,
    HIGH_ROLE,
    REGULAR_ROLE,
    discord_bot,
    eventually,
    seed_guild,
)
from bot.testing.fake_discord import FakeDiscordServer, RoleChange
from plugins.points import Points

VETERAN_ROLE = "9"  # below the bot's role (position 5), above Regular (position 1)
MEMBER = MemberRef("discord", BOB, GroupRef("discord", GUILD, GUILD))


def points_of(app) -> Points:
    return app.scope("points").service(Points)


def seed(dc: FakeDiscordServer) -> None:
    seed_guild(dc)
    dc.add_role(GUILD, VETERAN_ROLE, "Veteran", position=2)


def config(role_mode: str) -> dict:
    # One level per message: 100 XP a message, levels at 100, 200, 300 XP; no cooldown.
    return {
        "bot": {"locale": "en"},
        "plugins": {
            "points": {
                "xp_min": 100, "xp_max": 100, "cooldown_seconds": 0, "curve": "table",
                "table": [100, 200, 300],
                "role_mode": role_mode,
                "rewards": [
                    {"level": 1, "role": REGULAR_ROLE},
                    {"level": 2, "role": VETERAN_ROLE},
                    {"level": 3, "role": HIGH_ROLE},  # above the bot's top role: refused
                ],
            }
        },
    }


def changes(dc: FakeDiscordServer) -> list[tuple[str, bool]]:
    return [(c.role_id, c.added) for c in dc.role_changes if c.user_id == BOB]


async def level_up_by_chatting(dc: FakeDiscordServer, level: int) -> None:
    before = len(dc.sent(CHANNEL))
    await dc.user_says(CHANNEL, BOB, f"message number {level} from bob")
    [announcement] = await eventually(lambda: dc.sent(CHANNEL)[before:])
    assert f"reached level {level}" in announcement.content


async def test_stacked_role_rewards_by_chatting_and_a_role_above_the_bot_is_refused(caplog):
    caplog.set_level(logging.WARNING, "plugins.points")
    async with discord_bot(["points"], config("stack"), seed=seed) as (app, dc):
        await level_up_by_chatting(dc, 1)
        await eventually(lambda: changes(dc) == [(REGULAR_ROLE, True)])
        await level_up_by_chatting(dc, 2)
        await eventually(lambda: changes(dc) == [(REGULAR_ROLE, True), (VETERAN_ROLE, True)])
        assert dc.role_changes[0] == RoleChange(GUILD, BOB, REGULAR_ROLE, True, None)

        # Level 3's role sits above the bot's: the adapter refuses before calling Discord
        # (CannotAct), the refusal is logged, and the level-up itself stands.
        await level_up_by_chatting(dc, 3)
        await eventually(lambda: any("not given" in r.getMessage() for r in caplog.records))
        [refusal] = [r.getMessage() for r in caplog.records if "not given" in r.getMessage()]
        assert HIGH_ROLE in refusal and "not below the bot's top role" in refusal
        assert dc.calls("PUT", rf"/guilds/{GUILD}/members/{BOB}/roles/{REGULAR_ROLE}") == 1
        assert dc.calls("PUT", rf"/guilds/{GUILD}/members/{BOB}/roles/{HIGH_ROLE}") == 0
        assert changes(dc) == [(REGULAR_ROLE, True), (VETERAN_ROLE, True)]
        assert set(dc.member(GUILD, BOB)["roles"]) == {REGULAR_ROLE, VETERAN_ROLE}
        assert (await points_of(app).standing(MEMBER)).level == 3


async def test_replaced_role_rewards_keep_only_the_highest_the_bot_may_give():
    async with discord_bot(["points"], config("replace"), seed=seed) as (app, dc):
        await level_up_by_chatting(dc, 1)
        await eventually(lambda: changes(dc) == [(REGULAR_ROLE, True)])
        await level_up_by_chatting(dc, 2)
        await eventually(lambda: len(changes(dc)) == 3)
        assert changes(dc) == [(REGULAR_ROLE, True), (VETERAN_ROLE, True), (REGULAR_ROLE, False)]
        assert dc.member(GUILD, BOB)["roles"] == [VETERAN_ROLE]

        # Level 3 through the service (XP from another plugin): its role is refused, so the
        # member keeps Veteran rather than being left with no reward role.
        result = await points_of(app).earn(MEMBER, 10, xp=100, key="test:bonus", reason="bonus")
        assert result.applied
        assert (await points_of(app).standing(MEMBER)).level == 3
        await eventually(lambda: len(changes(dc)) == 5)
        assert changes(dc)[3:] == [(VETERAN_ROLE, True), (REGULAR_ROLE, False)]
        assert dc.member(GUILD, BOB)["roles"] == [VETERAN_ROLE]


@pytest.mark.parametrize("role_mode", ["stack", "replace"])
async def test_a_jump_of_several_levels_through_the_service_gives_the_earned_roles(role_mode):
    async with discord_bot(["points"], config(role_mode), seed=seed) as (app, dc):
        await points_of(app).earn(MEMBER, 250, key="test:import", reason="import")
        expected = {"stack": {REGULAR_ROLE, VETERAN_ROLE}, "replace": {VETERAN_ROLE}}[role_mode]
        await eventually(lambda: set(dc.member(GUILD, BOB)["roles"]) == expected)
        assert (await points_of(app).standing(MEMBER)).level == 2
