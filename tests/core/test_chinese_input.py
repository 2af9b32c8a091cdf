"""What Chinese input methods type (issue 17, item 15): a full-width colon in the console, a
full-width slash, trailing punctuation, Chinese words for choices, dates and timezones."""

from datetime import date
from typing import Literal

import pytest

from bot import Context, Plugin
from bot.builtins import parse_zone
from bot.commands import ArgError, normalize_word, parse_date, split_command

words = Plugin("words", description="test commands")


@words.command("board")
async def board(ctx: Context, period: Literal["day", "week", "month", "all"] = "all") -> None:
    await ctx.reply(period)


@words.command("makeup")
async def makeup(ctx: Context, day: date) -> None:
    await ctx.reply(day.isoformat())


pytestmark = pytest.mark.plugins(words)


def test_full_width_slash_and_trailing_punctuation_make_a_command() -> None:
    assert split_command("／签到", "qunbot") == ("签到", "")
    assert split_command("/签到！", "qunbot") == ("签到", "")
    assert split_command("／checkin!!", "qunbot") == ("checkin", "")
    assert split_command("/积分 转账 @bob 5。", "qunbot") == ("积分", "转账 @bob 5。")
    assert split_command("/签到，今天", "qunbot") is None  # no space after the name: chat
    assert split_command("签到！", "qunbot") is None


def test_normalize_word_for_plain_keywords() -> None:
    assert normalize_word("签到！") == "签到"
    assert normalize_word("  Checkin. ") == "checkin"
    assert normalize_word("ｃｈｅｃｋｉｎ～") == "checkin"
    assert normalize_word("签到🎉") == "签到"
    assert normalize_word("签 到") == "签 到"  # only the ends


async def test_console_reads_a_full_width_colon(fake):
    assert await fake.say("alice：/board") == ["all"]
    await fake.say("alice@dm：/board 本周")
    assert fake.outputs[-1].channel == "dm:alice" and fake.outputs[-1].text == "week"
    assert await fake.say("：locale en", "bob： /board") == ["all"]
    assert fake.console.locale == "en"


async def test_full_width_slash_in_chat(fake):
    assert await fake.say("alice: ／board！") == ["all"]


async def test_choices_take_the_catalogs_chinese_words(fake):
    assert await fake.say("alice: /board 本周") == ["week"]
    assert await fake.say("alice: /board 本月。") == ["month"]
    assert await fake.say("alice: /board WEEK") == ["week"]
    [bad] = await fake.say("alice: /board 明年")
    assert bad.startswith("<时段> 必须是以下之一：今天, 本周, 本月, 全部（收到“明年”）")
    assert bad.endswith("用法：/board [今天|本周|本月|全部]")


async def test_lang_in_chinese(fake):
    assert await fake.say("alice: /语言 英文") == ["Your language is now English."]
    assert await fake.say("alice: /lang 中文") == ["你的语言已设为中文。"]


def test_dates_as_members_write_them() -> None:
    today = date(2026, 1, 5)
    assert parse_date("昨天", today) == date(2026, 1, 4)
    assert parse_date("前天", today) == date(2026, 1, 3)
    assert parse_date("today", today) == today
    assert parse_date("2025-12-04", today) == date(2025, 12, 4)
    assert parse_date("12-04", today) == date(2025, 12, 4)  # not in the future: last year's
    assert parse_date("01-05", today) == date(2026, 1, 5)
    assert parse_date("12月4日", today) == date(2025, 12, 4)
    assert parse_date("2025年12月4号", today) == date(2025, 12, 4)
    assert parse_date("１２－０４", today) == date(2025, 12, 4)  # full-width digits and dash
    for bad in ("02-30", "明年", "2025-13-01", "4"):
        with pytest.raises(ArgError):
            parse_date(bad, today)


async def test_a_date_argument_is_the_groups_day(fake):
    # The fake clock starts 2026-03-02 09:00 in the group's timezone (Asia/Shanghai).
    assert await fake.say("alice: /makeup 昨天") == ["2026-03-01"]
    assert await fake.say("alice: /makeup 12-04") == ["2025-12-04"]
    [bad] = await fake.say("alice: /makeup 明天见")
    assert bad.startswith("“明天见”不是有效日期")


def test_zones_as_members_name_them() -> None:
    assert parse_zone("北京时间") == (parse_zone("Asia/Shanghai")[0], False)
    assert parse_zone("asia/shanghai")[0].key == "Asia/Shanghai"
    assert parse_zone("东京")[0].key == "Asia/Tokyo"
    assert parse_zone("New York")[0].key == "America/New_York"
    assert parse_zone("UTC+8")[0].key == "Etc/GMT-8" and parse_zone("UTC+8")[1]
    assert parse_zone("GMT-5")[0].key == "Etc/GMT+5"
    assert parse_zone("+08:00")[0].key == "Etc/GMT-8"
    assert parse_zone("UTC")[0].key == "UTC"
    assert parse_zone("UTC+5:30") is None  # no fixed zone for it: ask for a city
    assert parse_zone("火星") is None


async def test_timezone_in_chinese_and_as_an_offset(fake):
    fake.admin("alice")
    [set_] = await fake.say("alice: /时区 北京时间")
    assert set_.startswith("本群时区已设为 Asia/Shanghai（当地时间 2026-03-02 09:00）")
    [offset] = await fake.say("alice: /timezone UTC+8")
    assert offset.startswith("本群时区已设为 UTC+8 (Etc/GMT-8)（当地时间 2026-03-02 09:00）")
    assert "没有夏令时" in offset
    [shown] = await fake.say("bob: /timezone")
    assert shown.startswith("本群时区：UTC+8 (Etc/GMT-8)")
