"""Commands answer to their Chinese names too (/签到 统计), read from the plugins' [names]."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import Context, Plugin
from bot.commands import split_command
from bot.testing.driver import make_app
from bot.testing.telegram import telegram_bot


@pytest.mark.plugins("checkin")
async def test_chinese_names_run_the_same_commands(fake):
    [first] = await fake.say("alice: /签到")
    assert "签到成功" in first
    [again] = await fake.say("alice: /checkin")
    assert "今天已经签到过了" in again
    stats = await fake.say("alice: /checkin stats")
    assert await fake.say("alice: /签到 统计") == stats
    assert await fake.say("alice: /checkin 统计") == stats  # each word on its own
    assert await fake.say("alice: /签到 stats") == stats


@pytest.mark.plugins("points")
async def test_chinese_sub_command_with_arguments_and_permission_checks(fake):
    fake.admin("alice")
    await fake.say("bob: hello")
    [given] = await fake.say("alice: /积分 发放 @bob 5 辛苦了")
    assert given.startswith("已给 bob 发放 5 积分")
    [again] = await fake.say("alice: /points 发放 @bob 5")
    assert int(again.split("余额 ")[1].rstrip("。")) == int(given.split("余额 ")[1].rstrip("。")) + 5
    [refused] = await fake.say("bob: /积分 发放 @alice 5")
    # Errors and usage lines name the command and its arguments in the reader's language
    # (issue 17, items 10 and 14); /help 积分 发放 also gives its English name.
    assert "管理员" in refused and "/积分 发放" in refused
    [usage] = await fake.say("alice: /积分 发放 @bob")
    assert "用法：/积分 发放 <成员> <数量>" in usage


@pytest.mark.plugins("points")
async def test_help_lists_the_names_of_the_readers_language(fake):
    [help_] = await fake.say("alice: /帮助")
    assert "/我的积分" in help_ and "/checkin" not in help_ and "/me " not in help_
    assert await fake.say("alice: /help") == [help_]
    [english] = await fake.say(":locale en", "bob: /help")
    assert "/me" in english and "/我的积分" not in english


@pytest.mark.plugins("points")
async def test_unknown_chinese_command_in_a_private_chat(fake):
    [reply] = await fake.dm("alice", "/不存在")
    assert "未知命令 /不存在" in reply


def test_text_parser_reads_localized_names() -> None:
    assert split_command("/签到@qunbot 统计", "qunbot") == ("签到", "统计")
    assert split_command("/签到@otherbot", "qunbot") is None
    assert split_command("/签到，今天", "qunbot") is None  # no space after the name: chat
    assert split_command("签到", "qunbot") is None


async def test_telegram_plain_text_slash_chinese_name_runs_the_command() -> None:
    # Telegram marks only /[a-z0-9_] as a command entity; /签到 arrives as plain text.
    async with telegram_bot(["checkin"], {"bot": {"locale": "zh"}}) as bot:
        bot.tg.add_user(43, "Bob", "bob")
        [reply] = await bot.say(43, "/签到")
        assert reply["text"].startswith("✅ Bob checked in")  # Bob's Telegram speaks English
        menu = [c["command"] for c in bot.tg.commands(language_code="zh")]
        assert "checkin" in menu and all(name.isascii() for name in menu)  # the menu stays ASCII


def named(tmp_path: Path, zh: str) -> Plugin:
    (tmp_path / "zh.toml").write_text(zh, encoding="utf-8")
    plugin = Plugin("demo", locales=tmp_path)

    @plugin.command("report")
    async def report(ctx: Context) -> None:
        await ctx.reply("report")

    @plugin.command("report weekly")
    async def weekly(ctx: Context) -> None:
        await ctx.reply("weekly")

    return plugin


def load(plugin: Plugin) -> None:
    app, _ = make_app([plugin])
    app.load_plugins()


@pytest.mark.parametrize(
    ("zh", "complaint"),
    [
        ('[names]\nreport = "周 报"', "'周 报' is not a command name"),
        ('[names]\nreport = "Report"', "'Report' is not a command name"),
        ('[names]\nreport = "' + "长" * 33 + '"', "is not a command name"),
        ('[names]\nreprot = "报告"', "demo has no command /reprot"),
        ('[names]\n"report.weekly" = "weekly"', ""),  # its own name: fine
        ('[names]\nreport = "help"', "'help' is already /help"),
        ('[names]\nreport = "start"', "'start' is already /help"),
        ('[names]\nreport = "签到"\n"report.weekly" = "签到"', ""),  # different levels: fine
    ],
)
def test_bad_names_stop_the_load_naming_plugin_and_key(tmp_path, zh, complaint) -> None:
    plugin = named(tmp_path, zh)
    if not complaint:
        load(plugin)
        return
    with pytest.raises(ValueError, match="plugin demo: locales/zh.toml \\[names\\]") as info:
        load(plugin)
    assert complaint in str(info.value)


def test_two_sub_commands_may_not_share_a_chinese_name(tmp_path) -> None:
    plugin = named(tmp_path, '[names]\n"report.weekly" = "周报"\n"report.daily" = "周报"')

    @plugin.command("report daily")
    async def daily(ctx: Context) -> None:
        pass

    with pytest.raises(ValueError, match="'report.weekly'.*'周报' is already /report daily"):
        load(plugin)


def test_signature_changes_with_a_chinese_name(tmp_path) -> None:
    def signature(zh: str) -> str:
        app, _ = make_app([named(tmp_path, zh)])
        app.load_plugins()
        return app.commands.signature()

    assert signature('[names]\nreport = "报告"') == signature('[names]\nreport = "报告"')
    assert signature('[names]\nreport = "报告"') != signature('[names]\nreport = "汇报"')
    assert signature('[names]\n"report.weekly" = "周报"') != signature('[names]\n"report.weekly" = "每周"')
