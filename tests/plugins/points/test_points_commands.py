"""Every points command with good and bad arguments, as members and admins type them."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Awaitable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import GroupRef, MemberRef
from bot.storage.models import Account, AuditEntry
from bot.testing import make_app
from plugins.points import Points
from plugins.points import commands as points_commands
from plugins.points.csvio import balances_csv, ledger_csv
from plugins.points.models import Balance, LedgerEntry

EN = {"bot": {"owners": ["console:root"]}, "plugins": {"points": {"xp_min": 20, "xp_max": 20}}}
pytestmark = [pytest.mark.plugins("points"), pytest.mark.bot_config(EN)]


def member(user: str, group: str = "lobby") -> MemberRef:
    return MemberRef("console", user, GroupRef("console", group, group))


def points_of(app) -> Points:
    return app.scope("points").service(Points)


async def balance(fake, user: str, group: str = "lobby") -> int:
    return await points_of(fake.app).balance(member(user, group))


@pytest.fixture
async def chat(fake):
    """alice (admin) and bob have spoken once: 20 points and 20 XP each."""
    fake.admin("alice")
    await fake.say(":locale en", "alice: hello everyone", "bob: hi alice, nice to meet you")
    return fake


async def test_me_shows_points_level_title_progress_and_rank(chat):
    await chat.clock.advance(60)
    await chat.say("bob: talking a bit more")
    (card,) = await chat.say("bob: /me")
    assert card.splitlines() == [
        "bob · Lv.0 Newcomer",
        "Points: 40 · XP: 40",
        "▰▰▰▰▱▱▱▱▱▱ 40% 60 XP to Lv.1",
        "Rank #1 in this group",
    ]
    (alice,) = await chat.say("alice: /me")
    assert "Rank #2 in this group" in alice


async def test_me_only_in_groups(chat):
    assert await chat.say("bob@dm: /me") == ["/me works only in a group."]


async def test_rank_of_another_member_and_a_bad_mention(chat):
    (card,) = await chat.say("alice: /rank @bob")
    assert card.startswith("bob · Lv.0")
    (error,) = await chat.say("alice: /rank @nobody")
    assert "I don't know @nobody yet" in error and "Usage: /rank [member]" in error


async def test_give_and_take_by_an_admin_are_audited(chat):
    (out,) = await chat.say("alice: /points give @bob 50 great answer")
    assert out == "Gave 50 points to bob. New balance: 70."
    (out,) = await chat.say("alice: /points take @bob 30 spam")
    assert out == "Took 30 points from bob. New balance: 40."
    entries = AuditEntry.filter(plugin="points").order_by("id")
    actions = await entries.values_list("action", "target", "detail")
    assert actions == [
        ("points.give", "console:bob", {"amount": 50, "reason": "great answer"}),
        ("points.take", "console:bob", {"amount": 30, "reason": "spam"}),
    ]
    # Granted points are not activity: bob's level and XP are unchanged.
    standing = await points_of(chat.app).standing(member("bob"))
    assert (standing.balance, standing.lifetime_xp) == (40, 20)


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/points give @bob 0", "The amount must be a positive whole number (got 0). Nothing was changed."),
        ("/points give @bob -5", "The amount must be a positive whole number (got -5). Nothing was changed."),
        ("/points give @bob lots", "<amount> must be a whole number, not “lots”."),
        ("/points give @bob", "Missing argument <amount>."),
        ("/points give bob 5", "<member> must be an @mention of a member (got “bob”)."),
        ("/points take @bob 21", "bob has only 20 points; nothing was taken."),
        ("/points take @bob 0", "The amount must be a positive whole number (got 0). Nothing was changed."),
    ],
)
async def test_give_and_take_refuse_bad_amounts_and_change_nothing(chat, command, answer):
    (out,) = await chat.say(f"alice: {command}")
    assert out.splitlines()[0] == answer
    assert await balance(chat, "bob") == 20
    assert await LedgerEntry.filter(user_id="bob").count() == 1


async def test_members_cannot_give_or_take(chat):
    for command in ("/points give @alice 100", "/points take @alice 5"):
        (out,) = await chat.say(f"bob: {command}")
        assert out == f"You need to be an admin to use /{command.split()[0][1:]} {command.split()[1]}."
    assert await balance(chat, "alice") == 20


async def test_pay_moves_points_between_members(chat):
    (out,) = await chat.say("bob: /points pay @alice 15")
    assert out == "Paid 15 points to alice. Your balance: 5."
    assert (await balance(chat, "alice"), await balance(chat, "bob")) == (35, 5)
    # A payment never adds XP.
    assert (await points_of(chat.app).standing(member("alice"))).lifetime_xp == 20


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/points pay @alice 21", "You have 20 points, not enough for 21. Nothing was changed."),
        ("/points pay @alice 0", "The amount must be a positive whole number (got 0). Nothing was changed."),
        ("/points pay @alice -1",
         "The amount must be a positive whole number (got -1). Nothing was changed."),
        ("/points pay @alice 1.5", "<amount> must be a whole number, not “1.5”."),
        ("/points pay @bob 5", "You cannot pay yourself."),
    ],
)
async def test_pay_refuses_bad_amounts(chat, command, answer):
    (out,) = await chat.say(f"bob: {command}")
    assert out.splitlines()[0] == answer
    assert (await balance(chat, "alice"), await balance(chat, "bob")) == (20, 20)


@pytest.mark.bot_config({"plugins": {"points": {"pay_enabled": False}}})
async def test_pay_can_be_disabled(fake):
    await fake.say(":locale en", "bob: hello there", "alice: hello bob")
    assert await fake.say("bob: /points pay @alice 1") == [
        "Paying points between members is turned off in this bot."
    ]


async def test_history_own_and_by_admins(chat):
    await chat.say("alice: /points give @bob 5 thanks")
    await chat.say("bob: /points pay @alice 3")
    (own,) = await chat.say("bob: /points history")
    assert own.splitlines() == [
        "Recent points of bob:",
        "03-02 09:00  -3  transfer to alice",
        "03-02 09:00  +5  earned · thanks",
        "03-02 09:00  +20 (+20 XP)  earned · chat activity",
    ]
    (alices,) = await chat.say("alice: /points history")
    assert alices.splitlines()[1] == "03-02 09:00  +3  transfer from bob"
    # A permission refusal, by the one rule: in private, the group stays quiet.
    refused = await chat.play(["bob: /points history @alice"])
    assert [(o.channel, o.text) for o in refused] == [
        ("dm:bob", "You need to be an admin to use /points history @alice.")
    ]
    (other,) = await chat.say("alice: /points history @bob")
    assert other == own
    (empty,) = await chat.say("carol: /points history")
    assert empty == "carol has no points history yet."


async def test_top_by_level_and_by_period(chat):
    await chat.clock.advance(60)
    await chat.say("bob: another message")
    (board,) = await chat.say("carol: /top")
    assert board.splitlines() == [
        "🏆 Top levels",
        "1. bob — Lv.0 Newcomer · 40 XP",
        "2. alice — Lv.0 Newcomer · 20 XP",
    ]
    # Next week (Monday 09:00 + 7 days): this week's board starts empty, the all-time one not.
    await chat.clock.advance(timedelta(days=7))
    (week,) = await chat.say("carol: /top week")
    assert week.splitlines()[1] == "Nobody has earned XP in this period yet."
    await chat.say("alice: back again after a week")
    for period, heading in (("day", "today"), ("week", "this week")):
        (board,) = await chat.say(f"carol: /top {period}")
        assert board.splitlines() == [f"🏆 Most active {heading}", "1. alice — +20 XP"]
    # Both Mondays are in March.
    (board,) = await chat.say("carol: /top month")
    assert board.splitlines() == ["🏆 Most active this month", "1. alice — +40 XP", "2. bob — +40 XP"]
    (bad,) = await chat.say("carol: /top year")
    assert bad.startswith("<period> must be one of: day, week, month, all")


@pytest.mark.bot_config({"plugins": {"points": {"scope": "global", "xp_min": 20, "xp_max": 20}}})
@pytest.mark.parametrize("page", [1, 200])
async def test_with_one_balance_everywhere_a_groups_board_lists_its_members(fake, page, monkeypatch):
    monkeypatch.setattr(points_commands, "BOARD_PAGE", page)  # read a row at a time, or all
    await fake.say(":locale en", "alice: hello everyone", "bob: hi alice there", "dan: hello, bye soon")
    await fake.say(":group second", ":locale en", "carol: hello second group")
    await fake.clock.advance(60)
    await fake.say("alice: now in the second group too", ":group lobby", "-dan")
    (board,) = await fake.say("bob: /top")  # dan left; carol was never here
    assert board.splitlines()[1:] == ["1. alice — Lv.0 Newcomer · 40 XP", "2. bob — Lv.0 Newcomer · 20 XP"]
    (board,) = await fake.say(":group second", "carol: /top")
    assert board.splitlines()[1:] == [
        "1. alice — Lv.0 Newcomer · 40 XP", "2. carol — Lv.0 Newcomer · 20 XP"
    ]


async def test_top_across_groups_is_for_owners(chat):
    await chat.say(":group second", "bob: hello second group")
    (refused,) = await chat.say("bob: /top all global")
    assert refused.startswith("You need to be a bot owner")
    (board,) = await chat.say("root: /top all global")
    assert board.splitlines() == [
        "🏆 Top levels · all groups",
        "1. bob — Lv.0 Newcomer · 40 XP",
        "2. alice — Lv.0 Newcomer · 20 XP",
    ]
    (today,) = await chat.say("root@dm: /top day global")
    assert today.splitlines()[1] == "1. bob — +40 XP"
    assert await chat.say("bob@dm: /top") == ["/top works only in a group."]
    # Who left every group is on no board, the owners' boards across groups included.
    await chat.say("-bob", ":group lobby", "-bob")
    for line in ("root: /top all global", "root@dm: /top day global"):
        (board,) = await chat.say(line)
        assert "bob" not in board, line


async def read_csv(made: Awaitable[bytes]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((await made).decode("utf-8-sig"))))


async def test_export_sends_csv_files_to_the_admin(chat):
    await chat.say("alice: /points give @bob 7 prize")
    outputs = await chat.play(["alice: /points export"])
    assert [o.channel for o in outputs] == ["dm:alice"]
    assert outputs[0].attachments[0].startswith("points-balances-lobby-")
    assert outputs[0].attachments[1].startswith("points-ledger-lobby-")
    assert (await chat.say("bob: /points export"))[0].startswith("You need to be an admin")
    rows = await read_csv(balances_csv(chat.app.scope("points").roster, "console", "lobby"))
    assert {(r["name"], r["balance"], r["lifetime_xp"]) for r in rows} == {
        ("bob", "27", "20"), ("alice", "20", "20")
    }
    ledger = await read_csv(ledger_csv("console", "lobby"))
    assert [(r["user_id"], r["amount"], r["reason"]) for r in ledger][-1] == ("bob", "7", "prize")


async def test_the_ledger_export_writes_times_as_the_group_reads_them(chat):
    await chat.say("alice: /timezone Asia/Shanghai", "alice: /points give @bob 7 prize")
    (sent,) = await chat.play(["alice: /points export"])
    path = next(p for p in re.findall(r"<([^>]+)>", sent.line) if "points-ledger" in p)
    text = await asyncio.to_thread(Path(path).read_text, "utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    given = await LedgerEntry.filter(reason="prize").first()
    assert given is not None
    local = given.created_at.astimezone(ZoneInfo("Asia/Shanghai")).isoformat(timespec="seconds")
    assert rows[-1]["created_at"] == local and local.endswith("+08:00")


async def test_exported_text_cannot_become_a_spreadsheet_formula(chat):
    # A member's display name and an admin's reason are text; opened in a spreadsheet, a cell
    # starting with = + - @ would run as a formula (CSV injection). Amounts stay numbers.
    bob = Account.filter(platform="console", user_id="bob")
    await bob.update(name='=HYPERLINK("http://x.example","win")')
    await chat.say("alice: /points give @bob 7 @SUM(1+1)", "alice: /points take @bob 3 -fine")
    rows = await read_csv(balances_csv(chat.app.scope("points").roster, "console", "lobby"))
    assert {(r["name"], r["balance"]) for r in rows} == {("'=HYPERLINK(\"http://x.example\",\"win\")", "24"),
                                                         ("alice", "20")}
    ledger = await read_csv(ledger_csv("console", "lobby"))
    assert [(r["amount"], r["reason"]) for r in ledger][-2:] == [("7", "'@SUM(1+1)"), ("-3", "'-fine")]


async def test_chinese_replies(chat):
    await chat.say(":locale zh")
    (card,) = await chat.say("bob: /me")
    assert card.splitlines()[0] == "bob · Lv.0 新人"
    assert (await chat.say("bob: /points pay @alice 0"))[0].startswith("数量必须是正整数")


# -- maintenance commands (the real CLI in a subprocess) -------------------------------------------
def qunbot(config: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "QUNBOT_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "points", *args],
        capture_output=True, text=True, env=env, timeout=60,
    )


async def test_verify_and_import_cli(tmp_path):
    database = tmp_path / "bot.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite://{database}"\n[plugins]\nenabled = ["points"]\n')
    app, _console = make_app(["points"], database_url=f"sqlite://{database}")
    await app.start()
    await points_of(app).earn(member("alice"), 30, key="k", reason="r")
    await app.stop()

    ok = qunbot(config, "verify")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK, 1 balance(s)" in ok.stdout

    mee6 = tmp_path / "mee6.csv"
    mee6.write_text("Player ID,Username,Level,XP\n1001,ann,3,500\n1002,ben,1,120\n")
    imported = qunbot(config, "import", str(mee6), "--platform", "telegram", "--guild", "-100123")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "2 member(s) imported" in imported.stdout
    again = qunbot(config, "import", str(mee6), "--platform", "telegram", "--guild", "-100123")
    assert "0 member(s) imported" in again.stdout
    assert qunbot(config, "import", str(mee6), "--platform", "telegram").returncode == 2

    bad = tmp_path / "bad.csv"
    bad.write_text("1001,lots\n")
    failed = qunbot(config, "import", str(bad), "--platform", "telegram", "--guild", "-100123")
    assert failed.returncode == 2 and "line 1" in failed.stdout

    app, _console = make_app(["points"], database_url=f"sqlite://{database}")
    await app.open()
    try:
        group = GroupRef("telegram", "-100123", "-100123")
        ann = await points_of(app).standing(MemberRef("telegram", "1001", group))
        assert (ann.balance, ann.lifetime_xp, ann.level) == (0, 500, 3)
        await Balance.filter(user_id="alice").update(balance=29)  # corrupt it behind the ledger
    finally:
        await app.stop()
    broken = qunbot(config, "verify")
    assert broken.returncode == 1
    assert "console:lobby:alice: balance 29 but ledger 30" in broken.stdout


async def test_top_day_follows_the_groups_local_day_east_and_west_of_utc(fake):
    # Stored times are UTC; the period starts at the group's local midnight, whatever its offset.
    for zone, early, late in (
        ("Asia/Shanghai", datetime(2026, 3, 2, 23, 30), datetime(2026, 3, 3, 1, 0)),
        ("America/New_York", datetime(2026, 3, 2, 20, 0), datetime(2026, 3, 3, 1, 0)),
    ):
        group = zone.split("/")[1].lower()
        fake.admin("alice", group)
        await fake.say(f":group {group}", ":locale en", f"alice: /timezone {zone}")
        fake.clock.set(early.replace(tzinfo=ZoneInfo(zone)))
        await fake.say("bob: yesterday evening in this group")
        fake.clock.set(late.replace(tzinfo=ZoneInfo(zone)))
        await fake.say("carol: one in the morning, local time")
        (board,) = await fake.say("carol: /top day")
        assert board.splitlines() == ["🏆 Most active today", "1. carol — +20 XP"], zone
