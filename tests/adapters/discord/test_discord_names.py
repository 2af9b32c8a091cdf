"""Chinese command names on Discord: name_localizations word by word, routing by the real
names, and a re-sync when a translation changes."""

from __future__ import annotations

from pathlib import Path

from bot import Context, Plugin
from bot.testing.discord import ALICE, CHANNEL, GUILD, discord_bot, eventually, seed_guild
from bot.testing.fake_discord import FakeDiscordServer, subcommand

GLOBAL_PUT = r"/applications/900/commands"


def by_name(options: list[dict]) -> dict[str, dict]:
    return {o["name"]: o for o in options}


async def test_commands_groups_and_sub_commands_carry_chinese_names() -> None:
    async with discord_bot(["checkin"], {"bot": {"locale": "zh"}}) as (_app, dc):
        [(_scope, body)] = dc.command_syncs
        published = by_name(body)
        checkin = published["checkin"]
        assert checkin["name_localizations"] == {"zh-CN": "签到"}
        subs = by_name(checkin["options"])
        assert subs["stats"]["name_localizations"] == {"zh-CN": "统计"}
        assert subs["makeup"]["name_localizations"] == {"zh-CN": "补签"}
        assert "name_localizations" not in subs["me"]  # the stand-in for bare /checkin
        assert by_name(published["points"]["options"])["give"]["name_localizations"] == {"zh-CN": "发放"}
        lang = by_name(published["lang"]["options"])
        assert published["lang"]["name_localizations"] == {"zh-CN": "语言"}
        assert lang["group"]["name_localizations"] == {"zh-CN": "本群"}
        assert published["help"]["name_localizations"] == {"zh-CN": "帮助"}


async def test_a_chinese_client_invokes_by_the_real_name() -> None:
    # Discord shows /签到 统计 to a zh-CN member but sends the registered names.
    async with discord_bot(["checkin"], {"bot": {"locale": "zh"}}) as (_app, dc):
        first = await dc.slash(GUILD, CHANNEL, ALICE, "checkin", [subcommand("me")], locale="zh-CN")
        [done] = await eventually(lambda: dc.callbacks(first))
        assert "签到成功" in done.data["content"]
        stats = await dc.slash(GUILD, CHANNEL, ALICE, "checkin", [subcommand("stats")], locale="zh-CN")
        [shown] = await eventually(lambda: dc.callbacks(stats))
        assert "签到日历" in shown.data["content"] and "当前连续 1 天" in shown.data["content"]


def report_plugin(folder: Path) -> Plugin:
    plugin = Plugin("report", locales=folder)

    @plugin.command("report weekly")
    async def weekly(ctx: Context) -> None:
        await ctx.reply("weekly")

    @plugin.command("report ads set")
    async def ads_set(ctx: Context, value: int) -> None:
        await ctx.reply(f"ads {value}")

    return plugin


async def test_changing_a_chinese_name_re_syncs_the_menu(tmp_path) -> None:
    url = f"sqlite://{tmp_path}/bot.sqlite3"
    folder = tmp_path / "locales"
    folder.mkdir()
    zh = folder / "zh.toml"
    zh.write_text(
        '[names]\nreport = "报告"\n"report.ads" = "广告"\n"report.ads.set" = "设置"\n', encoding="utf-8"
    )
    async with FakeDiscordServer() as dc:
        seed_guild(dc)
        async with discord_bot([report_plugin(folder)], server=dc, database_url=url):
            pass
        report = by_name(dc.commands())["report"]
        assert report["name_localizations"] == {"zh-CN": "报告"}
        group = by_name(report["options"])["ads"]
        assert group["name_localizations"] == {"zh-CN": "广告"}
        assert group["options"][0]["name_localizations"] == {"zh-CN": "设置"}
        async with discord_bot([report_plugin(folder)], server=dc, database_url=url):
            pass
        assert dc.calls("PUT", GLOBAL_PUT) == 1  # nothing changed: no second sync
        zh.write_text(zh.read_text(encoding="utf-8").replace("广告", "推广"), encoding="utf-8")
        async with discord_bot([report_plugin(folder)], server=dc, database_url=url) as (_app, _):
            pass
        assert dc.calls("PUT", GLOBAL_PUT) == 2
        group = by_name(by_name(dc.commands())["report"]["options"])["ads"]
        assert group["name_localizations"] == {"zh-CN": "推广"}
        # Routing still goes by the registered names.
        async with discord_bot([report_plugin(folder)], server=dc, database_url=url):
            ads = subcommand("ads", subcommand("set", {"name": "value", "type": 4, "value": 3}), group=True)
            interaction = await dc.slash(GUILD, CHANNEL, ALICE, "report", [ads], locale="zh-CN")
            [reply] = await eventually(lambda: dc.callbacks(interaction))
            assert reply.data["content"] == "ads 3"


def test_every_argument_type_has_a_slash_command_option_type():
    # A plugin may declare any argument type; the command menu sync must not fail on one.
    from bot.adapters.discord import commands as discord_commands
    from bot.commands import ArgKind

    assert set(discord_commands._OPTION_TYPES) == set(ArgKind)
