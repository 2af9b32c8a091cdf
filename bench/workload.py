"""The benchmark's traffic: one deterministic conversation, as Telegram update dicts and as
Discord gateway MESSAGE_CREATE payloads.

``messages`` group messages from ``members`` members in ``groups`` groups, one every 0.1 s of
platform time (a busy community of 10 messages a second, so members hit the XP cooldown the way
they do in real groups). Members mostly talk in their home group and sometimes elsewhere, so
every member is first *seen* in several groups during the run (a first sighting writes the
roster). ``checkin_rate`` of the messages are ``/checkin`` (on Discord, where commands are
slash commands, the check-in word ``签到``). Some messages are replies, carry a link or an
@mention, or are too short to earn XP. ``joins`` members arrive by a join (Telegram's
``new_chat_members`` service message, Discord's GUILD_MEMBER_ADD) right before their first
message in a group: onboarding welcomes them.

The dicts are what the Bot API and the gateway send: complete enough for python-telegram-bot's
``Update.de_json`` and discord.py's parser.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "BOT_ID",
    "BOT_USERNAME",
    "START",
    "TOKEN",
    "Conversation",
    "Line",
    "RosterUpdates",
    "build_conversation",
    "discord_payloads",
    "telegram_updates",
]

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai, a Monday
STEP = timedelta(milliseconds=100)
TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz"
BOT_ID = 123456
BOT_USERNAME = "qunbot_bench"
OWNER_ID = 1

WORDS = (
    "hello 你好 today build release bot points level 大家 早上好 meeting coffee python 今天 "
    "发布 问题 谢谢 ok sure lunch 周末 deploy review 😀 👍 🎉"
).split()
SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周".split()
GIVEN = "伟 芳 娜 敏 静 磊 强 洋 勇 艳 杰 涛 明 超 霞".split()
LATIN = "Ann Bob Carla Dmitri Eve Farid Grace Hiro Ines Jon Kemal Lena Maya Noor Omar Pia".split()


@dataclass(frozen=True, slots=True)
class Member:
    index: int
    first_name: str
    last_name: str | None
    username: str | None
    language: str
    home: int


@dataclass(frozen=True, slots=True)
class Line:
    """One thing that happens: a message (``kind="message"``) or a join (``kind="join"``)."""

    n: int
    kind: str
    member: int
    group: int
    at: datetime
    text: str = ""
    checkin: bool = False
    reply_to: int | None = None  # n of an earlier message in the same group
    url: bool = False
    mention: int | None = None  # member index mentioned


@dataclass
class Conversation:
    members: list[Member]
    groups: int
    lines: list[Line]
    stats: dict[str, int] = field(default_factory=dict)


def _member(rng: random.Random, index: int, groups: int) -> Member:
    chinese = rng.random() < 0.6
    if chinese:
        first, last = rng.choice(GIVEN) + rng.choice(GIVEN), rng.choice(SURNAMES)
    else:
        first, last = rng.choice(LATIN), (rng.choice(LATIN) + "son" if rng.random() < 0.5 else None)
    username = (
        f"m{index}_{first.lower()}"
        if rng.random() < 0.8 and not chinese
        else (f"user{index}" if rng.random() < 0.5 else None)
    )
    return Member(index, first, last, username, "zh" if chinese else "en", index % groups)


def build_conversation(
    messages: int = 20_000,
    members: int = 200,
    groups: int = 10,
    checkin_rate: float = 0.01,
    joins: int = 20,
    seed: int = 7,
) -> Conversation:
    rng = random.Random(seed)
    people = [_member(rng, i, groups) for i in range(members)]
    seen: set[tuple[int, int]] = set()
    # Some (member, group) pairs start with a join: the member arrives, then talks.
    joiners: set[tuple[int, int]] = set()
    while len(joiners) < min(joins, members * groups):
        joiners.add((rng.randrange(members), rng.randrange(groups)))
    last_in_group: dict[int, list[int]] = {}
    lines: list[Line] = []
    at = START
    stats = {"messages": 0, "joins": 0, "checkins": 0, "first_sightings": 0, "replies": 0}
    for _ in range(messages):
        m = rng.randrange(members)
        g = people[m].home if rng.random() < 0.8 else rng.randrange(groups)
        at += STEP
        if (m, g) not in seen:
            seen.add((m, g))
            stats["first_sightings"] += 1
            if (m, g) in joiners:
                lines.append(Line(len(lines), "join", m, g, at))
                stats["joins"] += 1
        roll = rng.random()
        if roll < checkin_rate:
            line = Line(len(lines), "message", m, g, at, "/checkin", checkin=True)
            stats["checkins"] += 1
        else:
            short = rng.random() < 0.1
            text = "ok" if short else " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12)))
            recent = last_in_group.get(g, [])
            reply_to = rng.choice(recent) if recent and rng.random() < 0.05 else None
            url = rng.random() < 0.02
            mention = rng.randrange(members) if rng.random() < 0.01 else None
            if url:
                text += " https://example.com/post/" + str(rng.randrange(10_000))
            line = Line(len(lines), "message", m, g, at, text, reply_to=reply_to, url=url, mention=mention)
            stats["replies"] += reply_to is not None
        lines.append(line)
        stats["messages"] += 1
        recent = last_in_group.setdefault(g, [])
        recent.append(line.n)
        if len(recent) > 20:
            del recent[0]
    return Conversation(people, groups, lines, stats)


# -- Telegram ------------------------------------------------------------------------------------


def tg_user_id(member: int) -> int:
    return 5_000_000_000 + member * 7919  # beyond 32 bits, as new Telegram ids are


def tg_chat_id(group: int) -> int:
    return -1_001_000_000_001 - group


def tg_user(m: Member) -> dict[str, Any]:
    user: dict[str, Any] = {"id": tg_user_id(m.index), "is_bot": False, "first_name": m.first_name}
    if m.last_name:
        user["last_name"] = m.last_name
    if m.username:
        user["username"] = m.username
    user["language_code"] = m.language
    return user


def tg_chat(group: int) -> dict[str, Any]:
    return {"id": tg_chat_id(group), "type": "supergroup", "title": f"Bench group {group}"}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def telegram_updates(conv: Conversation, first_update_id: int = 700_000_000) -> list[dict[str, Any]]:
    """One update dict per line, as ``getUpdates`` returns them."""
    updates: list[dict[str, Any]] = []
    sent: dict[int, dict[str, Any]] = {}  # n -> message dict (for replies)
    message_ids: dict[int, int] = {}  # group -> last message id
    for line in conv.lines:
        member = conv.members[line.member]
        message_id = message_ids.get(line.group, 0) + 1
        message_ids[line.group] = message_id
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": tg_user(member),
            "chat": tg_chat(line.group),
            "date": int(line.at.timestamp()),
        }
        if line.kind == "join":
            message["new_chat_members"] = [tg_user(member)]
            message["new_chat_member"] = tg_user(member)
            message["new_chat_participant"] = tg_user(member)
        else:
            text = line.text
            entities: list[dict[str, Any]] = []
            if line.checkin:
                entities.append({"type": "bot_command", "offset": 0, "length": len(text)})
            if line.mention is not None:
                target = conv.members[line.mention]
                if target.username:
                    handle = "@" + target.username
                    entities.append({"type": "mention", "offset": _utf16(text) + 1, "length": _utf16(handle)})
                    text = f"{text} {handle}"
                else:
                    name = target.first_name
                    entities.append(
                        {
                            "type": "text_mention",
                            "offset": _utf16(text) + 1,
                            "length": _utf16(name),
                            "user": tg_user(target),
                        }
                    )
                    text = f"{text} {name}"
            if line.url:
                link = text.rsplit(" ", 1)[1]
                entities.append(
                    {"type": "url", "offset": _utf16(text) - _utf16(link), "length": _utf16(link)}
                )
            message["text"] = text
            if entities:
                message["entities"] = sorted(entities, key=lambda e: e["offset"])
            if line.reply_to is not None and line.reply_to in sent:
                original = sent[line.reply_to]
                message["reply_to_message"] = {k: v for k, v in original.items() if k != "reply_to_message"}
            sent[line.n] = message
        updates.append({"update_id": first_update_id + line.n, "message": message})
    return updates


# -- Discord -------------------------------------------------------------------------------------

DISCORD_EPOCH_MS = 1_420_070_400_000


def dc_user_id(member: int) -> str:
    return str(300_000_000_000_000_000 + member)


def dc_guild_id(group: int) -> str:
    return str(200_000_000_000_000_000 + group)


def dc_channel_id(group: int) -> str:
    return str(210_000_000_000_000_000 + group)


def dc_role_id(group: int) -> str:
    return str(220_000_000_000_000_000 + group)


def dc_owner_id() -> str:
    return str(290_000_000_000_000_000)


def _snowflake(at: datetime, n: int) -> str:
    return str(((int(at.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22) + (n & 0xFFF))


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def dc_user(m: Member) -> dict[str, Any]:
    name = m.username or f"user{m.index}"
    return {
        "id": dc_user_id(m.index),
        "username": name.lower(),
        "global_name": m.first_name if m.last_name is None else f"{m.first_name} {m.last_name}",
        "discriminator": "0",
        "avatar": None,
        "bot": False,
        "system": False,
        "public_flags": 0,
        "flags": 0,
    }


def dc_member(joined: datetime) -> dict[str, Any]:
    return {
        "roles": [],
        "nick": None,
        "avatar": None,
        "banner": None,
        "joined_at": _iso(joined),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }


def discord_payloads(conv: Conversation) -> list[tuple[str, dict[str, Any]]]:
    """``(event name, data)`` per line, as the gateway's DISPATCH frames carry them. A check-in
    is the check-in word: Discord's ``/checkin`` is a slash command (an interaction)."""
    out: list[tuple[str, dict[str, Any]]] = []
    ids: dict[int, str] = {}
    joined = START - timedelta(days=30)
    for line in conv.lines:
        member = conv.members[line.member]
        guild, channel = dc_guild_id(line.group), dc_channel_id(line.group)
        if line.kind == "join":
            out.append(
                ("GUILD_MEMBER_ADD", {"guild_id": guild, "user": dc_user(member), **dc_member(line.at)})
            )
            continue
        message_id = _snowflake(line.at, line.n)
        ids[line.n] = message_id
        text = "签到" if line.checkin else line.text
        mentions: list[dict[str, Any]] = []
        if line.mention is not None:
            target = conv.members[line.mention]
            text = f"{text} <@{dc_user_id(target.index)}>"
            mentions.append({**dc_user(target), "member": dc_member(joined)})
        data: dict[str, Any] = {
            "id": message_id,
            "channel_id": channel,
            "guild_id": guild,
            "author": dc_user(member),
            "member": dc_member(joined),
            "content": text,
            "timestamp": _iso(line.at),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentions,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
            "nonce": None,
        }
        if line.reply_to is not None and line.reply_to in ids:
            data["type"] = 19
            data["message_reference"] = {
                "type": 0,
                "message_id": ids[line.reply_to],
                "channel_id": channel,
                "guild_id": guild,
            }
        out.append(("MESSAGE_CREATE", data))
    return out


class RosterUpdates(Sequence[dict[str, Any]]):
    """Telegram updates of a large roster, made on demand (100,000 dicts held at once would
    weigh more than the bot being measured): update ``i`` is member ``i``'s one message, in
    group ``i % groups``, 0.1 s of platform time after the previous one."""

    def __init__(self, members: int, groups: int = 10, seed: int = 11, indices: range | None = None) -> None:
        self.members = members
        self.groups = groups
        self.seed = seed
        self.indices = indices if indices is not None else range(members)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return RosterUpdates(self.members, self.groups, self.seed, self.indices[key])
        return self._update(self.indices[key])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._update(i) for i in self.indices)

    def _update(self, i: int) -> dict[str, Any]:
        rng = random.Random(self.seed * 1_000_003 + i)
        member = _member(rng, i, self.groups)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8)))
        at = START + STEP * (i + 1)
        message = {
            "message_id": i // self.groups + 1,
            "from": tg_user(member),
            "chat": tg_chat(member.home),
            "date": int(at.timestamp()),
            "text": text,
        }
        return {"update_id": 800_000_000 + i, "message": message}


def roster_conversation(members: int, groups: int = 10) -> Conversation:
    """The roster run's conversation: its updates are :class:`RosterUpdates`."""
    stats = {"messages": members, "joins": 0, "checkins": 0, "first_sightings": members, "replies": 0}
    return Conversation([], groups, [], stats)
