"""``qunbot ads check``: recorded Telegram and Discord message objects go through the adapters'
converters, then the detector under the config's whitelists and keywords, one verdict a line."""

from __future__ import annotations

import io
import json
import sys

import pytest

import bot.cli

GROUP = {"id": -1001234567890, "type": "supergroup", "title": "Tea House"}
ANN = {"id": 501, "is_bot": False, "first_name": "Ann", "username": "ann"}
CONFIG = """\
[bot]
locale = "en"

[plugins]
enabled = ["points", "redpacket", "ads"]

[plugins.ads]
domains = ["example.org"]
usernames = ["teahouse_news"]
keywords = ["团购\\\\s*接龙"]
"""

TELEGRAM = [
    # 1. A pitch forwarded from a foreign channel.
    {
        "message_id": 77, "date": 1767600000, "chat": GROUP, "from": ANN,
        "text": "Join our VIP signals, 10x gains every day",
        "forward_origin": {
            "type": "channel", "message_id": 12, "date": 1767590000,
            "chat": {"id": -1009876, "type": "channel", "title": "Signals", "username": "pump_signals_vip"},
        },
    },
    # 2. An innocent text with an invite behind an inline keyboard's URL button.
    {
        "text": "今天的分享在这里，欢迎大家看看",
        "reply_markup": {"inline_keyboard": [[{"text": "进群领福利", "url": "https://t.me/+AbCdEfGh123"}]]},
    },
    # 3. A photo whose caption hides a shop behind "点这里" (a text_link entity).
    {
        "photo": [{"file_id": "x", "file_unique_id": "y", "width": 90, "height": 90}],
        "caption": "新品上架 点这里",
        "caption_entities": [{"type": "text_link", "offset": 5, "length": 3, "url": "https://shop-deal.top/a"}],
    },
    # 4. A member sharing a page of the whitelisted domain (a url entity).
    {
        "text": "setup notes: https://wiki.example.org/setup",
        "entities": [{"type": "url", "offset": 13, "length": 30}],
    },
    # 5. The linked channel's post, copied into the group by Telegram: never judged.
    {
        "text": "Join now", "is_automatic_forward": True,
        "sender_chat": {"id": -1005555, "type": "channel", "title": "Our channel"},
        "forward_origin": {"type": "channel", "message_id": 3, "date": 1767590000,
                           "chat": {"id": -1005555, "type": "channel", "title": "Our channel"}},
    },
    # 6. An admin keyword of the config, in full-width letters and spaced.
    {"text": "周末 团购   接龙 开始啦"},
    # 7. Mentioning the group's whitelisted channel.
    {"text": "news is on @teahouse_news", "entities": [{"type": "mention", "offset": 11, "length": 14}]},
]
DISCORD = [
    # 8. A rich embed whose title links to a look-alike gift page.
    {"content": "check this out", "embeds": [
        {"type": "rich", "title": "Free Nitro for 3 months", "url": "https://dlscord-gift.xyz/claim"}]},
    # 9. A link button to a server invite (components).
    {"content": "our server", "components": [{"type": 1, "components": [
        {"type": 2, "style": 5, "label": "Join", "url": "https://discord.gg/cryptopump"}]}]},
    # 10. A masked link to whitelisted docs.
    {"content": "The fix is in [the docs](https://docs.python.org/3/library/re.html), section 4"},
    # 11. A forward out of another server: the snapshot's text is judged.
    {"content": "",
     "message_reference": {"type": 1, "guild_id": "555", "channel_id": "556", "message_id": "557"},
     "message_snapshots": [{"message": {
         "type": 0, "content": "💰 日赚3000 加微信 lucky8899", "embeds": [], "attachments": [],
         "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None, "flags": 0,
         "mentions": [], "mention_roles": []}}]},
]


@pytest.fixture
def folder(cli_folder):
    (cli_folder / "config.toml").write_text(CONFIG, encoding="utf-8")
    return cli_folder


def check(monkeypatch, capsys, lines: list[str], *options: str) -> tuple[int, list[str]]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    code = bot.cli.main(["--config", "config.toml", "ads", "check", *options])
    return code, capsys.readouterr().out.splitlines()


def test_platform_messages_are_judged_as_the_bot_judges_them(folder, monkeypatch, capsys):
    lines = [json.dumps(m) for m in TELEGRAM] + [json.dumps({"platform": "discord", **m}) for m in DISCORD]
    code, out = check(monkeypatch, capsys, lines)
    assert code == 0
    assert len(out) == len(lines)
    labels = [line.split("\t")[0] for line in out]
    assert labels == ["ad", "ad", "ad", "benign", "benign", "ad", "benign", "ad", "ad", "benign", "ad"]
    reasons = [line.split("\t")[1] for line in out]
    assert "channel_forward(@pump_signals_vip)" in reasons[0]
    assert "invite(t.me/+abcdefgh123)" in reasons[1]  # the button's chat invite, counted once
    assert "hidden_link(点这里 -> shop-deal.top)" in reasons[2]
    assert reasons[3].startswith("no signal")
    assert reasons[4] == "not judged: the linked channel's post, copied by the platform"
    assert "keyword(" in reasons[5]
    assert reasons[6].startswith("no signal")
    assert "hidden_link(Free Nitro for 3 months -> dlscord-gift.xyz)" in reasons[7]
    assert "discord_invite(discord.gg/cryptopump)" in reasons[8]  # a link button, read as the invite
    assert reasons[9].startswith("no signal")
    assert "contact_id(微信 lucky8899)" in reasons[10] and "group_forward" in reasons[10]


def test_known_usernames_stand_in_for_the_roster_and_bad_lines_are_named(folder, monkeypatch, capsys):
    (folder / "members.txt").write_text("@carol_dev\nbob\n", encoding="utf-8")
    ask = {"text": "DM @carol_dev for tickets",
           "entities": [{"type": "mention", "offset": 3, "length": 10}]}
    other = json.dumps({"platform": "matrix", "text": "hi"})
    lines = [json.dumps(ask), "{not json", other, "plain words, no link"]
    code, out = check(monkeypatch, capsys, lines)
    assert code == 1  # a line was not a message
    assert out[0].startswith("ad\t") and "@carol_dev" in out[0]
    assert out[1].startswith("error\tline 2: not JSON")
    assert out[2] == "error\tline 3: unknown platform 'matrix' (telegram or discord)"
    assert out[3].startswith("benign\t")
    code, out = check(monkeypatch, capsys, [json.dumps(ask)], "--known-usernames", "members.txt")
    assert code == 0
    assert out[0].startswith("benign\t")


def test_a_reply_is_judged_with_the_question_it_answers(folder, monkeypatch, capsys):
    # (A phone number and a price said plainly in a member's words stand alone as well: the
    # locksmith's WhatsApp is what only the question makes an answer.)
    answer = "Paul at Withington Locks came out at midnight for us. WhatsApp 07700 900372"
    question = {"message_id": 90, "date": 1767600000, "chat": GROUP, "from": ANN,
                "text": "Anyone know a decent locksmith? Locked out again"}
    lines = [
        json.dumps({"text": answer, "reply_to_message": question}),
        json.dumps({"text": answer}),
        json.dumps({"platform": "discord", "content": answer, "type": 19,
                    "message_reference": {"type": 0, "channel_id": "556", "message_id": "557"},
                    "referenced_message": {
                        "id": "557", "channel_id": "556", "type": 0, "content": question["text"],
                        "author": {"id": "9", "username": "ann", "discriminator": "0", "avatar": None},
                        "embeds": [], "attachments": [], "mentions": [], "mention_roles": [],
                        "timestamp": "2026-01-01T00:00:00+00:00", "edited_timestamp": None,
                        "flags": 0, "pinned": False, "tts": False, "mention_everyone": False}}),
    ]
    code, out = check(monkeypatch, capsys, lines)
    assert code == 0
    assert [line.split("\t")[0] for line in out] == ["benign", "ad", "benign"]
    assert "answered(anyone know)" in out[0] and "answered(anyone know)" in out[2]
