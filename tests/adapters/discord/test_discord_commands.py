"""The registry → Discord application commands mapping (pure, no network)."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from bot import Context, Plugin
from bot.adapters.discord.commands import base_alias, command_payloads
from bot.commands import CommandRegistry, Rest
from bot.permissions import PermissionLevel

tools = Plugin("tools")


@tools.command("mute", level=PermissionLevel.ADMIN, guild_only=True)
async def mute(
    ctx: Context, length: timedelta, mode: Literal["soft", "hard"] = "soft", why: Rest = ""
) -> None:
    pass


@tools.command("cfg ads set", level=PermissionLevel.ADMIN)
async def cfg_ads_set(ctx: Context, value: int) -> None:
    pass


@tools.command("cfg show")
async def cfg_show(ctx: Context) -> None:
    pass


@tools.command("secret", hidden=True)
async def secret(ctx: Context) -> None:
    pass


def payloads(texts=None):
    registry = CommandRegistry()
    for spec in tools.commands:
        registry.add(spec)
    return {c["name"]: c for c in command_payloads(registry, texts or {"zh": {}, "en": {}}, "en")}


def test_option_types_choices_and_who_may_see_it() -> None:
    mute_ = payloads()["mute"]
    assert [(o["name"], o["type"], o["required"]) for o in mute_["options"]] == [
        ("length", 3, True),
        ("mode", 3, False),
        ("why", 3, False),
    ]
    assert mute_["options"][1]["choices"] == [
        {"name": "soft", "value": "soft"},
        {"name": "hard", "value": "hard"},
    ]
    assert mute_["default_member_permissions"] == str(1 << 5)  # Manage Server
    assert mute_["contexts"] == [0]  # guild only: not offered in the bot's DMs


def test_groups_hidden_commands_and_the_most_permissive_level() -> None:
    commands = payloads()
    assert "secret" not in commands
    cfg = commands["cfg"]
    assert "default_member_permissions" not in cfg  # /cfg show is for everyone
    [group] = [o for o in cfg["options"] if o["type"] == 2]
    assert group["name"] == "ads" and group["options"][0]["name"] == "set"
    assert base_alias("cfg", tools.commands) is None  # there is no bare /cfg


def test_descriptions_are_localized_and_at_most_100_characters() -> None:
    long = "x" * 150
    commands = payloads({"zh": {"mute": "禁言成员"}, "en": {"mute": long}})
    mute_ = commands["mute"]
    assert len(mute_["description"]) == 100 and mute_["description"].endswith("…")
    assert mute_["description_localizations"]["zh-CN"] == "禁言成员"
    assert commands["cfg"]["description"] == "ads set, show"  # no text: what it holds
