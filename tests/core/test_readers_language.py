"""What a member reads (issue 17, items 10-14): a bare parent command lists its sub-commands,
usage lines in the reader's language, errors that say what is really wrong, plurals, one rule
for permission refusals, /help grouped by plugin and /help COMMAND."""

from datetime import date
from pathlib import Path
from typing import Literal

import pytest

from bot import Context, PermissionLevel, Plugin, Rest, User
from bot.i18n import Catalog

parcel = Plugin("parcel", description="parcels", locales=Path(__file__).parent / "parcel_locales")


@parcel.command("parcel send", description="parcel.cmd.send")
async def send(ctx: Context, who: User, amount: int, reason: Rest = "") -> None:
    await ctx.reply(ctx.t("parcel.sent", who=who.id, amount=amount))


@parcel.command("parcel history", description="parcel.cmd.history")
async def history(ctx: Context, day: date) -> None:
    await ctx.reply(day.isoformat())


@parcel.command("parcel top", description="parcel.cmd.top")
async def top(ctx: Context, period: Literal["day", "week"] = "day") -> None:
    await ctx.reply(period)


@parcel.command("parcel wipe", description="parcel.cmd.wipe", level=PermissionLevel.ADMIN)
async def wipe(ctx: Context) -> None:
    await ctx.reply("wiped")


@parcel.command("streak")
async def streak(ctx: Context, n: int) -> None:
    await ctx.reply(ctx.t("parcel.days", n=n))


pytestmark = pytest.mark.plugins(parcel)


# -- 10: a bare parent command ------------------------------------------------------------------
async def test_a_bare_parent_lists_its_sub_commands_in_a_group_and_in_private(fake):
    [menu] = await fake.say("alice: /包裹")
    assert menu.splitlines()[0] == "/包裹 后面要跟以下之一："
    assert "/包裹 寄 <收件人> <数量> [原因...] — 给成员寄积分" in menu
    assert "清空" not in menu  # an admin's command, not for alice
    [private] = await fake.dm("alice", "/parcel")
    assert "/包裹 记录 <日期> — 查看某天的包裹" in private
    [english] = await fake.say(":locale en", "bob: /parcel")
    assert english.splitlines()[0] == "/parcel needs one of these:"
    assert "/parcel send <who> <amount> [reason...] — Send points to a member" in english


async def test_a_plugins_name_lists_its_commands(fake):
    [menu] = await fake.say("alice: /parcel")
    [by_plugin] = await fake.dm("alice", "/help parcel")
    assert "/包裹 寄" in menu and "/包裹 寄" in by_plugin


async def test_usage_lines_use_the_readers_placeholders(fake):
    [zh] = await fake.say("bob: hi", "alice: /包裹 寄 @bob")
    assert zh == "缺少参数 <数量>。\n用法：/包裹 寄 <收件人> <数量> [原因...]"
    [en] = await fake.say(":locale en", "carol: /parcel send @bob")
    assert en == "Missing argument <amount>.\nUsage: /parcel send <who> <amount> [reason...]"


# -- 11: say what is really wrong ---------------------------------------------------------------
async def test_a_member_the_bot_never_saw_is_not_called_a_non_mention(fake):
    [out] = await fake.say(":locale en", "alice: /parcel send @dave 5")
    assert out.startswith("I don't know @dave yet: they need to speak in this group first")
    await fake.say("dave: hello")
    assert await fake.say("alice: /parcel send @dave 5") == ["sent 5 to dave"]
    [zh] = await fake.say(":locale zh", "alice: /包裹 寄 @erin 5")
    assert zh.startswith("我还不认识 @erin：需要对方先在本群发言")


async def test_a_huge_amount_is_too_large_not_a_non_integer(fake):
    await fake.say("bob: hi")
    [out] = await fake.say(":locale en", "alice: /parcel send @bob 12345678901234567890")
    assert out.startswith("<amount> is too large: at most 1,000,000,000,000")
    [word] = await fake.say("alice: /parcel send @bob five")
    assert word.startswith("<amount> must be a whole number")


# -- 12: plurals --------------------------------------------------------------------------------
async def test_plural_forms_follow_the_count(fake):
    assert await fake.say(":locale en", "alice: /streak 1") == ["1 day in a row"]
    assert await fake.say("alice: /streak 3") == ["3 days in a row"]
    assert await fake.say("alice: /streak 0") == ["0 days in a row"]
    assert await fake.say(":locale zh", "bob: /streak 1") == ["连续 1 天"]


def test_catalog_plurals_zero_form_fallback_and_keys() -> None:
    catalog = Catalog()
    catalog.add("x", "en", {"n": {"zero": "none", "one": "{n} member", "other": "{n} members"}})
    catalog.add("x", "zh", {"n": "{n} 位成员"})
    assert [catalog.t("x.n", "en", n=k) for k in (0, 1, 2)] == ["none", "1 member", "2 members"]
    assert catalog.t("x.n", "zh", n=1) == "1 位成员"
    assert catalog.keys("en") == catalog.keys("zh") == {"x.n"}
    assert catalog.has("x.n", "en")
    catalog.add("y", "en", {"n": {"one": "{n} day", "other": "{n} days"}})
    assert catalog.t("y.n", "zh", n=1) == "1 day"  # no zh text: the English form, chosen for en


# -- 13: one rule for permission refusals -------------------------------------------------------
async def test_a_refusal_goes_to_private_and_the_group_stays_quiet(fake):
    out = await fake.play(["bob: /parcel wipe"])
    assert [(o.channel, o.text) for o in out] == [("dm:bob", "使用 /包裹 清空 需要管理员权限。")]


async def test_a_refusal_to_a_member_with_closed_private_chat_is_a_short_note_in_the_group(fake):
    fake.console.dm_closed.add("bob")
    out = await fake.play(["bob: /parcel wipe"])
    assert [(o.channel, o.text) for o in out] == [("lobby", "bob：只有管理员可以使用 /包裹 清空。")]


async def test_the_timezone_refusal_follows_the_same_rule(fake):
    out = await fake.play([":locale en", "bob: /timezone Asia/Tokyo"])
    assert [(o.channel, o.text) for o in out] == [("dm:bob", "You need to be an admin to use /timezone.")]


# -- 14: /help ----------------------------------------------------------------------------------
async def test_help_is_grouped_by_plugin_with_names_in_the_readers_language(fake):
    [zh] = await fake.say("alice: /help")
    lines = zh.splitlines()
    assert lines.index("【基本】") < lines.index("【包裹】")
    after = lines[lines.index("【包裹】") + 1 :]
    assert "/包裹 寄 <收件人> <数量> [原因...] — 给成员寄积分" in after
    assert "/帮助 [命令...] — 列出你可以使用的命令，或说明某个命令：/help 命令" in lines
    [en] = await fake.say(":locale en", "bob: /help")
    assert "【Parcels】" in en and "/parcel send <who>" in en and "/包裹" not in en


async def test_help_command_shows_usage_description_names_and_examples(fake):
    [zh] = await fake.say("alice: /help 包裹 寄")
    assert zh.splitlines() == [
        "用法：/包裹 寄 <收件人> <数量> [原因...]",
        "给成员寄积分",
        "也可以用：/parcel send",
        "示例：",
        "/包裹 寄 @bob 5 谢谢",
        "/包裹 寄 @carol 1",
    ]
    [en] = await fake.say(":locale en", "bob: /help /parcel send")
    assert en.splitlines()[:4] == [
        "Usage: /parcel send <who> <amount> [reason...]",
        "Send points to a member",
        "Also: /包裹 寄",
        "Examples:",
    ]
    [admin_only] = await fake.say("bob: /help parcel wipe")
    assert "Only an admin may use it." in admin_only
    [unknown] = await fake.say("bob: /help nosuch")
    assert unknown == "There is no command /nosuch. Send /help to see the commands."


async def test_start_with_a_payload_is_still_the_whole_help(fake):
    [start] = await fake.dm("alice", "/start ref-42")
    assert start.startswith("你可以使用的命令：")
