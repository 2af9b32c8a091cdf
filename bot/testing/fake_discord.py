"""A local fake of Discord (REST v10 + gateway) for running the *real* discord.py client.

Why a fake server rather than mocks: the adapter's bugs live in the seams (which intents are
requested, what the payloads look like, how 429/403/40060 surface, which HTTP calls are made), and
only the real client talking real HTTP and a real websocket exercises those seams. The server
serves REST under ``/api/v10`` and the gateway websocket at ``/`` (and ``/gateway``) on
127.0.0.1, on a random port.

The fake does not import discord.py: a client reaches it through the Discord adapter's config
(``api_base`` and ``gateway_url``, see :mod:`bot.testing.discord`)::

    async with FakeDiscordServer() as dc:
        dc.add_guild("1", "Guild", owner_id="100", channels=["10"])
        async with discord_bot([my_plugin], server=dc) as (app, _):   # the whole bot
            await dc.user_says("10", "100", "hello")
        async with discord_client(dc) as client:    # a bare discord.py client
            ...

Setup helpers (``add_*``, ``set_bot_roles``) only change the fake's state; the ``async`` helpers
(``user_says``, ``slash``, ``member_joins`` ...) also dispatch the gateway event to the connected
client(s), with proper sequence numbers and intent filtering, the way Discord does.

Facts about discord.py 2.7 this fake relies on (checked in its source):

* REST bodies are parsed as JSON only when ``Content-Type`` is exactly ``application/json``.
* A 429 is retried only when the response carries a ``Via`` header (Discord's proxy adds one);
  without it discord.py assumes a Cloudflare ban and raises ``HTTPException``. The wait is the
  body's ``retry_after``.
* A gateway close with code 4014 surfaces from ``Client.start/connect`` as
  ``discord.PrivilegedIntentsRequired`` (the client is *not* closed by discord.py).
* Text frames are accepted although the client asks for ``compress=zlib-stream``.
* ``Message.created_at`` is derived from the snowflake id, never from ``timestamp``: the
  ``at=`` argument of :meth:`FakeDiscordServer.user_says` therefore shapes the id.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import WSMsgType, web

__all__ = [
    "FakeDiscordServer",
    "Invite",
    "Kick",
    "MemberPatch",
    "RecordedCallback",
    "RecordedFile",
    "RecordedMessage",
    "RecordedRequest",
    "RoleChange",
    "option",
    "subcommand",
]

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1420070400000

# Gateway intents (https://discord.com/developers/docs/topics/gateway#gateway-intents).
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT

# Permission bits used by the fake's hierarchy checks.
ADMINISTRATOR = 1 << 3
CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
MANAGE_NICKNAMES = 1 << 27
MANAGE_ROLES = 1 << 28
MODERATE_MEMBERS = 1 << 40
MANAGE_MESSAGES = 1 << 13
PIN_MESSAGES = 1 << 51
# How long Discord remembers a message nonce it enforces ("the past few minutes").
NONCE_WINDOW = timedelta(minutes=5)
# Every permission bit Discord defines (bits 0-52 but 47), as discord.py's Permissions.all().
ALL_PERMISSIONS = ((1 << 53) - 1) & ~(1 << 47)
# What a fresh server's @everyone may do: view, send, embed, attach, history, react, invite,
# change nickname, use application commands.
DEFAULT_EVERYONE_PERMISSIONS = (
    (1 << 0)
    | (1 << 6)
    | (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 26)
    | (1 << 31)
)

# Application flags announcing which privileged intents the portal has enabled.
APP_FLAG_GUILD_MEMBERS = 1 << 14
APP_FLAG_MESSAGE_CONTENT = 1 << 18

MAX_TIMEOUT = timedelta(days=28)
_MENTION_RE = re.compile(r"<@!?(\d+)>")

# Discord option types, for :func:`option`.
OPTION_SUB_COMMAND = 1
OPTION_SUB_COMMAND_GROUP = 2
OPTION_STRING = 3
OPTION_INTEGER = 4
OPTION_BOOLEAN = 5
OPTION_USER = 6
OPTION_CHANNEL = 7
OPTION_ROLE = 8
OPTION_NUMBER = 10


# -- records that tests inspect ---------------------------------------------------------------------


@dataclass(slots=True)
class RecordedFile:
    filename: str
    data: bytes = field(repr=False)
    content_type: str | None = None


@dataclass(slots=True)
class RecordedMessage:
    """A message the bot created (REST send, interaction response or followup).

    ``payload`` is the JSON body as sent, with later PATCH bodies merged in; ``edits`` keeps each
    PATCH body so a test can tell "sent then edited" from "sent right the first time".
    """

    id: str
    channel_id: str
    payload: dict[str, Any]
    files: list[RecordedFile] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    # The attachment objects Discord returned for ``files`` (ids, urls, sizes).
    attachments: list[dict[str, Any]] = field(default_factory=list)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def content(self) -> str:
        return self.payload.get("content") or ""

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        return self.payload.get("allowed_mentions")

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.payload.get("components") or []

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.payload.get("embeds") or []

    @property
    def message_reference(self) -> dict[str, Any] | None:
        return self.payload.get("message_reference")

    @property
    def flags(self) -> int:
        return int(self.payload.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def custom_ids(self) -> list[str]:
        """Every button ``custom_id`` in the components, in order."""
        return [c["custom_id"] for c in _walk_components(self.components) if "custom_id" in c]


@dataclass(slots=True)
class RecordedCallback:
    """One ``POST /interactions/{id}/{token}/callback``. ``authorization`` is the header as
    received (discord.py sends none for callbacks)."""

    interaction_id: str
    type: int
    data: dict[str, Any]
    files: list[RecordedFile] = field(default_factory=list)
    authorization: str | None = None

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & 64)


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str  # without the /api/v10 prefix
    query: Mapping[str, str]
    authorization: str | None
    status: int


@dataclass(frozen=True, slots=True)
class Kick:
    guild_id: str
    user_id: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class Invite:
    guild_id: str
    channel_id: str
    code: str
    max_uses: int
    max_age: int
    reason: str | None


@dataclass(frozen=True, slots=True)
class MemberPatch:
    guild_id: str
    user_id: str
    changes: dict[str, Any]
    reason: str | None


@dataclass(frozen=True, slots=True)
class RoleChange:
    guild_id: str
    user_id: str
    role_id: str
    added: bool
    reason: str | None


def option(name: str, value: Any, type: int | None = None) -> dict[str, Any]:
    """A slash-command option payload; the type is inferred from ``value`` when not given
    (bool → BOOLEAN, int → INTEGER, float → NUMBER, str → STRING). Pass
    ``type=OPTION_USER`` (6) with a user id for a user option."""
    if type is None:
        if isinstance(value, bool):
            type = OPTION_BOOLEAN
        elif isinstance(value, int):
            type = OPTION_INTEGER
        elif isinstance(value, float):
            type = OPTION_NUMBER
        else:
            type = OPTION_STRING
    return {"name": name, "type": type, "value": value}


def subcommand(name: str, *options: dict[str, Any], group: bool = False) -> dict[str, Any]:
    """A sub-command (or, with ``group=True``, a sub-command group) option payload."""
    kind = OPTION_SUB_COMMAND_GROUP if group else OPTION_SUB_COMMAND
    return {"name": name, "type": kind, "options": list(options)}


# -- internal state -----------------------------------------------------------------------------------


class _ApiError(Exception):
    """Raised by handlers; the middleware turns it into Discord's error JSON."""

    def __init__(self, status: int, code: int, message: str, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}


@dataclass(slots=True)
class _Failure:
    method: str
    path: re.Pattern[str]
    status: int
    times: int
    retry_after: float
    code: int
    message: str | None
    is_global: bool


@dataclass(slots=True)
class _Guild:
    id: str
    name: str
    owner_id: str
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    present: bool = True
    locale: str = "en-US"
    system_channel_id: str | None = None


@dataclass(slots=True)
class _Interaction:
    id: str
    token: str
    type: int
    channel_id: str
    guild_id: str | None
    message_id: str | None = None
    callbacks: list[RecordedCallback] = field(default_factory=list)
    original: RecordedMessage | None = None
    followups: list[RecordedMessage] = field(default_factory=list)


@dataclass(slots=True)
class _Session:
    """A gateway session: survives a dropped websocket so that RESUME can replay what it missed."""

    id: str
    intents: int
    shard: list[int] | None = None
    seq: int = 0
    ws: web.WebSocketResponse | None = None
    valid: bool = True
    backlog: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _walk_components(components: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk_components(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield from _walk_components([component["component"]])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None):
    """JSON with ``Content-Type: application/json`` exactly: discord.py compares the header
    verbatim, and aiohttp's ``json_response`` would append ``; charset=utf-8``."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(data).encode(), headers=all_headers)


def _error_response(status: int, code: int, message: str, extra: Mapping[str, Any] | None = None):
    return _json_response({"message": message, "code": code, **(extra or {})}, status)


# -- the server ---------------------------------------------------------------------------------------


class FakeDiscordServer:
    """Discord's REST API and gateway, in memory, for the real discord.py client."""

    def __init__(
        self,
        token: str = "FAKE.TOKEN.value",
        application_id: str = "900",
        bot_user_id: str = "900",
        bot_name: str = "qunbot",
        heartbeat_interval_ms: int = 41250,
    ) -> None:
        self.token = token
        self.application_id = application_id
        self.bot_user_id = bot_user_id
        self.heartbeat_interval_ms = heartbeat_interval_ms
        # Behaviour switches a test may flip.
        self.refuse_intents: bool | int = False  # True: refuse all privileged intents; int: mask
        self.strip_content = False  # behave as if MESSAGE_CONTENT were missing
        self.echo_own_messages = True  # Discord sends the bot its own messages too
        self.enforce_permissions = True  # 403 50013 like Discord for kicks/timeouts/roles
        self.dm_closed: set[str] = set()
        # Called with each message the bot creates by REST, once recorded and before the
        # answer leaves (a test may stop the bot's process there).
        self.on_send: Callable[[RecordedMessage], None] | None = None
        self.refuse_connections = 0  # answer this many next gateway connections with 503
        # What the client did.
        self.identified_intents: int | None = None
        self.identify_count = 0
        self.resume_count = 0
        self.requests: list[RecordedRequest] = []
        self.kicks: list[Kick] = []
        self.invites: list[Invite] = []
        self.member_patches: list[MemberPatch] = []
        self.role_changes: list[RoleChange] = []
        # Ids of users' messages the bot deleted (its own carry ``RecordedMessage.deleted``).
        self.deleted_user_messages: list[str] = []
        self.command_syncs: list[tuple[str | None, list[dict[str, Any]]]] = []

        self._ids = itertools.count(1)
        self._users: dict[str, dict[str, Any]] = {}
        self._guilds: dict[str, _Guild] = {}
        self._channel_guild: dict[str, str] = {}
        self._dm_channels: dict[str, str] = {}  # channel id -> recipient user id
        self._messages: dict[str, dict[str, Any]] = {}  # user-authored message payloads
        self._sent: dict[str, RecordedMessage] = {}  # bot-authored, by message id
        self._interactions: dict[str, _Interaction] = {}
        self._tokens: dict[str, str] = {}  # interaction token -> id
        self._commands: dict[str | None, list[dict[str, Any]]] = {}
        self._command_ids: dict[tuple[str | None, str, int], str] = {}
        self._failures: list[_Failure] = []
        # Attachment bytes served at their URL, by attachment id.
        self._files: dict[str, bytes] = {}
        # (channel id, nonce) -> the bot message an enforced nonce created.
        self._nonces: dict[tuple[str, str], str] = {}
        self._pins: dict[str, list[str]] = {}  # channel id -> pinned message ids, newest last
        self._sessions: dict[str, _Session] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        # Barriers of ``sync``: the sequence number each waits for a client to acknowledge.
        self._heartbeats: dict[web.WebSocketResponse, list[tuple[int, asyncio.Future[None]]]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.add_user(bot_user_id, bot_name, bot=True)

    # -- lifecycle ----------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self._add_routes(app.router)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"server shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscordServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # -- setup helpers (state only) -----------------------------------------------------------------

    def add_user(
        self, user_id: str, username: str, bot: bool = False, global_name: str | None = None
    ) -> dict[str, Any]:
        user = {
            "id": str(user_id),
            "username": username,
            "global_name": global_name,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }
        self._users[str(user_id)] = user
        return user

    def add_guild(
        self,
        guild_id: str,
        name: str = "Guild",
        owner_id: str = "100",
        roles: Iterable[Mapping[str, Any]] = (),
        channels: Iterable[str | Mapping[str, Any]] = (),
        present: bool = True,
    ) -> None:
        """A guild with its @everyone role (id == guild id), the owner and the bot as members.

        ``roles``: dicts with ``id``, ``name``, ``position``, ``permissions`` (int).
        ``channels``: channel ids (text channels) or dicts with ``id``, ``name``, ``type``
        (0 text, 11 public thread with ``parent_id``). ``present=False``: the bot is not in it
        yet (see :meth:`bot_added`)."""
        guild_id = str(guild_id)
        self._guilds[guild_id] = _Guild(guild_id, name, str(owner_id), present=present)
        self.add_role(guild_id, guild_id, "@everyone", 0, DEFAULT_EVERYONE_PERMISSIONS)
        for role in roles:
            self.add_role(
                guild_id,
                str(role["id"]),
                role.get("name", f"role{role['id']}"),
                role.get("position", 1),
                role.get("permissions", 0),
            )
        for channel in channels:
            if isinstance(channel, str):
                self.add_channel(guild_id, channel)
            else:
                self.add_channel(guild_id, **dict(channel))
        self.add_member(guild_id, str(owner_id))
        self.add_member(guild_id, self.bot_user_id)

    def add_role(
        self, guild_id: str, role_id: str, name: str, position: int = 1, permissions: int = 0
    ) -> None:
        self._guild(guild_id).roles[str(role_id)] = {
            "id": str(role_id),
            "name": name,
            "position": position,
            "permissions": int(permissions),
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    def add_channel(
        self,
        guild_id: str,
        id: str,  # mirrors the payload key so dicts can be splatted
        name: str | None = None,
        type: int = 0,
        parent_id: str | None = None,
        position: int | None = None,
    ) -> None:
        guild = self._guild(guild_id)
        channel: dict[str, Any] = {
            "id": str(id),
            "type": type,
            "name": name or f"channel-{id}",
            "guild_id": guild.id,
            "position": len(guild.channels) if position is None else position,
            "parent_id": parent_id,
            "permission_overwrites": [],
            "nsfw": False,
            "rate_limit_per_user": 0,
            "topic": None,
            "last_message_id": None,
            "flags": 0,
        }
        if type in (10, 11, 12):
            channel.update(self._thread_fields(guild, parent_id))
        guild.channels[str(id)] = channel
        self._channel_guild[str(id)] = guild.id

    def add_member(
        self,
        guild_id: str,
        user_id: str,
        roles: Iterable[str] = (),
        nick: str | None = None,
        joined_at: datetime | None = None,
    ) -> None:
        """Make ``user_id`` a member (creating a user named ``user<id>`` if unknown). Permissions
        come from the roles, as on Discord."""
        user_id = str(user_id)
        if user_id not in self._users:
            self.add_user(user_id, f"user{user_id}")
        self._guild(guild_id).members[user_id] = {
            "roles": [str(r) for r in roles],
            "nick": nick,
            "avatar": None,
            "banner": None,
            "joined_at": _iso(joined_at or datetime.now(UTC)),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }

    def set_system_channel(self, guild_id: str, channel_id: str | None) -> None:
        """The channel where Discord posts join notices (None: the server has none)."""
        self._guild(guild_id).system_channel_id = None if channel_id is None else str(channel_id)

    def set_bot_roles(self, guild_id: str, role_ids: Iterable[str]) -> None:
        self._member(self._guild(guild_id), self.bot_user_id)["roles"] = [str(r) for r in role_ids]

    def dm_channel(self, user_id: str) -> str:
        """The id of the DM channel with ``user_id`` (created on first use, like Discord)."""
        user_id = str(user_id)
        for channel_id, recipient in self._dm_channels.items():
            if recipient == user_id:
                return channel_id
        if user_id not in self._users:
            self.add_user(user_id, f"user{user_id}")
        channel_id = self._snowflake()
        self._dm_channels[channel_id] = user_id
        return channel_id

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int = 429,
        times: int = 1,
        retry_after: float = 0.1,
        code: int | None = None,
        message: str | None = None,
        is_global: bool = False,
    ) -> None:
        """Fail the next ``times`` requests whose method and path (without ``/api/v10``,
        matched with ``re.fullmatch``) match, with Discord's error shapes and headers.
        ``method="*"`` matches any method. Default ``code``: 50013 for 403, 0 otherwise."""
        default_code = 50013 if status == 403 else 0
        self._failures.append(
            _Failure(
                method.upper(),
                re.compile(path_regex),
                status,
                times,
                retry_after,
                default_code if code is None else code,
                message,
                is_global,
            )
        )

    # -- what tests inspect -------------------------------------------------------------------------

    def calls(self, method: str, path_regex: str) -> int:
        """How many requests matched (``re.fullmatch`` on the path without ``/api/v10``)."""
        pattern = re.compile(path_regex)
        return sum(
            1
            for r in self.requests
            if method.upper() in ("*", r.method) and pattern.fullmatch(r.path)
        )

    def sent(self, channel_id: str | None = None) -> list[RecordedMessage]:
        """Messages the bot created in ``channel_id`` (all channels when None), oldest first,
        including interaction responses and followups."""
        return [m for m in self._sent.values() if channel_id is None or m.channel_id == channel_id]

    def pinned(self, channel_id: str) -> list[str]:
        """Ids of the channel's pinned messages, the newest last (a deleted one is unpinned)."""
        return list(self._pins.get(str(channel_id), []))

    def dms(self, user_id: str) -> list[RecordedMessage]:
        return self.sent(self.dm_channel(user_id))

    def callbacks(self, interaction_id: str) -> list[RecordedCallback]:
        return list(self._interactions[str(interaction_id)].callbacks)

    def followups(self, token_or_id: str) -> list[RecordedMessage]:
        return list(self._interaction_by(token_or_id).followups)

    def original(self, token_or_id: str) -> RecordedMessage | None:
        """The interaction's original response message (None before a type 4/5 callback)."""
        return self._interaction_by(token_or_id).original

    def interaction_token(self, interaction_id: str) -> str:
        return self._interactions[str(interaction_id)].token

    def commands(self, guild_id: str | None = None) -> list[dict[str, Any]]:
        """The currently registered commands (global when ``guild_id`` is None)."""
        return list(self._commands.get(guild_id, []))

    def member(self, guild_id: str, user_id: str) -> dict[str, Any] | None:
        """The member's current state in the fake (roles, nick, timeout), or None."""
        return self._guild(guild_id).members.get(str(user_id))

    @property
    def connected(self) -> bool:
        return any(s.ws is not None and not s.ws.closed for s in self._sessions.values())

    # -- event injection (dispatched over the gateway) ----------------------------------------------

    async def user_says(
        self,
        channel_id: str,
        user_id: str,
        content: str,
        attachments: Iterable[str | Mapping[str, Any]] | None = None,
        embeds: Iterable[Mapping[str, Any]] | None = None,
        reply_to: str | None = None,
        mentions: Iterable[str] | None = None,
        at: datetime | None = None,
        message_type: int | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """MESSAGE_CREATE from ``user_id``; returns the message id.

        ``attachments``: filenames or attachment dicts. ``mentions``: extra user ids (``<@id>``
        in the content are found anyway). ``at``: when it was sent (shapes the snowflake, which
        is where discord.py reads ``created_at`` from). ``message_type``: e.g. 7 for Discord's
        "member joined" system message (default 0, or 19 for a reply). A guild author who is not
        yet a member is added silently. Like Discord, content, embeds and attachments arrive
        empty to a client without the MESSAGE_CONTENT intent (or with ``strip_content``), except
        in DMs and when the bot is mentioned. ``extra``: more message fields as Discord sends
        them (``components``, a forward's ``message_reference`` and ``message_snapshots``,
        ``sticker_items``...)."""
        payload = self._user_message(
            str(channel_id), str(user_id), content, attachments, embeds, reply_to, mentions, at
        )
        if message_type is not None:
            payload["type"] = message_type
        payload.update(extra or {})
        self._messages[payload["id"]] = payload
        await self._dispatch_message("MESSAGE_CREATE", payload)
        return payload["id"]

    async def user_edits(
        self, channel_id: str, message_id: str, content: str, at: datetime | None = None
    ) -> None:
        """MESSAGE_UPDATE with the full edited message (as Discord now sends it)."""
        payload = self._messages[str(message_id)]
        if payload["channel_id"] != str(channel_id):
            raise KeyError(f"message {message_id} is not in channel {channel_id}")
        payload["content"] = content
        payload["edited_timestamp"] = _iso(at or datetime.now(UTC))
        payload["mentions"] = self._mentions(payload.get("guild_id"), content, ())
        await self._dispatch_message("MESSAGE_UPDATE", payload)

    async def member_joins(
        self, guild_id: str, user_id: str, username: str | None = None, bot: bool = False
    ) -> None:
        """GUILD_MEMBER_ADD (needs the GUILD_MEMBERS intent to be delivered)."""
        user_id = str(user_id)
        if user_id not in self._users or username:
            self.add_user(user_id, username or f"user{user_id}", bot=bot)
        guild = self._guild(guild_id)
        self.add_member(guild.id, user_id)
        data = {"guild_id": guild.id, **self._member_payload(guild, user_id)}
        await self._dispatch("GUILD_MEMBER_ADD", data, intent=GUILD_MEMBERS, required=True)

    async def member_leaves(self, guild_id: str, user_id: str) -> None:
        """GUILD_MEMBER_REMOVE (needs the GUILD_MEMBERS intent to be delivered)."""
        guild = self._guild(guild_id)
        guild.members.pop(str(user_id), None)
        data = {"guild_id": guild.id, "user": self._users[str(user_id)]}
        await self._dispatch("GUILD_MEMBER_REMOVE", data, intent=GUILD_MEMBERS, required=True)

    async def member_updated(self, guild_id: str, user_id: str) -> None:
        """GUILD_MEMBER_UPDATE with the member's current state (after ``set_bot_roles`` etc.)."""
        guild = self._guild(guild_id)
        data = {"guild_id": guild.id, **self._member_payload(guild, str(user_id))}
        await self._dispatch("GUILD_MEMBER_UPDATE", data, intent=GUILD_MEMBERS, required=True)

    async def bot_added(self, guild_id: str) -> None:
        """GUILD_CREATE for a guild the bot just joined (create it with ``present=False``).
        No ``unavailable`` key: discord.py then fires ``on_guild_join``."""
        guild = self._guild(guild_id)
        guild.present = True
        self._member(guild, self.bot_user_id)
        for session in self._live_sessions(required=True):
            await self._send_dispatch(session, "GUILD_CREATE", self._guild_create(guild, session))

    async def bot_removed(self, guild_id: str) -> None:
        """GUILD_DELETE without ``unavailable``: the bot was removed (not an outage)."""
        guild = self._guild(guild_id)
        guild.present = False
        await self._dispatch("GUILD_DELETE", {"id": guild.id}, required=True)

    async def slash(
        self,
        guild_id: str | None,
        channel_id: str,
        user_id: str,
        name: str,
        options: Iterable[Mapping[str, Any]] = (),
        locale: str = "en-US",
        command_type: int = 1,
        target_id: str | None = None,
    ) -> str:
        """INTERACTION_CREATE type 2 (application command); returns the interaction id.

        ``options`` are Discord option payloads (see :func:`option`, :func:`subcommand`); user
        options get their ``resolved`` user and member filled in from the fake's state."""
        options = [dict(o) for o in options]
        data: dict[str, Any] = {
            "id": self._command_id(guild_id, name, command_type),
            "name": name,
            "type": command_type,
            "options": options,
            "resolved": self._resolved(guild_id, options, target_id),
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        if target_id is not None:
            data["target_id"] = str(target_id)
        return await self._interact(2, guild_id, channel_id, user_id, data, locale=locale)

    async def click(
        self,
        guild_id: str | None,
        channel_id: str,
        user_id: str,
        message_id: str,
        custom_id: str,
        locale: str = "en-US",
    ) -> str:
        """INTERACTION_CREATE type 3: a button press on ``message_id``; returns the id."""
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(
            3, guild_id, channel_id, user_id, data, locale=locale, message_id=str(message_id)
        )

    async def submit_modal(
        self,
        guild_id: str | None,
        channel_id: str,
        user_id: str,
        custom_id: str,
        values: Mapping[str, str],
        locale: str = "en-US",
        message_id: str | None = None,
    ) -> str:
        """INTERACTION_CREATE type 5: a modal submitted with ``values`` (input custom_id → text)."""
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in values.items()
        ]
        data = {"custom_id": custom_id, "components": rows}
        return await self._interact(
            5, guild_id, channel_id, user_id, data, locale=locale, message_id=message_id
        )

    async def reconnect(self, resumable: bool = True) -> None:
        """Send op 7 RECONNECT. With ``resumable=False`` the session is invalidated so the
        client's RESUME gets op 9 and it identifies again (a second READY / ``on_ready``)."""
        for session in self._live_sessions(required=True):
            if session.ws is not None and not session.ws.closed:
                session.valid = resumable
                await session.ws.send_str(json.dumps({"op": 7, "s": None, "t": None, "d": None}))

    async def drop_connection(self, code: int = 4000) -> None:
        """Close every client's gateway connection, as a network failure or Discord's 4000
        ("unknown error") would: the sessions stay resumable, so the clients RESUME. Combine
        with ``refuse_connections`` to keep them out for a while."""
        for session in self._live_sessions(required=True):
            if session.ws is not None and not session.ws.closed:
                await session.ws.close(code=code, message=b"connection lost")

    async def sync(self, within: float = 5.0) -> None:
        """Return once every connected client has read every event sent to it so far: the fake
        asks each for a heartbeat (op 1), whose answer carries the last sequence number the
        client read (it has handed those events to its handlers by then)."""
        loop = asyncio.get_running_loop()
        waits: list[asyncio.Future[None]] = []
        sockets = {s.ws: s for s in self._sessions.values() if s.ws is not None and not s.ws.closed}
        for ws, session in sockets.items():
            answered: asyncio.Future[None] = loop.create_future()
            waits.append(answered)
            async with session.lock:  # after any event being sent
                self._heartbeats.setdefault(ws, []).append((session.seq, answered))
                with contextlib.suppress(ConnectionResetError):
                    await ws.send_str(json.dumps({"op": 1, "s": None, "t": None, "d": None}))
        if not waits:
            return
        _, late = await asyncio.wait(waits, timeout=within)
        for answered in late:
            answered.cancel()
        if late:
            raise TimeoutError(f"a discord client did not answer a heartbeat within {within} s")

    def _heartbeat_answered(self, ws: web.WebSocketResponse, seq: int | None) -> None:
        """A heartbeat acknowledging ``seq`` (None: the connection closed, nothing to wait
        for) releases the barriers up to it."""
        waiting = []
        for target, answered in self._heartbeats.pop(ws, []):
            if seq is None or seq >= target:
                if not answered.done():
                    answered.set_result(None)
            else:
                waiting.append((target, answered))
        if waiting:
            self._heartbeats[ws] = waiting

    # -- ids and payloads ---------------------------------------------------------------------------

    def _snowflake(self, at: datetime | None = None) -> str:
        """A snowflake whose timestamp is ``at`` (now by default): discord.py derives
        ``created_at`` from it."""
        moment = at or datetime.now(UTC)
        ms = int(moment.timestamp() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._ids) & 0x3FFFFF))

    def _guild(self, guild_id: str) -> _Guild:
        try:
            return self._guilds[str(guild_id)]
        except KeyError:
            raise _ApiError(404, 10004, "Unknown Guild") from None

    def _member(self, guild: _Guild, user_id: str) -> dict[str, Any]:
        if user_id not in guild.members:
            self.add_member(guild.id, user_id)
        return guild.members[user_id]

    def _user(self, user_id: str) -> dict[str, Any]:
        if user_id not in self._users:
            self.add_user(user_id, f"user{user_id}")
        return self._users[user_id]

    def _bot_user(self) -> dict[str, Any]:
        return {**self._users[self.bot_user_id], "verified": True, "mfa_enabled": False}

    def _thread_fields(self, guild: _Guild, parent_id: str | None) -> dict[str, Any]:
        return {
            "parent_id": parent_id,
            "owner_id": guild.owner_id,
            "message_count": 0,
            "total_message_sent": 0,
            "member_count": 1,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": _iso(datetime.now(UTC)),
                "locked": False,
                "create_timestamp": _iso(datetime.now(UTC)),
            },
        }

    def _role_payload(self, role: dict[str, Any]) -> dict[str, Any]:
        return {**role, "permissions": str(role["permissions"])}

    def _member_payload(
        self, guild: _Guild, user_id: str, with_user: bool = True
    ) -> dict[str, Any]:
        member = dict(self._member(guild, user_id))
        if with_user:
            member["user"] = self._user(user_id)
        return member

    def _channel_payload(self, channel_id: str) -> dict[str, Any]:
        if channel_id in self._dm_channels:
            recipient = self._users[self._dm_channels[channel_id]]
            return {
                "id": channel_id,
                "type": 1,
                "last_message_id": None,
                "recipients": [recipient],
                "flags": 0,
            }
        guild_id = self._channel_guild.get(channel_id)
        if guild_id is None:
            raise _ApiError(404, 10003, "Unknown Channel")
        return dict(self._guilds[guild_id].channels[channel_id])

    def _guild_payload(self, guild: _Guild) -> dict[str, Any]:
        """The REST guild object (GET /guilds/{id})."""
        return {
            "id": guild.id,
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": guild.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [self._role_payload(r) for r in guild.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": guild.system_channel_id,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "max_presences": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.locale,
            "nsfw_level": 0,
            "nsfw": False,
            "premium_progress_bar_enabled": False,
        }

    def _guild_create(
        self, guild: _Guild, session: _Session, unavailable: bool | None = None
    ) -> dict[str, Any]:
        """The full gateway guild: channels, threads, and members (only the bot's own member
        without the GUILD_MEMBERS intent, as on Discord)."""
        if session.intents & GUILD_MEMBERS:
            member_ids = list(guild.members)
        else:
            member_ids = [self.bot_user_id]
        channels = [c for c in guild.channels.values() if c["type"] not in (10, 11, 12)]
        threads = [c for c in guild.channels.values() if c["type"] in (10, 11, 12)]
        data = {
            **self._guild_payload(guild),
            "joined_at": guild.members[self.bot_user_id]["joined_at"],
            "large": False,
            "member_count": len(guild.members),
            "members": [self._member_payload(guild, uid) for uid in member_ids],
            "channels": [{k: v for k, v in c.items() if k != "guild_id"} for c in channels],
            "threads": threads,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
        if unavailable is not None:
            data["unavailable"] = unavailable
        return data

    def _mentions(
        self, guild_id: str | None, content: str, extra: Iterable[str]
    ) -> list[dict[str, Any]]:
        ids = list(dict.fromkeys([*_MENTION_RE.findall(content or ""), *map(str, extra)]))
        mentions = []
        for user_id in ids:
            user = dict(self._user(user_id))
            guild = self._guilds.get(guild_id) if guild_id else None
            if guild is not None and user_id in guild.members:
                user["member"] = self._member_payload(guild, user_id, with_user=False)
            mentions.append(user)
        return mentions

    def _attachment(self, channel_id: str, spec: str | Mapping[str, Any]) -> dict[str, Any]:
        """An attachment object; with ``data`` (bytes) its URL serves them from this server,
        as Discord's CDN would (a copy downloads and uploads it again)."""
        spec = {"filename": spec} if isinstance(spec, str) else dict(spec)
        attachment_id = str(spec.get("id") or self._snowflake())
        filename = spec.get("filename", "file.bin")
        url = f"https://cdn.discordapp.com/attachments/{channel_id}/{attachment_id}/{filename}"
        if isinstance(spec.get("data"), bytes):
            self._files[attachment_id] = spec["data"]
            spec.setdefault("size", len(spec["data"]))
            url = f"http://127.0.0.1:{self.port}/attachments/{channel_id}/{attachment_id}/{filename}"
        return {
            "id": attachment_id,
            "filename": filename,
            "size": spec.get("size", 0),
            "url": spec.get("url", url),
            "proxy_url": spec.get(
                "proxy_url", url.replace("cdn.discordapp.com", "media.discordapp.net")
            ),
            "content_type": spec.get("content_type"),
            "description": spec.get("description"),
        }

    def _user_message(
        self,
        channel_id: str,
        user_id: str,
        content: str,
        attachments: Iterable[str | Mapping[str, Any]] | None,
        embeds: Iterable[Mapping[str, Any]] | None,
        reply_to: str | None,
        mentions: Iterable[str] | None,
        at: datetime | None,
    ) -> dict[str, Any]:
        channel = self._channel_payload(channel_id)  # raises for unknown channels
        guild_id = channel.get("guild_id")
        message_id = self._snowflake(at)
        payload: dict[str, Any] = {
            "id": message_id,
            "channel_id": channel_id,
            "author": self._user(user_id),
            "content": content,
            "timestamp": _iso(at or datetime.now(UTC)),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": self._mentions(guild_id, content, mentions or ()),
            "mention_roles": [],
            "attachments": [self._attachment(channel_id, a) for a in attachments or ()],
            "embeds": [dict(e) for e in embeds or ()],
            "pinned": False,
            "type": 19 if reply_to else 0,
            "flags": 0,
            "components": [],
            "nonce": None,
        }
        if guild_id is not None:
            payload["guild_id"] = guild_id
            guild = self._guilds[guild_id]
            payload["member"] = self._member_payload(guild, user_id, with_user=False)
        if reply_to:
            payload["message_reference"] = {
                "type": 0,
                "message_id": str(reply_to),
                "channel_id": channel_id,
                **({"guild_id": guild_id} if guild_id else {}),
            }
            # Discord sends the message replied to along (one level deep), as the gateway does.
            if (original := self._messages.get(str(reply_to))) is not None:
                payload["referenced_message"] = {
                    k: v for k, v in original.items() if k != "referenced_message"
                }
        return payload

    def _bot_message(self, record: RecordedMessage, **extra: Any) -> dict[str, Any]:
        """The message object Discord returns for something the bot sent."""
        body = record.payload
        guild_id = self._channel_guild.get(record.channel_id)
        payload: dict[str, Any] = {
            "id": record.id,
            "channel_id": record.channel_id,
            "author": self._bot_user(),
            "content": body.get("content") or "",
            "timestamp": _iso(record.created_at),
            "edited_timestamp": _iso(datetime.now(UTC)) if record.edits else None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": self._mentions(guild_id, body.get("content") or "", ()),
            "mention_roles": [],
            "attachments": record.attachments,
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 19 if body.get("message_reference") else 0,
            "flags": record.flags,
            "components": body.get("components") or [],
            **extra,
        }
        if body.get("message_reference"):
            payload["message_reference"] = {"type": 0, **body["message_reference"]}
        return payload

    def _resolved(
        self, guild_id: str | None, options: list[dict[str, Any]], target_id: str | None
    ) -> dict[str, Any]:
        """``resolved`` users/members for user options (and a user-command target)."""
        user_ids = [str(o["value"]) for o in _walk_options(options) if o.get("type") == OPTION_USER]
        if target_id is not None and str(target_id) in self._users:
            user_ids.append(str(target_id))
        if not user_ids:
            return {}
        resolved: dict[str, Any] = {"users": {uid: self._user(uid) for uid in user_ids}}
        guild = self._guilds.get(str(guild_id)) if guild_id is not None else None
        if guild is not None:
            resolved["members"] = {
                uid: {
                    **self._member_payload(guild, uid, with_user=False),
                    "permissions": str(self._permissions(guild, uid)),
                }
                for uid in user_ids
                if uid in guild.members
            }
        return resolved

    def _command_id(self, guild_id: str | None, name: str, kind: int) -> str:
        key = (str(guild_id) if guild_id is not None else None, name, kind)
        for scope in (key, (None, name, kind)):
            if scope in self._command_ids:
                return self._command_ids[scope]
        self._command_ids[key] = self._snowflake()
        return self._command_ids[key]

    # -- permissions ----------------------------------------------------------------------------------

    def _permissions(self, guild: _Guild, user_id: str) -> int:
        if user_id == guild.owner_id:
            return ALL_PERMISSIONS
        member = guild.members.get(user_id)
        role_ids = [guild.id, *(member["roles"] if member else [])]
        value = 0
        for role_id in role_ids:
            role = guild.roles.get(role_id)
            if role is not None:
                value |= role["permissions"]
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def _top_position(self, guild: _Guild, user_id: str) -> int:
        member = guild.members.get(user_id)
        positions = [
            guild.roles[r]["position"] for r in (member or {}).get("roles", ()) if r in guild.roles
        ]
        return max(positions, default=0)

    def _check_can_act(self, guild: _Guild, user_id: str, needed: int) -> None:
        """Discord's rules for acting on a member: the permission, never the owner, and only
        below the bot's top role. Discord's 403 does not say which rule failed; neither do we."""
        if not self.enforce_permissions:
            return
        allowed = (
            self._permissions(guild, self.bot_user_id) & needed
            and user_id != guild.owner_id
            and self._top_position(guild, self.bot_user_id) > self._top_position(guild, user_id)
        )
        if not allowed:
            raise _ApiError(403, 50013, "Missing Permissions")

    def _check_can_assign(self, guild: _Guild, role_id: str) -> None:
        if not self.enforce_permissions:
            return
        role = guild.roles[role_id]
        allowed = (
            self._permissions(guild, self.bot_user_id) & MANAGE_ROLES
            and role_id != guild.id
            and not role["managed"]
            and self._top_position(guild, self.bot_user_id) > role["position"]
        )
        if not allowed:
            raise _ApiError(403, 50013, "Missing Permissions")

    # -- gateway --------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        if not ws.can_prepare(request).ok:
            raise _ApiError(404, 0, "404: Not Found")
        if self.refuse_connections > 0:
            self.refuse_connections -= 1
            return web.Response(status=503, text="gateway unavailable")
        await ws.prepare(request)
        self._sockets.add(ws)
        session: _Session | None = None
        try:
            hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-gateway"]}
            await ws.send_str(json.dumps({"op": 10, "s": None, "t": None, "d": hello}))
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                session = await self._on_frame(ws, session, frame) or session
        finally:
            self._sockets.discard(ws)
            self._heartbeat_answered(ws, None)  # a closed connection has nothing left to read
            if session is not None and session.ws is ws:
                session.ws = None
        return ws

    async def _on_frame(
        self, ws: web.WebSocketResponse, session: _Session | None, frame: dict[str, Any]
    ) -> _Session | None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            self._heartbeat_answered(ws, data if isinstance(data, int) else 0)
            await ws.send_str(json.dumps({"op": 11, "s": None, "t": None, "d": None}))
        elif op == 2:
            return await self._identify(ws, data)
        elif op == 6:
            return await self._resume(ws, data)
        elif op == 8 and session is not None:
            await self._send_member_chunk(session, data)
        return None

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> _Session | None:
        self.identify_count += 1
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents") or 0)
        self.identified_intents = intents
        refused = PRIVILEGED_INTENTS if self.refuse_intents is True else int(self.refuse_intents)
        if intents & refused:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        session = _Session(secrets.token_hex(16), intents, data.get("shard"), ws=ws)
        self._sessions[session.id] = session
        await self._send_dispatch(session, "READY", self._ready(session))
        for guild in self._guilds.values():
            if guild.present:
                payload = self._guild_create(guild, session, unavailable=False)
                await self._send_dispatch(session, "GUILD_CREATE", payload)
        return session

    def _ready(self, session: _Session) -> dict[str, Any]:
        ready: dict[str, Any] = {
            "v": 10,
            "user": self._bot_user(),
            "guilds": [
                {"id": g.id, "unavailable": True} for g in self._guilds.values() if g.present
            ],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": self._application_flags()},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth": {},
            "_trace": ["fake-gateway"],
        }
        if session.shard is not None:
            ready["shard"] = session.shard
        return ready

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> _Session | None:
        self.resume_count += 1
        session = self._sessions.get(str(data.get("session_id")))
        if session is None or not session.valid or data.get("token") != self.token:
            # Not resumable: the client identifies again on a fresh connection.
            await ws.send_str(json.dumps({"op": 9, "s": None, "t": None, "d": False}))
            return None
        async with session.lock:
            session.ws = ws
            last_seen = int(data.get("seq") or 0)
            for frame in list(session.backlog):
                if frame["s"] > last_seen:
                    await ws.send_str(json.dumps(frame))
        await self._send_dispatch(session, "RESUMED", {"_trace": ["fake-gateway"]})
        return session

    async def _send_member_chunk(self, session: _Session, data: dict[str, Any]) -> None:
        guild = self._guild(str(data["guild_id"]))
        wanted = {str(u) for u in data.get("user_ids") or []}
        query = (data.get("query") or "").lower()
        members = [
            self._member_payload(guild, uid)
            for uid in guild.members
            if (not wanted or uid in wanted)
            and self._users[uid]["username"].lower().startswith(query)
        ]
        chunk = {
            "guild_id": guild.id,
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [u for u in wanted if u not in guild.members],
            "nonce": data.get("nonce"),
        }
        await self._send_dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    def _application_flags(self) -> int:
        if self.refuse_intents:
            return 0
        return APP_FLAG_GUILD_MEMBERS | APP_FLAG_MESSAGE_CONTENT

    def _live_sessions(self, required: bool = False) -> list[_Session]:
        """Sessions that can still receive events (connected, or resumable later)."""
        sessions = [s for s in self._sessions.values() if s.valid]
        if required and not any(s.ws is not None and not s.ws.closed for s in sessions):
            raise RuntimeError("no discord client is connected to the fake gateway")
        return sessions

    async def _send_dispatch(self, session: _Session, event: str, data: Any) -> None:
        """Number the event in the session's sequence and send it (or keep it for RESUME)."""
        async with session.lock:
            session.seq += 1
            frame = {"op": 0, "t": event, "s": session.seq, "d": data}
            session.backlog.append(frame)
            ws = session.ws
            if ws is not None and not ws.closed:
                with contextlib.suppress(ConnectionResetError):
                    await ws.send_str(json.dumps(frame))

    async def _dispatch(
        self, event: str, data: Any, intent: int = 0, required: bool = False
    ) -> None:
        for session in self._live_sessions(required):
            if not intent or session.intents & intent:
                await self._send_dispatch(session, event, data)

    async def _dispatch_message(
        self, event: str, payload: dict[str, Any], required: bool = True
    ) -> None:
        """Deliver a message to each session, filtered and stripped as its intents require."""
        in_dm = "guild_id" not in payload
        intent = DIRECT_MESSAGES if in_dm else GUILD_MESSAGES
        for session in self._live_sessions(required):
            if session.intents & intent:
                await self._send_dispatch(session, event, self._as_seen_by(session, payload))

    def _as_seen_by(self, session: _Session, payload: dict[str, Any]) -> dict[str, Any]:
        """Without MESSAGE_CONTENT, Discord empties content, embeds, attachments and components,
        except in DMs, for messages mentioning the bot, and for the bot's own messages."""
        lacks_intent = self.strip_content or not session.intents & MESSAGE_CONTENT
        exempt = (
            "guild_id" not in payload
            or payload["author"]["id"] == self.bot_user_id
            or any(m["id"] == self.bot_user_id for m in payload.get("mentions", []))
        )
        if not lacks_intent or exempt:
            return payload
        return {**payload, "content": "", "embeds": [], "attachments": [], "components": []}

    async def _interact(
        self,
        kind: int,
        guild_id: str | None,
        channel_id: str,
        user_id: str,
        data: dict[str, Any],
        locale: str,
        message_id: str | None = None,
    ) -> str:
        interaction_id = self._snowflake()
        token = "aW50ZXJhY3Rpb24" + secrets.token_hex(24)
        record = _Interaction(
            interaction_id,
            token,
            kind,
            str(channel_id),
            str(guild_id) if guild_id is not None else None,
            message_id,
        )
        payload = self._interaction_payload(record, str(user_id), data, locale)
        self._interactions[interaction_id] = record
        self._tokens[token] = interaction_id
        await self._dispatch("INTERACTION_CREATE", payload, required=True)
        return interaction_id

    def _interaction_payload(
        self, record: _Interaction, user_id: str, data: dict[str, Any], locale: str
    ) -> dict[str, Any]:
        channel = self._channel_payload(record.channel_id)
        payload: dict[str, Any] = {
            "id": record.id,
            "application_id": self.application_id,
            "type": record.type,
            "data": data,
            "channel_id": record.channel_id,
            "channel": channel,
            "token": record.token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if record.guild_id is not None:
            guild = self._guild(record.guild_id)
            payload.update(
                guild_id=guild.id,
                guild={"id": guild.id, "locale": guild.locale, "features": []},
                guild_locale=guild.locale,
                member={
                    **self._member_payload(guild, user_id),
                    "permissions": str(self._permissions(guild, user_id)),
                },
                app_permissions=str(self._permissions(guild, self.bot_user_id)),
                authorizing_integration_owners={"0": guild.id},
                context=0,
            )
        else:
            payload.update(
                user=self._user(user_id),
                app_permissions=str(DEFAULT_EVERYONE_PERMISSIONS),
                authorizing_integration_owners={"0": "0"},
                context=1,
            )
        if record.message_id is not None:
            payload["message"] = self._message_for_component(record.message_id, record.channel_id)
        return payload

    def _message_for_component(self, message_id: str, channel_id: str) -> dict[str, Any]:
        if message_id in self._sent:
            return self._bot_message(self._sent[message_id])
        if message_id in self._messages:
            return self._messages[message_id]
        placeholder = RecordedMessage(message_id, channel_id, {"content": ""})
        return self._bot_message(placeholder)

    def _interaction_by(self, token_or_id: str) -> _Interaction:
        key = self._tokens.get(token_or_id, token_or_id)
        return self._interactions[str(key)]

    # -- HTTP plumbing --------------------------------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        is_api = request.path.startswith(API_PREFIX)
        path = request.path[len(API_PREFIX) :] if is_api else request.path
        authorization = request.headers.get("Authorization")
        try:
            if is_api:
                response = await self._guarded(request, handler, path, authorization)
            else:
                response = await handler(request)
        except _ApiError as error:
            response = _error_response(error.status, error.code, error.message, error.extra)
        if is_api:
            query = dict(request.query)
            self.requests.append(
                RecordedRequest(request.method, path, query, authorization, response.status)
            )
        return response

    async def _guarded(
        self, request: web.Request, handler: Any, path: str, authorization: str | None
    ) -> web.StreamResponse:
        token_routes = path.startswith(("/interactions/", "/webhooks/"))
        if authorization != f"Bot {self.token}" and not (token_routes and authorization is None):
            raise _ApiError(401, 0, "401: Unauthorized")
        failure = self._take_failure(request.method, path)
        if failure is not None:
            return self._failure_response(failure, request)
        response = await handler(request)
        if response.status < 300:
            response.headers.update(self._ratelimit_headers(request))
        return response

    def _take_failure(self, method: str, path: str) -> _Failure | None:
        for failure in self._failures:
            if failure.method in ("*", method) and failure.path.fullmatch(path):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _failure_response(self, failure: _Failure, request: web.Request) -> web.Response:
        if failure.status != 429:
            messages = {
                403: "Missing Permissions",
                404: "Unknown Message",
                500: "Internal Server Error",
            }
            message = failure.message or messages.get(failure.status, "Error")
            return _error_response(failure.status, failure.code, message)
        reset = datetime.now(UTC).timestamp() + failure.retry_after
        headers = {
            # discord.py retries a 429 only when Discord's proxy header is present.
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(failure.retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Reset-After": f"{failure.retry_after:.3f}",
            "X-RateLimit-Bucket": _bucket_hash(request),
            "X-RateLimit-Scope": "global" if failure.is_global else "user",
        }
        if failure.is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": failure.message or "You are being rate limited.",
            "retry_after": failure.retry_after,
            "global": failure.is_global,
            "code": failure.code,
        }
        return _json_response(body, 429, headers)

    @staticmethod
    def _ratelimit_headers(request: web.Request) -> dict[str, str]:
        """Generous, realistic bucket headers so discord.py's bucket code runs as in production."""
        return {
            "Via": "1.1 google",
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{datetime.now(UTC).timestamp() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": _bucket_hash(request),
        }

    async def _read_body(self, request: web.Request) -> tuple[Any, list[RecordedFile]]:
        """JSON or multipart (``payload_json`` + ``files[n]``), as discord.py sends them."""
        if not request.content_type.startswith("multipart/"):
            raw = await request.read()
            return (json.loads(raw) if raw else {}), []
        body: Any = {}
        files: list[RecordedFile] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if part.name == "payload_json":
                body = json.loads(await part.text())
            elif part.filename is not None:
                content_type = part.headers.get("Content-Type")
                files.append(RecordedFile(part.filename, bytes(await part.read()), content_type))
        return body, files

    def _add_routes(self, router: web.UrlDispatcher) -> None:
        api = API_PREFIX
        routes: list[tuple[str, str, Callable[[web.Request], Any]]] = [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway_bot),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("POST", "/channels/{channel_id}/messages", self._create_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
            ("POST", "/channels/{channel_id}/invites", self._create_invite),
            ("GET", "/guilds/{guild_id}", self._get_guild),
            ("GET", "/guilds/{guild_id}/roles", self._get_roles),
            ("GET", "/guilds/{guild_id}/channels", self._get_channels),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("PATCH", "/guilds/{guild_id}/members/{user_id}", self._patch_member),
            ("DELETE", "/guilds/{guild_id}/members/{user_id}", self._kick_member),
            ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._add_role),
            ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._remove_role),
            ("GET", "/applications/{app_id}/commands", self._get_commands),
            ("PUT", "/applications/{app_id}/commands", self._put_commands),
            ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_commands),
            ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_commands),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app_id}/{token}", self._followup),
            ("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self._get_webhook_message),
            (
                "PATCH",
                "/webhooks/{app_id}/{token}/messages/{message_id}",
                self._edit_webhook_message,
            ),
            (
                "DELETE",
                "/webhooks/{app_id}/{token}/messages/{message_id}",
                self._delete_webhook_message,
            ),
        ]
        for method, path, handler in routes:
            router.add_route(method, api + path, handler)
        for path in ("/channels/{channel_id}/messages/pins/{message_id}",
                     "/channels/{channel_id}/pins/{message_id}"):
            router.add_route("PUT", api + path, self._pin_message)
            router.add_route("DELETE", api + path, self._unpin_message)
        router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._get_attachment)
        router.add_get("/", self._gateway)
        router.add_get("/gateway", self._gateway)
        router.add_route("*", "/{tail:.*}", self._not_found)

    # -- REST handlers --------------------------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        raise _ApiError(404, 0, "404: Not Found")

    async def _get_me(self, request: web.Request) -> web.Response:
        return _json_response(self._bot_user())

    async def _get_application(self, request: web.Request) -> web.Response:
        return _json_response(
            {
                "id": self.application_id,
                "name": self._users[self.bot_user_id]["username"],
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": self._application_flags(),
                "owner": self._user(next(iter(self._guilds.values())).owner_id)
                if self._guilds
                else self._bot_user(),
                "team": None,
                "bot": self._bot_user(),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "tags": [],
                "approximate_guild_count": sum(g.present for g in self._guilds.values()),
            }
        )

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return _json_response({"url": self.gateway_url.rstrip("/")})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
        return _json_response(
            {"url": self.gateway_url.rstrip("/"), "shards": 1, "session_start_limit": limit}
        )

    async def _create_dm(self, request: web.Request) -> web.Response:
        body, _ = await self._read_body(request)
        recipient = str(body["recipient_id"])
        return _json_response(self._channel_payload(self.dm_channel(recipient)))

    async def _get_channel(self, request: web.Request) -> web.Response:
        return _json_response(self._channel_payload(request.match_info["channel_id"]))

    async def _create_message(self, request: web.Request) -> web.Response:
        channel_id = request.match_info["channel_id"]
        self._channel_payload(channel_id)  # 404 for unknown channels
        recipient = self._dm_channels.get(channel_id)
        if recipient is not None and recipient in self.dm_closed:
            raise _ApiError(403, 50007, "Cannot send messages to this user")
        body, files = await self._read_body(request)
        if not (body.get("content") or body.get("embeds") or files or body.get("components")):
            raise _ApiError(400, 50006, "Cannot send an empty message")
        if len(body.get("content") or "") > 2000:
            errors = {
                "content": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_MAX_LENGTH",
                            "message": "Must be 2000 or fewer in length.",
                        }
                    ]
                }
            }
            raise _ApiError(400, 50035, "Invalid Form Body", {"errors": errors})
        nonce = (channel_id, str(body.get("nonce"))) if body.get("enforce_nonce") else None
        earlier = self._sent.get(self._nonces.get(nonce, "")) if nonce else None
        if earlier is not None and datetime.now(UTC) - earlier.created_at < NONCE_WINDOW:
            # Discord returns the message this nonce created and posts nothing new.
            return _json_response(self._bot_message(earlier))
        record = self._record_message(channel_id, body, files)
        if nonce is not None:
            self._nonces[nonce] = record.id
        if self.on_send is not None:
            self.on_send(record)
        message = self._bot_message(record)
        if self.echo_own_messages:
            guild_id = self._channel_guild.get(channel_id)
            echo = {**message, **({"guild_id": guild_id} if guild_id else {})}
            await self._dispatch_message("MESSAGE_CREATE", echo, required=False)
        return _json_response(message)

    def _record_message(
        self, channel_id: str, body: dict[str, Any], files: list[RecordedFile]
    ) -> RecordedMessage:
        record = RecordedMessage(self._snowflake(), channel_id, dict(body), files)
        specs = body.get("attachments") or [{"id": i} for i in range(len(files))]
        attachments = []
        for spec, file in zip(specs, files, strict=False):
            attachments.append(
                self._attachment(
                    channel_id,
                    {
                        "filename": file.filename,
                        "size": len(file.data),
                        "content_type": file.content_type,
                        "description": spec.get("description"),
                        "data": file.data,
                    },
                )
            )
        record.attachments = attachments
        self._sent[record.id] = record
        return record

    def _sent_message(self, channel_id: str, message_id: str) -> RecordedMessage:
        record = self._sent.get(message_id)
        if record is None or record.deleted or record.channel_id != channel_id:
            raise _ApiError(404, 10008, "Unknown Message")
        return record

    async def _get_message(self, request: web.Request) -> web.Response:
        channel_id, message_id = request.match_info["channel_id"], request.match_info["message_id"]
        if message_id in self._messages and self._messages[message_id]["channel_id"] == channel_id:
            return _json_response(self._messages[message_id])
        return _json_response(self._bot_message(self._sent_message(channel_id, message_id)))

    async def _edit_message(self, request: web.Request) -> web.Response:
        record = self._sent_message(
            request.match_info["channel_id"], request.match_info["message_id"]
        )
        body, files = await self._read_body(request)
        self._apply_edit(record, body, files)
        return _json_response(self._bot_message(record))

    @staticmethod
    def _apply_edit(
        record: RecordedMessage, body: dict[str, Any], files: list[RecordedFile]
    ) -> None:
        record.edits.append(body)
        record.payload.update(body)
        record.files.extend(files)

    async def _delete_message(self, request: web.Request) -> web.Response:
        channel_id, message_id = request.match_info["channel_id"], request.match_info["message_id"]
        user_message = self._messages.get(message_id)
        if user_message is not None and user_message["channel_id"] == channel_id:
            # Someone else's message: Discord wants Manage Messages for that.
            guild_id = self._channel_guild.get(channel_id)
            if guild_id is not None and self.enforce_permissions:
                if not self._permissions(self._guilds[guild_id], self.bot_user_id) & MANAGE_MESSAGES:
                    raise _ApiError(403, 50013, "Missing Permissions")
            del self._messages[message_id]
            self.deleted_user_messages.append(message_id)
            return web.Response(status=204)
        record = self._sent_message(
            request.match_info["channel_id"], request.match_info["message_id"]
        )
        record.deleted = True
        pins = self._pins.get(record.channel_id, [])
        if record.id in pins:
            pins.remove(record.id)
        return web.Response(status=204)

    def _pinnable(self, request: web.Request) -> tuple[str, str]:
        channel_id, message_id = request.match_info["channel_id"], request.match_info["message_id"]
        user_message = self._messages.get(message_id)
        if user_message is None or user_message["channel_id"] != channel_id:
            self._sent_message(channel_id, message_id)  # 404 10008 when unknown
        guild_id = self._channel_guild.get(channel_id)
        if guild_id is not None and self.enforce_permissions:
            allowed = self._permissions(self._guilds[guild_id], self.bot_user_id)
            if not allowed & (MANAGE_MESSAGES | PIN_MESSAGES):
                raise _ApiError(403, 50013, "Missing Permissions")
        return channel_id, message_id

    async def _pin_message(self, request: web.Request) -> web.Response:
        channel_id, message_id = self._pinnable(request)
        pins = self._pins.setdefault(channel_id, [])
        if message_id in pins:
            pins.remove(message_id)
        pins.append(message_id)
        return web.Response(status=204)

    async def _unpin_message(self, request: web.Request) -> web.Response:
        channel_id, message_id = self._pinnable(request)
        if message_id in self._pins.get(channel_id, []):
            self._pins[channel_id].remove(message_id)
        return web.Response(status=204)

    async def _get_attachment(self, request: web.Request) -> web.Response:
        data = self._files.get(request.match_info["attachment_id"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _get_guild(self, request: web.Request) -> web.Response:
        guild = self._present_guild(request)
        payload = self._guild_payload(guild)
        if request.query.get("with_counts") in ("true", "1", "True"):
            payload["approximate_member_count"] = len(guild.members)
            payload["approximate_presence_count"] = 0
        return _json_response(payload)

    def _present_guild(self, request: web.Request) -> _Guild:
        guild = self._guild(request.match_info["guild_id"])
        if not guild.present:
            raise _ApiError(403, 50001, "Missing Access")
        return guild

    async def _get_roles(self, request: web.Request) -> web.Response:
        guild = self._present_guild(request)
        return _json_response([self._role_payload(r) for r in guild.roles.values()])

    async def _get_channels(self, request: web.Request) -> web.Response:
        guild = self._present_guild(request)
        return _json_response([c for c in guild.channels.values() if c["type"] not in (10, 11, 12)])

    def _target(self, request: web.Request) -> tuple[_Guild, str]:
        guild = self._present_guild(request)
        user_id = request.match_info["user_id"]
        if user_id == "@me":
            user_id = self.bot_user_id
        if user_id not in guild.members:
            raise _ApiError(404, 10007, "Unknown Member")
        return guild, user_id

    async def _get_member(self, request: web.Request) -> web.Response:
        guild, user_id = self._target(request)
        return _json_response(self._member_payload(guild, user_id))

    async def _patch_member(self, request: web.Request) -> web.Response:
        guild, user_id = self._target(request)
        body, _ = await self._read_body(request)
        self._check_member_patch(guild, user_id, body)
        member = guild.members[user_id]
        for key in ("nick", "roles", "communication_disabled_until", "mute", "deaf"):
            if key in body:
                member[key] = [str(r) for r in body[key]] if key == "roles" else body[key]
        reason = request.headers.get("X-Audit-Log-Reason")
        self.member_patches.append(MemberPatch(guild.id, user_id, body, reason))
        await self._member_changed(guild, user_id)
        return _json_response(self._member_payload(guild, user_id))

    def _check_member_patch(self, guild: _Guild, user_id: str, body: dict[str, Any]) -> None:
        until = body.get("communication_disabled_until")
        if until is not None:
            moment = datetime.fromisoformat(until.replace("Z", "+00:00"))
            if moment - datetime.now(UTC) > MAX_TIMEOUT + timedelta(seconds=5):
                errors = {
                    "communication_disabled_until": {
                        "_errors": [
                            {
                                "code": "BASE_TYPE_BAD_TIME",
                                "message": "Cannot time out for more than 28 days",
                            }
                        ]
                    }
                }
                raise _ApiError(400, 50035, "Invalid Form Body", {"errors": errors})
        if "communication_disabled_until" in body:
            self._check_can_act(guild, user_id, MODERATE_MEMBERS)
            if self.enforce_permissions and self._permissions(guild, user_id) & ADMINISTRATOR:
                raise _ApiError(403, 50013, "Missing Permissions")
        if "nick" in body:
            self._check_can_act(guild, user_id, MANAGE_NICKNAMES)
        for role_id in body.get("roles") or []:
            if str(role_id) not in guild.roles:
                raise _ApiError(404, 10011, "Unknown Role")

    async def _kick_member(self, request: web.Request) -> web.Response:
        guild, user_id = self._target(request)
        self._check_can_act(guild, user_id, KICK_MEMBERS)
        reason = request.headers.get("X-Audit-Log-Reason")
        self.kicks.append(Kick(guild.id, user_id, reason))
        del guild.members[user_id]
        data = {"guild_id": guild.id, "user": self._users[user_id]}
        await self._dispatch("GUILD_MEMBER_REMOVE", data, intent=GUILD_MEMBERS)
        return web.Response(status=204)

    async def _create_invite(self, request: web.Request) -> web.Response:
        """A channel invite (needs CREATE_INSTANT_INVITE; max_age at most 7 days, 0 = never
        expires; max_uses 0 = unlimited)."""
        channel_id = request.match_info["channel_id"]
        channel = self._channel_payload(channel_id)
        guild_id = self._channel_guild.get(channel_id)
        if guild_id is None:
            raise _ApiError(400, 50024, "Cannot execute action on this channel type")
        guild = self._guild(guild_id)
        allowed = self._permissions(guild, self.bot_user_id) & CREATE_INSTANT_INVITE
        if self.enforce_permissions and not allowed:
            raise _ApiError(403, 50013, "Missing Permissions")
        body, _ = await self._read_body(request)
        max_age, max_uses = int(body.get("max_age", 86400)), int(body.get("max_uses", 0))
        if not 0 <= max_age <= 604800 or not 0 <= max_uses <= 100:
            raise _ApiError(400, 50035, "Invalid Form Body")
        code = secrets.token_hex(5)
        reason = request.headers.get("X-Audit-Log-Reason")
        self.invites.append(Invite(guild.id, channel_id, code, max_uses, max_age, reason))
        now = datetime.now(UTC)
        return _json_response(
            {
                "type": 0,
                "code": code,
                "guild": {"id": guild.id, "name": guild.name, "icon": None, "splash": None,
                          "banner": None, "description": None, "features": [],
                          "verification_level": 0, "vanity_url_code": None, "nsfw_level": 0},
                "channel": {"id": channel_id, "name": channel.get("name", ""), "type": channel["type"]},
                "inviter": self._users[self.bot_user_id],
                "uses": 0,
                "max_uses": max_uses,
                "max_age": max_age,
                "temporary": bool(body.get("temporary")),
                "created_at": _iso(now),
                "expires_at": _iso(now + timedelta(seconds=max_age)) if max_age else None,
            }
        )

    async def _add_role(self, request: web.Request) -> web.Response:
        return await self._change_role(request, added=True)

    async def _remove_role(self, request: web.Request) -> web.Response:
        return await self._change_role(request, added=False)

    async def _change_role(self, request: web.Request, added: bool) -> web.Response:
        guild, user_id = self._target(request)
        role_id = request.match_info["role_id"]
        if role_id not in guild.roles:
            raise _ApiError(404, 10011, "Unknown Role")
        self._check_can_assign(guild, role_id)
        roles = guild.members[user_id]["roles"]
        if added and role_id not in roles:
            roles.append(role_id)
        elif not added and role_id in roles:
            roles.remove(role_id)
        reason = request.headers.get("X-Audit-Log-Reason")
        self.role_changes.append(RoleChange(guild.id, user_id, role_id, added, reason))
        await self._member_changed(guild, user_id)
        return web.Response(status=204)

    async def _member_changed(self, guild: _Guild, user_id: str) -> None:
        data = {"guild_id": guild.id, **self._member_payload(guild, user_id)}
        await self._dispatch("GUILD_MEMBER_UPDATE", data, intent=GUILD_MEMBERS)

    def _command_scope(self, request: web.Request) -> str | None:
        if request.match_info["app_id"] != self.application_id:
            raise _ApiError(403, 50001, "Missing Access")
        guild_id = request.match_info.get("guild_id")
        if guild_id is not None:
            self._present_guild(request)
        return guild_id

    async def _get_commands(self, request: web.Request) -> web.Response:
        return _json_response(self._commands.get(self._command_scope(request), []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        body, _ = await self._read_body(request)
        self.command_syncs.append((scope, body))
        self._commands[scope] = [self._command_payload(scope, spec) for spec in body]
        return _json_response(self._commands[scope])

    def _command_payload(self, scope: str | None, spec: dict[str, Any]) -> dict[str, Any]:
        """A registered command as Discord returns it; ids stay stable across re-syncs."""
        kind = spec.get("type", 1)
        command_id = self._command_ids.setdefault((scope, spec["name"], kind), self._snowflake())
        return {
            "id": command_id,
            "application_id": self.application_id,
            "version": self._snowflake(),
            "type": kind,
            "name": spec["name"],
            "name_localizations": spec.get("name_localizations"),
            "description": spec.get("description", ""),
            "description_localizations": spec.get("description_localizations"),
            "options": spec.get("options", []),
            "default_member_permissions": spec.get("default_member_permissions"),
            "dm_permission": spec.get("dm_permission", True),
            "contexts": spec.get("contexts"),
            "integration_types": spec.get("integration_types", [0]),
            "nsfw": spec.get("nsfw", False),
            **({"guild_id": scope} if scope else {}),
        }

    # -- interactions ---------------------------------------------------------------------------------

    async def _callback(self, request: web.Request) -> web.Response:
        interaction = self._interactions.get(request.match_info["interaction_id"])
        if interaction is None or interaction.token != request.match_info["token"]:
            raise _ApiError(404, 10062, "Unknown interaction")
        body, files = await self._read_body(request)
        if interaction.callbacks:
            raise _ApiError(400, 40060, "Interaction has already been acknowledged.")
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        authorization = request.headers.get("Authorization")
        callback = RecordedCallback(interaction.id, kind, data, files, authorization)
        interaction.callbacks.append(callback)
        message = self._apply_callback(interaction, kind, data, files)
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        return _json_response(self._callback_response(interaction, kind, data, message))

    def _apply_callback(
        self, interaction: _Interaction, kind: int, data: dict[str, Any], files: list[RecordedFile]
    ) -> RecordedMessage | None:
        """Type 4 creates the original response, 5 a loading one, 7 edits the clicked message."""
        if kind in (4, 5):
            flags = int(data.get("flags") or 0) | (128 if kind == 5 else 0)
            body = {**data, "flags": flags}
            interaction.original = self._record_message(interaction.channel_id, body, files)
            return interaction.original
        if kind == 7 and interaction.message_id in self._sent:
            record = self._sent[interaction.message_id]
            self._apply_edit(record, data, files)
            return record
        return None

    def _callback_response(
        self,
        interaction: _Interaction,
        kind: int,
        data: dict[str, Any],
        message: RecordedMessage | None,
    ) -> dict[str, Any]:
        summary: dict[str, Any] = {"id": interaction.id, "type": interaction.type}
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            summary.update(
                response_message_id=message.id,
                response_message_loading=kind == 5,
                response_message_ephemeral=message.ephemeral,
            )
            resource["message"] = self._interaction_message(interaction, message)
        return {"interaction": summary, "resource": resource}

    def _interaction_message(
        self, interaction: _Interaction, record: RecordedMessage
    ) -> dict[str, Any]:
        return self._bot_message(
            record,
            webhook_id=self.application_id,
            application_id=self.application_id,
            interaction_metadata={
                "id": interaction.id,
                "type": interaction.type,
                "user": self._bot_user(),
                "authorizing_integration_owners": {},
            },
        )

    def _webhook_interaction(self, request: web.Request) -> _Interaction:
        token = request.match_info["token"]
        if request.match_info["app_id"] != self.application_id or token not in self._tokens:
            raise _ApiError(404, 10015, "Unknown Webhook")
        interaction = self._interactions[self._tokens[token]]
        if not interaction.callbacks:
            # Discord knows the webhook only once the interaction was acknowledged.
            raise _ApiError(404, 10015, "Unknown Webhook")
        return interaction

    async def _followup(self, request: web.Request) -> web.Response:
        interaction = self._webhook_interaction(request)
        body, files = await self._read_body(request)
        record = self._record_message(interaction.channel_id, body, files)
        interaction.followups.append(record)
        if request.query.get("wait") not in ("1", "true", "True"):
            return web.Response(status=204)
        return _json_response(self._interaction_message(interaction, record))

    def _webhook_message(self, request: web.Request) -> tuple[_Interaction, RecordedMessage]:
        interaction = self._webhook_interaction(request)
        message_id = request.match_info["message_id"]
        if message_id == "@original":
            record = interaction.original
            if record is None and interaction.message_id in self._sent:
                record = self._sent[interaction.message_id]
        else:
            record = next((m for m in interaction.followups if m.id == message_id), None)
        if record is None or record.deleted:
            raise _ApiError(404, 10008, "Unknown Message")
        return interaction, record

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        interaction, record = self._webhook_message(request)
        return _json_response(self._interaction_message(interaction, record))

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        interaction, record = self._webhook_message(request)
        body, files = await self._read_body(request)
        if "flags" in body:  # editing never changes ephemerality; keep the loading bit off
            body["flags"] = (int(body["flags"]) | record.flags) & ~128
        else:
            body["flags"] = record.flags & ~128
        self._apply_edit(record, body, files)
        return _json_response(self._interaction_message(interaction, record))

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        _, record = self._webhook_message(request)
        record.deleted = True
        return web.Response(status=204)


def _bucket_hash(request: web.Request) -> str:
    """One bucket per route template, like Discord's per-route buckets."""
    resource = request.match_info.route.resource
    template = resource.canonical if resource is not None else request.path
    return f"{request.method}:{template}".encode().hex()[:32]


def _walk_options(options: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in options:
        yield item
        yield from _walk_options(item.get("options") or [])
