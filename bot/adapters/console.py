"""The console adapter: a local platform with no token, for trying the bot, demos and tests.

Script format, one action per line (typed interactively or read from a file/stdin)::

    alice: text          alice says text in the current group (commands are plain text);
                         a full-width colon (alice：签到) works too
    alice@dm: text       alice writes to the bot in private
    +alice / -alice      alice joins / leaves the current group
    alice click LABEL    alice presses the button LABEL on the newest bot message that has it
    :group NAME          switch the current group (created on first use)
    :admin alice         alice becomes an admin of the current group
    :wait 90m            the clock moves forward (s, m, h, d); due jobs run
    :locale en           language of the simulated members
    :reset               delete the console's database and start clean (a new clock too)
    # ...                a comment

``qunbot run`` keeps the console's clock with its database (``keep_clock``): the clock a
``:wait`` moved is where the next run starts, so kept check-ins and streaks stay consistent.

Every bot output is one line: ``bot@GROUP: text [Label]`` or ``bot@dm(alice): text``. An image
or a file the bot sends is written to a file (under ``files_dir``, a new temporary directory by
default) and the line shows its path: ``bot@lobby: text </tmp/qunbot-console-x/7-chart.png>``.

A member the bot removes (``kick``) leaves with a ``MemberLeft`` (``removed``, the bot as the
operator), as Telegram and Discord report the bot's own removals.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.adapters.base import (
    Adapter,
    CannotAct,
    Capability,
    FormField,
    Host,
    NotSupported,
    PlatformError,
    SentMessage,
)
from bot.clock import FakeClock
from bot.commands import ArgError, parse_duration, split_command
from bot.events import (
    AdapterOnline,
    BotJoinedGuild,
    ButtonClicked,
    Channel,
    ChannelType,
    CommandInvoked,
    FormSubmitted,
    Guild,
    JoinRequest,
    MemberJoined,
    MemberLeft,
    Message,
    MessageCreated,
    MessageLink,
    User,
)
from bot.message import Mention, Outgoing, as_outgoing
from bot.permissions import PermissionLevel

__all__ = ["CLOCK_STATE", "ConsoleAdapter", "ConsoleReset", "Output", "ScriptError"]

log = logging.getLogger(__name__)
PLATFORM = "console"
BOT_NAME = "qunbot"
# Chinese input methods type a full-width colon: "alice：签到".
_SAY = re.compile(r"^(?P<user>[^\s:：@#+\-][^\s:：@]*)(?P<dm>@dm)?[:：]\s?(?P<text>.*)$")
# The sync-state key of the console's clock (keep_clock).
CLOCK_STATE = "console:clock"
_CLICK = re.compile(r"^(?P<user>[^\s:@]+)\s+click\s+(?P<label>.+)$")
_REQUEST = re.compile(r"^\?(?P<user>\S+)$")
_MENTION = re.compile(r"@([^\s@,，。:：]+)")
# What a console user types stands for a message's links and @usernames: bare URLs, masked
# [words](url) links (as on Discord) and @names (not an e-mail address or a URL's /@path).
# A URL ends at Chinese punctuation too (people type "看 https://x.cn，谢谢").
_URL = re.compile(r"https?://[^\s<>，。！？、（）【】「」]+[^<>.,:;\"')\]\s，。！？、（）【】「」]")
_MASKED_LINK = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\(\s*<?(?P<url>https?://[^\s<>()]+)>?\s*\)")
_USERNAME = re.compile(r"(?<![\w@/])@([^\s@,，。:：/()\[\]<>!?！？、）]+)")


def _links(text: str) -> tuple[MessageLink, ...]:
    """Masked links with their words, then bare URLs outside them, in text order."""
    found: list[tuple[int, MessageLink]] = []
    taken: list[tuple[int, int]] = []
    for match in _MASKED_LINK.finditer(text):
        found.append((match.start(), MessageLink(match["url"], match["text"])))
        taken.append(match.span())
    for match in _URL.finditer(text):
        if not any(start <= match.start() < end for start, end in taken):
            found.append((match.start(), MessageLink(match.group())))
    return tuple(dict.fromkeys(link for _, link in sorted(found, key=lambda item: item[0])))


class ScriptError(ValueError):
    """A script line the console does not understand."""


class ConsoleReset(Exception):
    """``:reset``: whoever runs the console deletes its database and starts a new one.
    ``line``: the script line that asked (0 when typed interactively)."""

    def __init__(self, line: int = 0) -> None:
        super().__init__(":reset")
        self.line = line


@dataclass(slots=True)
class Output:
    """One bot message as the console shows it."""

    channel: str  # a group name, or "dm:<user>"
    text: str
    buttons: tuple[str, ...] = ()
    message_id: str = ""
    button_ids: dict[str, str] = field(default_factory=dict)
    ephemeral: bool = False
    attachments: tuple[str, ...] = ()  # the file names the bot gave its images and files
    deleted: bool = False
    files: tuple[Path, ...] = ()  # where the console wrote them, in the same order

    @property
    def line(self) -> str:
        where = f"dm({self.channel[3:]})" if self.channel.startswith("dm:") else self.channel
        text = self.text.replace("\n", " ⏎ ")
        extra = "".join(f" [{label}]" for label in self.buttons)
        files = "".join(f" <{path}>" for path in self.files or self.attachments)
        return f"bot@{where}: {text}{files}{extra}"


@dataclass(slots=True)
class _Group:
    name: str
    admins: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)
    muted: dict[str, datetime | None] = field(default_factory=dict)
    banned: dict[str, datetime] = field(default_factory=dict)
    requests: set[str] = field(default_factory=set)
    titles: dict[str, str] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)


class ConsoleAdapter(Adapter):
    platform = PLATFORM
    capabilities = frozenset(
        {
            Capability.KICK,
            Capability.MUTE,
            Capability.UNBAN,
            Capability.ROLE,
            Capability.TITLE,
            Capability.JOIN_REQUEST,
            Capability.PRIVATE,
            Capability.EDIT,
            Capability.DELETE,
            Capability.IMAGE,
            Capability.BUTTONS,
            Capability.MESSAGE_CONTENT,
        }
    )

    def __init__(
        self,
        clock: FakeClock,
        *,
        group: str = "lobby",
        echo: Callable[[str], None] | None = print,
        dm_closed: Iterable[str] = (),
        files_dir: Path | str | None = None,
    ) -> None:
        super().__init__()
        self.self_id = BOT_NAME
        self.clock = clock
        self.echo = echo
        self.locale = "zh"
        self.current = group
        self.groups: dict[str, _Group] = {}
        self.outputs: list[Output] = []
        self.kicked: list[tuple[str, str]] = []
        self.toasts: list[tuple[str, str]] = []
        self.dm_closed = set(dm_closed)
        # Where sent images and files are written (made on the first one when not given).
        self.files_dir = Path(files_dir) if files_dir is not None else None
        # Members the bot may not remove (as an owner or a higher role on a real platform).
        self.unkickable: set[str] = set()
        self.pending_forms: dict[str, tuple[str, Sequence[FormField]]] = {}
        # qunbot run: the clock is kept with the database (CLOCK_STATE) and :reset is allowed
        # unless this says why not.
        self.keep_clock = False
        self.cannot_reset: str | None = None
        self._ids = itertools.count(1)
        self._group(group)

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self, host: Host) -> None:
        await super().start(host)
        if self.keep_clock:
            await self._restore_clock(host)
        for name in self.groups:
            await self._emit(BotJoinedGuild, name, None)
        await self._emit(AdapterOnline, None, None)

    async def stop(self) -> None:
        if self.keep_clock and self.host is not None:
            await self._save_clock()
        await super().stop()

    async def _restore_clock(self, host: Host) -> None:
        """Start where the clock of this database stopped; say where the clock starts."""
        saved = await host.load_state(CLOCK_STATE)
        if saved:
            self.clock.set(datetime.fromisoformat(saved))
            where = "continues from the database"
        else:
            where = "starts now (a new database)"
        shown = self.clock.now().strftime("%Y-%m-%d %H:%M UTC")
        self._print(f"* clock: {shown}, {where}; :wait moves it, :reset starts clean")
        await self._save_clock()

    async def _save_clock(self) -> None:
        assert self.host is not None
        await self.host.save_state(CLOCK_STATE, self.clock.now().isoformat())

    # -- input -----------------------------------------------------------------------------------
    async def run_line(self, line: str) -> list[Output]:
        """Act out one script line; returns what the bot said in response."""
        before = len(self.outputs)
        line = line.strip()
        if not line or line.startswith("#"):
            return []
        if line[0] in ":：":
            await self._directive(line[1:])
        elif line[0] in "+-" and len(line) > 1:
            await self._membership(line[0], line[1:].strip())
        elif match := _REQUEST.match(line):
            await self._join_request(match["user"])
        elif match := _CLICK.match(line):
            await self._click(match["user"], match["label"].strip().strip("[]"))
        elif match := _SAY.match(line):
            await self._say(match["user"], match["text"], direct=bool(match["dm"]))
        else:
            raise ScriptError(f"cannot read script line: {line!r}")
        return self.outputs[before:]

    async def run_script(self, lines: Iterable[str], first: int = 1) -> list[int]:
        """Play the lines (numbered from ``first``); an unreadable one is reported and skipped.
        Returns the numbers of the unreadable lines. ``:reset`` raises :class:`ConsoleReset`
        with its line number."""
        bad = []
        for number, line in enumerate(lines, first):
            try:
                await self.run_line(line)
            except ScriptError as exc:
                self._print(f"! line {number}: {exc}")
                bad.append(number)
            except ConsoleReset:
                raise ConsoleReset(number) from None
        return bad

    async def interactive(self) -> None:
        """Read lines from the terminal until EOF or ``:quit``."""
        self._print("qunbot console — type 'alice: /help', ':wait 1d', ':quit'. Ctrl-D ends.")
        while True:
            try:
                line = await asyncio.to_thread(input, f"[{self.current}] > ")
            except EOFError:
                return
            if line.strip() in (":quit", ":q", ":exit"):
                return
            try:
                await self.run_line(line)
            except ScriptError as exc:
                self._print(f"! {exc}")
            except ConsoleReset:
                answer = await asyncio.to_thread(
                    input, "Delete everything in the console's database and start clean? [y/N] "
                )
                if answer.strip().lower() in ("y", "yes", "是"):
                    raise
                self._print("* nothing deleted")

    async def _directive(self, text: str) -> None:
        word, _, arg = text.partition(" ")
        arg = arg.strip()
        if word == "group" and arg:
            new = arg not in self.groups
            self.current = arg
            self._group(arg)
            if new and self.host is not None:
                await self._emit(BotJoinedGuild, arg, None)
        elif word == "admin" and arg:
            group = self._group(self.current)
            group.admins.add(arg)
            group.members.add(arg)
        elif word == "wait" and arg:
            try:
                delta = parse_duration(arg)
            except ArgError:
                raise ScriptError(f"bad duration {arg!r} (use 30s, 90m, 12h, 1d)") from None
            await self.clock.advance(delta)
            if self.keep_clock:
                await self._save_clock()
        elif word == "locale" and arg in ("zh", "en"):
            self.locale = arg
        elif word == "reset" and not arg:
            if self.cannot_reset:
                raise ScriptError(self.cannot_reset)
            raise ConsoleReset()
        else:
            raise ScriptError(f"unknown directive :{text}")

    async def _membership(self, sign: str, name: str) -> None:
        group = self._group(self.current)
        if sign == "+":
            if name in group.banned and group.banned[name] > self.clock.now():
                self._print(f"* {name} cannot join {group.name}: banned")
                return
            group.banned.pop(name, None)
            group.members.add(name)
            await self._emit(MemberJoined, group.name, name)
        else:
            group.members.discard(name)
            await self._emit(MemberLeft, group.name, name)

    async def _join_request(self, name: str) -> None:
        group = self._group(self.current)
        group.requests.add(name)
        await self._emit(JoinRequest, group.name, name)

    async def _say(self, name: str, text: str, direct: bool) -> None:
        guild = None if direct else self.current
        if guild is not None:
            self._group(guild).members.add(name)
        message = Message(
            id=str(next(self._ids)),
            text=text,
            elements=tuple(Mention("", f"@{m}") for m in _MENTION.findall(text)),
            created_at=self.clock.now(),
            links=_links(text),
            usernames=tuple(dict.fromkeys(n.rstrip(".") for n in _USERNAME.findall(text))),
        )
        if direct and name in self.pending_forms and not text.startswith("/"):
            form_id, fields = self.pending_forms.pop(name)
            values = dict(zip((f.key for f in fields), text.split("|"), strict=False))
            await self._emit(FormSubmitted, None, name, form_id=form_id, values=values)
            return
        command = split_command(text, BOT_NAME)
        if command is not None:
            await self._emit(CommandInvoked, guild, name, name=command[0], text=command[1], message=message)
        else:
            await self._emit(MessageCreated, guild, name, message=message)

    async def _click(self, name: str, label: str) -> None:
        for output in reversed(self.outputs):
            if label in output.button_ids and not output.deleted:
                guild = None if output.channel.startswith("dm:") else output.channel
                await self._emit(
                    ButtonClicked, guild, name,
                    button_id=output.button_ids[label], message_id=output.message_id,
                )
                return
        raise ScriptError(f"no bot message has a button {label!r}")

    async def _emit(self, kind: type, guild: str | None, user: str | None, **fields: Any) -> None:
        assert self.host is not None
        if kind in (MessageCreated, CommandInvoked, ButtonClicked, FormSubmitted) and guild is None:
            channel = Channel(f"dm:{user}", ChannelType.DIRECT)
        else:
            channel = Channel(guild, ChannelType.TEXT, guild) if guild else None
        event = kind(
            platform=PLATFORM,
            self_id=self.self_id,
            timestamp=self.clock.now(),
            guild=Guild(guild, guild) if guild else None,
            channel=channel,
            user=User(id=user, name=user, username=user, locale=self.locale) if user else None,
            locale=self.locale,
            **fields,
        )
        await self.host.dispatch(event)

    def _group(self, name: str) -> _Group:
        if name not in self.groups:
            self.groups[name] = _Group(name)
        return self.groups[name]

    # -- output ----------------------------------------------------------------------------------
    def _print(self, line: str) -> None:
        if self.echo is not None:
            self.echo(line)

    def _record(self, channel: str, message: Outgoing) -> SentMessage:
        buttons = [b for row in message.buttons for b in row]
        message_id = str(next(self._ids))
        output = Output(
            channel=channel,
            text=message.plain(),
            buttons=tuple(b.label for b in buttons),
            message_id=message_id,
            button_ids={b.label: b.id for b in buttons if b.id},
            ephemeral=message.ephemeral,
            attachments=tuple(a.filename for a in message.attachments),
            files=tuple(self._write(message_id, i, a.filename, a.data)
                        for i, a in enumerate(message.attachments)),
        )
        self.outputs.append(output)
        self._print(output.line)
        return SentMessage(channel, output.message_id)

    def _write(self, message_id: str, index: int, filename: str, data: bytes) -> Path:
        """Write an attachment where the person at the console can open it; the message id
        in the name keeps two charts called the same apart."""
        if self.files_dir is None:
            self.files_dir = Path(tempfile.mkdtemp(prefix="qunbot-console-"))
        self.files_dir.mkdir(parents=True, exist_ok=True)
        # Only the last part of the name: a plugin's file name never chooses the folder.
        safe = Path(filename.replace("\\", "/")).name.lstrip(".") or "file"
        suffix = f"-{index + 1}" if index else ""
        path = self.files_dir / f"{message_id}{suffix}-{safe}"
        path.write_bytes(data)
        return path

    async def send(self, channel_id: str, message: Outgoing) -> SentMessage:
        if channel_id.startswith("dm:"):
            return await self.send_private(channel_id[3:], message)
        return self._record(channel_id, message)

    async def send_private(self, user_id: str, message: Outgoing) -> SentMessage:
        if user_id in self.dm_closed:
            raise PlatformError(f"{user_id} does not accept private messages", "bot.error.dm_closed")
        return self._record(f"dm:{user_id}", message)

    async def reply_interaction(self, interaction: Any, message: Outgoing) -> SentMessage | None:
        raise NotSupported("interactions")

    async def edit(self, channel_id: str, message_id: str, message: Outgoing) -> None:
        for output in self.outputs:
            if output.message_id == message_id:
                output.text = message.plain()
                self._print(f"(edited) {output.line}")
                return
        raise PlatformError(f"no message {message_id}")

    async def delete(self, channel_id: str, message_id: str) -> None:
        for output in self.outputs:
            if output.message_id == message_id and not output.deleted:
                output.deleted = True
                return

    async def answer_button(self, event: Any, text: str = "", alert: bool = False) -> None:
        if text:
            user = event.user.id if event.user else "?"
            self.toasts.append((user, text))
            self._print(f"bot@toast({user}): {text}")

    async def ask_form(self, event: Any, form_id: str, title: str, fields: Sequence[FormField]) -> None:
        user = event.user.id
        self.pending_forms[user] = (form_id, fields)
        labels = " | ".join(f.label for f in fields)
        self._record(f"dm:{user}", as_outgoing(f"{title}: {labels}"))

    # -- members ---------------------------------------------------------------------------------
    async def get_level(self, guild_id: str, user_id: str, right: str | None = None) -> PermissionLevel:
        group = self.groups.get(guild_id)
        return PermissionLevel.ADMIN if group and user_id in group.admins else PermissionLevel.MEMBER

    async def kick(self, guild_id: str, user_id: str, reason: str = "") -> None:
        if user_id in self.unkickable:
            raise CannotAct(f"{user_id} cannot be removed from {guild_id}")
        group = self._group(guild_id)
        was_member = user_id in group.members
        group.members.discard(user_id)
        self.kicked.append((guild_id, user_id))
        self._print(f"* {user_id} was removed from {guild_id}")
        if was_member and self.host is not None:
            # Telegram (chat_member) and Discord (member remove) report the bot's own removals
            # as a member leaving; the roster and plugins learn it the same way here.
            bot = User(id=self.self_id, name=BOT_NAME, username=BOT_NAME, is_bot=True)
            await self._emit(MemberLeft, guild_id, user_id, removed=True, operator=bot)

    async def unban(self, guild_id: str, user_id: str) -> None:
        self._group(guild_id).banned.pop(user_id, None)

    async def mute(self, guild_id: str, user_id: str, duration: timedelta | None) -> None:
        until = self.clock.now() + duration if duration else None
        self._group(guild_id).muted[user_id] = until
        self._print(f"* {user_id} is muted in {guild_id}")

    async def unmute(self, guild_id: str, user_id: str) -> None:
        self._group(guild_id).muted.pop(user_id, None)
        self._print(f"* {user_id} may speak in {guild_id}")

    async def set_role(self, guild_id: str, user_id: str, role: str, present: bool) -> None:
        roles = self._group(guild_id).roles.setdefault(user_id, set())
        (roles.add if present else roles.discard)(role)

    async def set_title(self, guild_id: str, user_id: str, title: str) -> None:
        self._group(guild_id).titles[user_id] = title

    async def answer_join_request(self, guild_id: str, user_id: str, approve: bool) -> None:
        group = self._group(guild_id)
        if user_id not in group.requests:
            raise PlatformError(f"{user_id} has no pending join request")
        group.requests.discard(user_id)
        if approve:
            group.members.add(user_id)
            await self._emit(MemberJoined, guild_id, user_id)

