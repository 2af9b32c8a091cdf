"""A local fake of the Telegram Bot API, for running the real python-telegram-bot client in tests.

Why a server and not mocks: PTB silently drops objects it cannot parse, sends form-encoded and
multipart bodies, long-polls, and maps error JSON to exception classes. Only a real HTTP peer
that answers like Telegram exercises all of that, so the adapter is tested the way it runs.

The fake keeps the state a group bot can observe (users, chats, members and their rights, the
bot's own rights, the messages it sent, pending updates) and follows Telegram's documented
rules where a bot commonly trips: ``chat_member`` updates only for admins that asked for them,
``unbanChatMember`` without ``only_if_banned`` removing a present member, restrictions only in
supergroups, private messages only to users who started the bot, HTML that must parse, 4096
UTF-16 units per message, 64-byte ``callback_data``. Asked to (``flood_limits=FloodLimits()``),
it enforces Telegram's flood limits too: a message over 20 a minute in a group or 30 a second
overall is answered 429 with ``retry_after`` and recorded in ``flood_refusals``.

Usage::

    async with FakeTelegramServer() as tg:
        app = ApplicationBuilder().token(tg.token).base_url(tg.base_url).build()
        tg.add_chat(-100123, "Group")
        tg.user_says(-100123, 42, "hello")
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any

import aiohttp
from aiohttp import web

__all__ = [
    "CHANNEL_BOT_ID",
    "GROUP_ANONYMOUS_BOT_ID",
    "SERVICE_USER_ID",
    "ApiError",
    "FakeTelegramServer",
    "FloodLimits",
    "Upload",
    "detect_entities",
    "parse_html",
    "utf16_len",
]

GROUP_ANONYMOUS_BOT_ID = 1087968824
CHANNEL_BOT_ID = 136817688
SERVICE_USER_ID = 777000

_STAND_INS = {
    GROUP_ANONYMOUS_BOT_ID: {
        "id": GROUP_ANONYMOUS_BOT_ID,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    },
    CHANNEL_BOT_ID: {
        "id": CHANNEL_BOT_ID,
        "is_bot": True,
        "first_name": "Channel",
        "username": "Channel_Bot",
    },
    SERVICE_USER_ID: {"id": SERVICE_USER_ID, "is_bot": False, "first_name": "Telegram"},
}

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
# What Telegram sends when allowed_updates was never set (or set to []): these three must be
# asked for explicitly.
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
)
PERMISSIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
    "can_edit_tag",
    "can_react_to_messages",
)
# What a new group lets its members do on Telegram: everything but the admin-ish permissions.
DEFAULT_GROUP_PERMISSIONS = {
    name: name not in ("can_change_info", "can_pin_messages", "can_manage_topics")
    for name in PERMISSIONS
}
DEFAULT_BOT_RIGHTS = {
    "can_delete_messages": True,
    "can_restrict_members": True,
    "can_invite_users": True,
    "can_pin_messages": True,
}
PRESENT = frozenset({"creator", "administrator", "member"})
_STATUS_ALIASES = {"owner": "creator", "banned": "kicked", "admin": "administrator"}
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Parameters that are plain strings on the wire: everything else arrives JSON-encoded inside
# the form (numbers, booleans, objects), exactly as PTB's RequestParameter.json_value sends it.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "language_code",
        "action",
        "custom_title",
        "title",
        "description",
        "short_description",
        "name",
        "ip_address",
        "photo",
        "document",
        "emoji",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
    }
)
MAX_TEXT = 4096
# Messages whose caption editMessageCaption changes (the fake's bot sends these two).
_CAPTIONED = ("photo", "document")
# What copyMessage carries over from the original (Telegram copies content, not its origin).
_COPIED = (
    "text", "entities", "caption", "caption_entities", "photo", "document", "video",
    "animation", "audio", "voice", "sticker",
)
MAX_CAPTION = 1024
FOREVER_MIN = 30
FOREVER_MAX = 366 * 86400
DELETE_WINDOW = 48 * 3600
JOIN_REQUEST_DM_WINDOW = 300


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: Telegram's unit for offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    """An error answer in Telegram's exact JSON shape."""

    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = {k: v for k, v in parameters.items() if v is not None}

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str, **parameters: Any) -> ApiError:
    return ApiError(400, f"Bad Request: {description}", **parameters)


def _forbidden(description: str) -> ApiError:
    return ApiError(403, f"Forbidden: {description}")


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """Telegram's flood limits (Bot FAQ), enforced by the fake when given: each call that posts
    a message (``send*`` but chat actions, ``copy*``, ``forward*``) over a limit is answered
    429 with ``retry_after``, the seconds until a slot frees. Accepted messages are counted.

    ``slack``: the windows are that much shorter than Telegram's, because a request reaches
    the server a little after the client took its slot, later still on a busy machine (a
    client that paces itself to the limit exactly is not refused for its travel time; one that
    does not pace itself sends dozens within the shortened second and is)."""

    per_group: int = 20
    group_seconds: float = 60.0
    overall: int = 30
    overall_seconds: float = 1.0
    slack: float = 0.1


_POSTING_PREFIXES = ("send", "copymessage", "forwardmessage")


def _posts_a_message(method: str) -> bool:
    return method.startswith(_POSTING_PREFIXES) and method != "sendchataction"


@dataclass(slots=True)
class _Failure:
    code: int
    description: str
    retry_after: int | None
    times: int


@dataclass(slots=True)
class _Queued:
    update: dict[str, Any]
    delivered: bool = False

    @property
    def update_id(self) -> int:
        return self.update["update_id"]


@dataclass(slots=True)
class _Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    members: dict[int, dict[str, Any]] = field(default_factory=dict)
    join_requests: dict[int, int] = field(default_factory=dict)
    migrated_to: int | None = None
    # The members' default permissions (groups only): getChat's ``permissions``.
    permissions: dict[str, bool] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    @property
    def instance(self) -> str:
        """A stable ``chat_instance`` for callback queries from this chat."""
        return str(int(hashlib.sha1(str(self.id).encode()).hexdigest()[:15], 16))


# -- parsing helpers ---------------------------------------------------------------------------


def _coerce(key: str, value: Any) -> Any:
    """Decode one request parameter the way the Bot API does (JSON inside the form)."""
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string, a form, a multipart body or a JSON body."""
    params: dict[str, Any] = {k: _coerce(k, v) for k, v in request.query.items()}
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        params.update({k: _coerce(k, v) for k, v in (body or {}).items()})
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = Upload(value.filename, value.content_type, value.file.read())
        else:
            params[key] = _coerce(key, value)
    return params


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (what a chart is), or a plausible default for other data."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 320, 320


_ENTITY_PATTERNS = (
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}")),
    ("url", re.compile(r"https?://[^\s<>]+")),
)


def detect_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's server adds to a user's plain text: commands, @mentions, URLs."""
    found = []
    for kind, pattern in _ENTITY_PATTERNS:
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group()),
                }
            )
    return sorted(found, key=lambda e: e["offset"])


class _TelegramHTML(HTMLParser):
    """Telegram's HTML parse mode: the supported tags become entities, anything else is the
    same 400 error Telegram gives, so malformed rendering fails in tests as in production."""

    KINDS = {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "u": "underline",
        "ins": "underline",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
        "a": "text_link",
        "code": "code",
        "pre": "pre",
        "blockquote": "blockquote",
        "tg-emoji": "custom_emoji",
    }

    def __init__(self, source: str, users: dict[int, dict[str, Any]]) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._users = users
        self._parts: list[str] = []
        self._units = 0
        self._stack: list[tuple[str, dict[str, Any]]] = []
        self.entities: list[dict[str, Any]] = []

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def _byte_offset(self) -> int:
        line, col = self.getpos()
        lines = self._source.split("\n")
        index = sum(len(x) + 1 for x in lines[: line - 1]) + col
        return len(self._source[:index].encode())

    def _error(self, what: str) -> ApiError:
        return _bad(f"can't parse entities: {what} at byte offset {self._byte_offset()}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = self.KINDS.get(tag)
        if kind is None:
            raise self._error(f'Unsupported start tag "{tag}"')
        entity: dict[str, Any] = {"type": kind, "offset": self._units}
        attributes = dict(attrs)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise self._error('Tag "span" must have class "tg-spoiler"')
        if tag == "a":
            self._link(entity, attributes.get("href") or "")
        if tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        if tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id") or ""
        self._stack.append((tag, entity))

    def _link(self, entity: dict[str, Any], href: str) -> None:
        match = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if match:
            uid = int(match.group(1))
            entity["type"] = "text_mention"
            entity["user"] = self._users.get(uid) or {
                "id": uid,
                "is_bot": False,
                "first_name": str(uid),
            }
        else:
            entity["url"] = href

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            raise self._error("Unexpected end tag")
        open_tag, entity = self._stack.pop()
        if open_tag != tag:
            raise self._error(f'Unmatched end tag, expected "</{open_tag}>", found "</{tag}>"')
        entity["length"] = self._units - entity["offset"]
        if entity["length"]:
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self._parts.append(data)
        self._units += utf16_len(data)

    def finish(self) -> None:
        self.close()
        if self._stack:
            raise _bad(
                "can't parse entities: Can't find end tag corresponding to start tag "
                f'"{self._stack[-1][0]}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))


def parse_html(
    text: str, users: dict[int, dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Visible text and entities of Telegram HTML; raises :class:`ApiError` (400) where
    Telegram would refuse the message."""
    parser = _TelegramHTML(text, users or {})
    parser.feed(text)
    parser.finish()
    return parser.text, parser.entities


# -- the server --------------------------------------------------------------------------------


class FakeTelegramServer:
    """An aiohttp server on 127.0.0.1 that answers like the Telegram Bot API."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz",
        bot_username: str = "qunbot_test",
        *,
        bot_name: str = "Qunbot Test",
        privacy_mode: bool = True,
        allowed_updates: Iterable[str] | None = None,
        now: Callable[[], float | datetime] | None = None,
        flood_limits: FloodLimits | None = None,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        # Privacy mode only matters where the bot is not an admin (as on Telegram).
        self.privacy_mode = privacy_mode
        self.now: Callable[[], float | datetime] = now or time.time
        self.dropped: list[dict[str, Any]] = []
        # Called with each message the bot sends, once stored and before the answer leaves
        # (a test may stop the bot's process there: the message exists, the bot never knew).
        self.on_send: Callable[[dict[str, Any]], None] | None = None
        # Updates handed to getUpdates answers, redeliveries included (the test kit's
        # ``settle`` compares it before and after a round).
        self.handed_out = 0
        # Telegram's flood limits, enforced when set (None: every message is accepted); the
        # 429 answers they caused: method, chat_id, retry_after.
        self.flood_limits = flood_limits
        self.flood_refusals: list[dict[str, Any]] = []
        self._posted_all: deque[float] = deque()
        self._posted_in: dict[int, deque[float]] = {}
        self._allowed = frozenset(allowed_updates or DEFAULT_UPDATE_TYPES)
        self._users: dict[int, dict[str, Any]] = {k: dict(v) for k, v in _STAND_INS.items()}
        self._users[self.bot_id] = self.bot_user
        self._started: set[int] = set()
        self._blocked: set[int] = set()
        self._chats: dict[int, _Chat] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._deleted: set[tuple[int, int]] = set()
        # Pinned message ids per chat, the newest last.
        self._pins: dict[int, list[int]] = {}
        self._sent: list[dict[str, Any]] = []
        self._files: dict[str, bytes] = {}
        self._callbacks: dict[str, dict[str, Any] | None] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._webhook: dict[str, Any] = {"url": ""}
        self._calls: list[tuple[str, dict[str, Any]]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._queue: list[_Queued] = []
        self._update_ids = itertools.count(10000)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(5000000000000000001)
        self._file_ids = itertools.count(1)
        self._invite_ids = itertools.count(1)
        # Links the bot made with createChatInviteLink (each with its chat_id), oldest first.
        self.invite_links: list[dict[str, Any]] = []
        self._poll_ticket = 0
        self._wakeup = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._methods = {
            name[len("_api_") :].lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to pass to ``ApplicationBuilder().base_url()`` (PTB appends the token)."""
        if self.port is None:
            raise RuntimeError("FakeTelegramServer is not started")
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._closing = False
        self._runner = web.AppRunner(app, shutdown_timeout=2.0, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop; pending long polls are answered at once so shutdown never waits for them."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- HTTP ----------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        method = request.match_info["method"].lower()
        handler = self._methods.get(method)
        if handler is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        params = await _read_params(request)
        self._calls.append((method, params))
        try:
            self._raise_injected(method)
            posting = self.flood_limits is not None and _posts_a_message(method)
            if posting:
                self._check_flood(method, params)
            result = await handler(params)
            if posting:
                self._count_post(params)
        except ApiError as err:
            return web.json_response(err.payload(), status=err.code)
        return web.json_response({"ok": True, "result": result})

    def _flood_windows(self, params: dict[str, Any]) -> list[tuple[deque[float], int, float]]:
        """(times of accepted posts, limit, seconds) of each window a post counts in."""
        limits = self.flood_limits
        assert limits is not None
        windows = [(self._posted_all, limits.overall, limits.overall_seconds - limits.slack)]
        try:
            chat_id = int(params.get("chat_id") or 0)
        except (TypeError, ValueError):
            chat_id = 0
        if chat_id < 0:  # groups, supergroups and channels
            times = self._posted_in.setdefault(chat_id, deque())
            windows.append((times, limits.per_group, limits.group_seconds - limits.slack))
        return windows

    def _check_flood(self, method: str, params: dict[str, Any]) -> None:
        now = time.monotonic()
        wait = 0.0
        for times, limit, seconds in self._flood_windows(params):
            while times and now - times[0] >= seconds:
                times.popleft()
            if len(times) >= limit:
                wait = max(wait, times[0] + seconds - now)
        if wait > 0:
            retry_after = max(1, int(wait + 0.999))
            self.flood_refusals.append(
                {"method": method, "chat_id": params.get("chat_id"), "retry_after": retry_after}
            )
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    def _count_post(self, params: dict[str, Any]) -> None:
        now = time.monotonic()
        for times, _, _ in self._flood_windows(params):
            times.append(now)

    def _raise_injected(self, method: str) -> None:
        queue = self._failures.get(method)
        if not queue:
            return
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        raise ApiError(failure.code, failure.description, retry_after=failure.retry_after)

    # -- test controls -------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with Telegram's error JSON.

        ``retry_after`` travels in ``parameters`` for 429 only (as on Telegram)."""
        if error_code != 429:
            retry_after = None
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429
                else HTTPStatus(error_code).phrase
            )
        failure = _Failure(error_code, description, retry_after, times)
        self._failures.setdefault(method.lower(), []).append(failure)

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Parameters of every call of ``method`` (any case), failed ones included."""
        if method is None:
            return [dict(params, _method=name) for name, params in self._calls]
        key = method.lower()
        return [params for name, params in self._calls if name == key]

    def sent(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent (to ``chat_id``, or anywhere), oldest first.

        Each is a dict: chat_id, message_id, method, text (as sent, or the caption), parse_mode,
        visible_text and entities (after parsing), reply_markup (parsed), photo / document bytes,
        filename, reply_to_message_id, date, deleted, edits (earlier texts); a copy
        (``copyMessage``) has copied_from: (source chat id, message id)."""
        if chat_id is None:
            return list(self._sent)
        return [s for s in self._sent if s["chat_id"] == int(chat_id)]

    def message(self, chat_id: int | str, message_id: int | str) -> dict[str, Any] | None:
        """Any stored message (a user's or the bot's) as Telegram would send it."""
        return self._messages.get((int(chat_id), int(message_id)))

    def is_deleted(self, chat_id: int | str, message_id: int | str) -> bool:
        return (int(chat_id), int(message_id)) in self._deleted

    def pinned(self, chat_id: int | str) -> list[int]:
        """Ids of the chat's pinned messages, the newest last (a deleted one is unpinned)."""
        return list(self._pins.get(int(chat_id), []))

    def member(self, chat_id: int | str, user_id: int | str) -> dict[str, Any]:
        """The ChatMember object for a user in a chat (status ``left`` when absent)."""
        return self._member_object(self._chat_by_id(int(chat_id)), int(user_id))

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        return list(self._commands.get((_scope_key(scope), language_code), []))

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """The parameters the bot answered a callback query with (None while unanswered)."""
        return self._callbacks.get(str(query_id))

    def file(self, file_id: str) -> bytes:
        return self._files[file_id]

    @property
    def webhook(self) -> dict[str, Any]:
        return dict(self._webhook)

    def pending(self) -> int:
        """Updates not yet confirmed by an offset (delivered or not)."""
        return len(self._queue)

    async def confirmed(self) -> None:
        """Return once every queued update was handed out and then confirmed by the offset of
        a later ``getUpdates`` (the client has taken it; polling mode)."""
        while self._queue:
            await self._wakeup.wait()  # set at each getUpdates and each new update

    def undelivered(self) -> int:
        """Updates queued but not yet handed to any getUpdates call."""
        return sum(1 for q in self._queue if not q.delivered)

    def redeliver(self, update: dict[str, Any]) -> None:
        """Queue an update again with its old update_id, as Telegram does after a crash that
        came before the offset confirmed it. The next getUpdates returns it whatever offset it
        carries (an offset only confirms what was delivered)."""
        if any(q.update_id == update["update_id"] for q in self._queue):
            return
        self._queue.append(_Queued(update))
        self._queue.sort(key=lambda q: q.update_id)
        self._notify()

    async def push_webhook(
        self, url: str, update: dict[str, Any], secret_token: str | None = None
    ) -> int:
        """POST an update to a webhook the way Telegram does; returns the HTTP status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            await response.read()
            return response.status

    # -- world setup (silent: no updates) ------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        is_bot: bool = False,
        language_code: str | None = "en",
        *,
        last_name: str | None = None,
        started: bool = False,
    ) -> dict[str, Any]:
        """Register a user. ``started``: they have pressed Start in a private chat with the bot."""
        user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code and not is_bot:
            user["language_code"] = language_code
        self._users[user_id] = user
        if started:
            self._started.add(user_id)
        return dict(user)

    def add_chat(
        self,
        chat_id: int,
        title: str,
        type: str = "supergroup",
        *,
        username: str | None = None,
        bot_status: str = "administrator",
        permissions: dict[str, bool] | None = None,
        **bot_rights: bool,
    ) -> None:
        """Create a group/supergroup/channel. The bot is in it as ``bot_status`` (default:
        an administrator with delete, restrict, invite and pin rights; ``bot_status="left"``
        for a chat the bot will be added to with :meth:`bot_added`). ``permissions``
        overrides some of the members' default permissions of a group."""
        if type not in ("group", "supergroup", "channel", "private"):
            raise ValueError(f"unknown chat type {type!r}")
        self._chats[chat_id] = _Chat(chat_id, type, title, username)
        if type in ("group", "supergroup"):
            defaults = {**DEFAULT_GROUP_PERMISSIONS, **(permissions or {})}
            self.set_chat_permissions(chat_id, **defaults)
        if type != "private":
            rights = {**DEFAULT_BOT_RIGHTS, **bot_rights} if bot_status == "administrator" else {}
            self.set_member(chat_id, self.bot_id, bot_status, **rights)

    def set_chat_permissions(self, chat_id: int, **permissions: bool) -> None:
        """Change a group's default member permissions (as an admin would). Silent."""
        unknown = set(permissions) - set(PERMISSIONS)
        if unknown:
            raise ValueError(f"unknown permissions: {sorted(unknown)}")
        chat = self._chat_by_id(chat_id)
        chat.permissions = {**chat.permissions, **permissions}

    def set_member(
        self,
        chat_id: int,
        user_id: int,
        status: str,
        *,
        until_date: int | None = None,
        is_member: bool = True,
        custom_title: str | None = None,
        **rights: bool,
    ) -> None:
        """Set a member's status (creator, administrator, member, restricted, left, kicked)
        with admin rights or restricted permissions as keywords. Silent: no update."""
        chat = self._chat_by_id(chat_id)
        self._ensure_user(user_id)
        fields = _member_fields(status, rights, until_date, is_member, custom_title)
        chat.members[user_id] = fields

    def set_bot_rights(self, chat_id: int, status: str = "administrator", **rights: bool) -> None:
        self.set_member(chat_id, self.bot_id, status, **rights)

    # -- updates from users --------------------------------------------------------------------

    def bot_says(
        self, chat_id: int, text: str, reply_markup: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A message as if the bot had sent it (recorded in ``sent()``), for tests that need
        one to reply to or click on without running a client."""
        params = {"chat_id": chat_id, "text": text, "reply_markup": reply_markup}
        chat = self._sendable_chat(params)
        record = {"text": text, "parse_mode": None, "visible_text": text}
        return self._bot_sends(chat, params, {"text": text}, record, "sendMessage")

    def user_says(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        entities: list[dict[str, Any]] | None = None,
        reply_to: int | None = None,
        sender_chat: int | None = None,
        is_automatic_forward: bool = False,
        forward_origin: dict[str, Any] | None = None,
        date: int | None = None,
        *,
        photo: bytes | bool = False,
        author_signature: str | None = None,
        via_bot: int | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user's message (``chat_id == user_id``: their private chat with the bot).

        ``entities=None`` lets the fake add what Telegram's server adds (commands, @mentions,
        URLs); pass a list to set them exactly. ``photo`` makes ``text`` the caption of a photo.
        ``via_bot``: the (known) bot user whose inline result this is; ``reply_markup``: the
        inline keyboard it came with. Returns the update (queued unless Telegram would not send
        it to this bot)."""
        chat = self._chat_for_user_message(chat_id, user_id)
        content = self._text_content(text, entities, caption=bool(photo))
        if photo:
            content["photo"] = self._photo_sizes(photo if isinstance(photo, bytes) else b"")
        if reply_to is not None:
            content["reply_to_message"] = self._reply_copy(chat, reply_to)
        if sender_chat is not None:
            content["sender_chat"] = self._chat_object(self._sender_chat(chat, sender_chat))
        if is_automatic_forward:
            content["is_automatic_forward"] = True
        if forward_origin is not None:
            content["forward_origin"] = forward_origin
        if author_signature:
            content["author_signature"] = author_signature
        if via_bot is not None:
            content["via_bot"] = self._ensure_user(via_bot)
        if reply_markup is not None:
            content["reply_markup"] = reply_markup
        message = self._new_message(chat, self._users[user_id], date, content)
        return self._push("message", message)

    def user_edits(
        self,
        chat_id: int,
        user_id: int,
        message_id: int,
        text: str,
        entities: list[dict[str, Any]] | None = None,
        date: int | None = None,
    ) -> dict[str, Any]:
        """A user edits their message: an ``edited_message`` update with ``edit_date``."""
        original = self._messages.get((chat_id, message_id))
        if original is None or original.get("from", {}).get("id") != user_id:
            raise ValueError(f"user {user_id} has no message {message_id} in chat {chat_id}")
        edited = {k: v for k, v in original.items() if k not in ("text", "entities")}
        edited.update(self._text_content(text, entities))
        edited["edit_date"] = self._date(date)
        self._messages[(chat_id, message_id)] = edited
        return self._push("edited_message", edited)

    def user_clicks(
        self, chat_id: int, user_id: int, message_id: int, callback_data: str
    ) -> dict[str, Any]:
        """A user presses an inline button of a stored message: a ``callback_query``."""
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        chat = self._chat_by_id(chat_id)
        query_id = str(next(self._query_ids))
        self._callbacks[query_id] = None
        query = {
            "id": query_id,
            "from": self._ensure_user(user_id),
            "message": message,
            "chat_instance": chat.instance,
            "data": callback_data,
        }
        return self._push("callback_query", query)

    def user_joins(
        self,
        chat_id: int,
        user_id: int,
        via: str = "both",
        *,
        by: int | None = None,
        date: int | None = None,
        invite_link: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """A user joins (``by``: the admin who added them). ``via`` chooses what Telegram sends:
        a ``chat_member`` update, a ``new_chat_members`` service message, or both."""
        chat = self._chat_by_id(chat_id)
        user = self._ensure_user(user_id)
        actor = self._ensure_user(by if by is not None else user_id)
        extra = {"invite_link": invite_link} if invite_link else {}
        return self._membership_change(
            chat,
            user_id,
            _member_fields("member", {}, None, True, None),
            actor,
            via,
            {"new_chat_members": [user]},
            date,
            extra,
        )

    def users_added(
        self, chat_id: int, user_ids: list[int], *, by: int, date: int | None = None
    ) -> dict[str, Any]:
        """An admin adds several users at once: Telegram reports them all in one
        ``new_chat_members`` service message (one update)."""
        chat = self._chat_by_id(chat_id)
        actor = self._ensure_user(by)
        users = [self._ensure_user(user_id) for user_id in user_ids]
        for user_id in user_ids:
            fields = _member_fields("member", {}, None, True, None)
            self._change_member(chat, user_id, fields, actor, date, emit=False)
        message = self._new_message(chat, actor, date, {"new_chat_members": users})
        return self._push("message", message)

    def user_leaves(
        self,
        chat_id: int,
        user_id: int,
        via: str = "both",
        *,
        by: int | None = None,
        date: int | None = None,
    ) -> list[dict[str, Any]]:
        """A user leaves, or is removed when ``by`` (an admin) is given (status kicked)."""
        chat = self._chat_by_id(chat_id)
        user = self._ensure_user(user_id)
        actor = self._ensure_user(by if by is not None else user_id)
        status = "kicked" if by is not None else "left"
        return self._membership_change(
            chat,
            user_id,
            _member_fields(status, {}, 0 if by is not None else None, True, None),
            actor,
            via,
            {"left_chat_member": user},
            date,
            {},
        )

    def join_request(
        self, chat_id: int, user_id: int, bio: str | None = None, date: int | None = None
    ) -> dict[str, Any]:
        """A user asks to join; the bot may message them privately for 5 minutes."""
        chat = self._chat_by_id(chat_id)
        when = self._date(date)
        chat.join_requests[user_id] = when
        request: dict[str, Any] = {
            "chat": self._chat_object(chat),
            "from": self._ensure_user(user_id),
            "user_chat_id": user_id,
            "date": when,
        }
        if bio:
            request["bio"] = bio
        return self._push("chat_join_request", request)

    def user_starts(self, user_id: int, payload: str = "") -> dict[str, Any]:
        """The user opens a private chat with the bot and presses Start."""
        text = f"/start {payload}".strip()
        return self.user_says(user_id, user_id, text)

    def user_blocks(self, user_id: int) -> dict[str, Any]:
        """The user blocks the bot: private sends fail with 403 from now on."""
        self._blocked.add(user_id)
        chat = self._private_chat(user_id)
        old = {"status": "member", "user": self.bot_user}
        new = {"status": "kicked", "until_date": 0, "user": self.bot_user}
        return self._push(
            "my_chat_member", self._member_update(chat, self._users[user_id], old, new)
        )

    def bot_added(
        self,
        chat_id: int,
        *,
        status: str = "administrator",
        by: int | None = None,
        via: str = "both",
        date: int | None = None,
        **rights: bool,
    ) -> list[dict[str, Any]]:
        """Someone (``by``, default the chat's creator) adds the bot: ``my_chat_member`` plus
        the ``new_chat_members`` service message naming the bot."""
        chat = self._chat_by_id(chat_id)
        if chat.members.get(self.bot_id, {}).get("status") in PRESENT:
            raise ValueError("the bot is already in this chat: add_chat(..., bot_status='left')")
        actor = self._ensure_user(by if by is not None else self._an_admin(chat))
        if status == "administrator":
            rights = {**DEFAULT_BOT_RIGHTS, **rights}
        fields = _member_fields(status, rights, None, True, None)
        return self._membership_change(
            chat,
            self.bot_id,
            fields,
            actor,
            via,
            {"new_chat_members": [self.bot_user]},
            date,
            {},
        )

    def bot_removed(
        self, chat_id: int, *, by: int | None = None, kicked: bool = True, date: int | None = None
    ) -> dict[str, Any]:
        """The bot is removed (``kicked``) or leaves: a ``my_chat_member`` update."""
        chat = self._chat_by_id(chat_id)
        actor_id = by if by is not None else (self._an_admin(chat) if kicked else self.bot_id)
        status = "kicked" if kicked else "left"
        fields = _member_fields(status, {}, 0 if kicked else None, True, None)
        return self._change_member(chat, self.bot_id, fields, self._ensure_user(actor_id), date)

    def migrate(
        self,
        old_chat_id: int,
        new_chat_id: int,
        order: str = "from_first",
        *,
        by: int | None = None,
        date: int | None = None,
    ) -> list[dict[str, Any]]:
        """Upgrade a group to a supergroup: members and rights move to ``new_chat_id``, the old
        id answers sends with ``migrate_to_chat_id``; both service messages are queued in the
        ``order`` given ("from_first": migrate_from_chat_id first)."""
        if order not in ("from_first", "to_first"):
            raise ValueError("order must be 'from_first' or 'to_first'")
        old = self._chat_by_id(old_chat_id)
        members = {uid: dict(fields) for uid, fields in old.members.items()}
        new = _Chat(new_chat_id, "supergroup", old.title, old.username, members)
        new.permissions = dict(old.permissions)
        self._chats[new_chat_id] = new
        old.migrated_to = new_chat_id
        actor = self._ensure_user(by if by is not None else self._an_admin(old))
        to_msg = self._new_message(old, actor, date, {"migrate_to_chat_id": new_chat_id})
        from_msg = self._new_message(new, actor, date, {"migrate_from_chat_id": old_chat_id})
        pair = [from_msg, to_msg] if order == "from_first" else [to_msg, from_msg]
        return [self._push("message", message) for message in pair]

    def anonymous_admin_says(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """An admin posting anonymously: from GroupAnonymousBot, sender_chat = the group."""
        return self.user_says(chat_id, GROUP_ANONYMOUS_BOT_ID, text, sender_chat=chat_id, **kwargs)

    def channel_post_in_group(
        self, chat_id: int, channel_id: int, text: str, **kwargs: Any
    ) -> dict[str, Any]:
        """A user posting in the group as one of their channels (from Channel_Bot)."""
        return self.user_says(chat_id, CHANNEL_BOT_ID, text, sender_chat=channel_id, **kwargs)

    def linked_forward(
        self, chat_id: int, channel_id: int, text: str, **kwargs: Any
    ) -> dict[str, Any]:
        """A post of the linked channel, forwarded automatically into its discussion group."""
        channel = self._sender_chat(self._chat_by_id(chat_id), channel_id)
        origin = {
            "type": "channel",
            "chat": self._chat_object(channel),
            "message_id": next(self._message_ids),
            "date": self._date(kwargs.get("date")),
        }
        return self.user_says(
            chat_id,
            SERVICE_USER_ID,
            text,
            sender_chat=channel_id,
            is_automatic_forward=True,
            forward_origin=origin,
            **kwargs,
        )

    def forward_origin(
        self, user_id: int | None = None, *, channel_id: int | None = None, date: int | None = None
    ) -> dict[str, Any]:
        """A ``forward_origin`` object: from a user, or from a channel post."""
        when = self._date(date)
        if channel_id is not None:
            channel = self._sender_chat(None, channel_id)
            chat = self._chat_object(channel)
            return {"type": "channel", "chat": chat, "message_id": 1, "date": when}
        if user_id is None:
            raise ValueError("give user_id or channel_id")
        return {"type": "user", "sender_user": self._ensure_user(user_id), "date": when}

    def entity(
        self,
        text: str,
        part: str,
        type: str,
        *,
        user: int | None = None,
        url: str | None = None,
    ) -> dict[str, Any]:
        """An entity over the first ``part`` of ``text``, with UTF-16 offset and length."""
        start = text.index(part)
        entity: dict[str, Any] = {
            "type": type,
            "offset": utf16_len(text[:start]),
            "length": utf16_len(part),
        }
        if user is not None:
            entity["user"] = self._ensure_user(user)
        if url is not None:
            entity["url"] = url
        return entity

    # -- Bot API methods: updates and webhooks -------------------------------------------------

    async def _api_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self._webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in p:
            self._set_allowed(p["allowed_updates"])
        self._confirm(int(p.get("offset") or 0))
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        timeout = max(float(p.get("timeout") or 0), 0.0)
        # A newer getUpdates ends an older one, as on Telegram (two bot instances conflict).
        self._poll_ticket += 1
        ticket = self._poll_ticket
        self._notify()
        return await self._long_poll(ticket, limit, wait_seconds=timeout)

    async def _long_poll(
        self, ticket: int, limit: int, *, wait_seconds: float
    ) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while True:
            wakeup = self._wakeup
            if ticket != self._poll_ticket:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._take(limit)
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                return batch
            try:
                await asyncio.wait_for(wakeup.wait(), remaining)
            except TimeoutError:
                pass

    def _take(self, limit: int) -> list[dict[str, Any]]:
        batch = self._queue[:limit]
        for queued in batch:
            queued.delivered = True
        self.handed_out += len(batch)
        return [q.update for q in batch]

    def _confirm(self, offset: int) -> None:
        """Forget confirmed updates: those delivered with an id below ``offset``; a negative
        offset keeps only the last ``-offset`` updates."""
        if offset < 0:
            self._queue = self._queue[offset:]
        elif offset:
            self._queue = [q for q in self._queue if not (q.delivered and q.update_id < offset)]

    def _set_allowed(self, allowed: Iterable[str] | None) -> None:
        allowed = list(allowed or [])
        self._allowed = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES

    async def _api_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self._webhook = {"url": ""}
        if p.get("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _api_setWebhook(self, p: dict[str, Any]) -> bool:
        url = p.get("url") or ""
        if url and not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook = {k: v for k, v in p.items() if not isinstance(v, Upload)}
        self._webhook["url"] = url
        if "allowed_updates" in p:
            self._set_allowed(p["allowed_updates"])
        if p.get("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _api_getWebhookInfo(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }
        if self._webhook["url"]:
            info["max_connections"] = self._webhook.get("max_connections", 40)
            if "allowed_updates" in self._webhook:
                info["allowed_updates"] = sorted(self._allowed)
        return info

    # -- Bot API methods: messages -------------------------------------------------------------

    async def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._sendable_chat(p)
        text, parse_mode = p.get("text"), p.get("parse_mode")
        if not isinstance(text, str) or not text.strip():
            raise _bad("message text is empty")
        visible, entities = self._parse_text(text, parse_mode, p.get("entities"))
        if not visible.strip():
            raise _bad("message text is empty")
        if utf16_len(visible) > MAX_TEXT:
            raise _bad("message is too long")
        content: dict[str, Any] = {"text": visible}
        if entities:
            content["entities"] = entities
        record = {"text": text, "parse_mode": parse_mode, "visible_text": visible}
        return self._bot_sends(chat, p, content, record, "sendMessage")

    async def _api_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._sendable_chat(p)
        data = self._upload(p, "photo")
        content: dict[str, Any] = {"photo": self._photo_sizes(data or b"")}
        record = {"photo": data, **self._caption(p, content)}
        return self._bot_sends(chat, p, content, record, "sendPhoto")

    async def _api_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._sendable_chat(p)
        data = self._upload(p, "document")
        upload = p.get("document")
        filename = upload.filename if isinstance(upload, Upload) else "file"
        mime = upload.content_type if isinstance(upload, Upload) else "application/octet-stream"
        file_id = self._store_file(data or b"")
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": filename,
            "mime_type": mime,
            "file_size": len(data or b""),
        }
        content: dict[str, Any] = {"document": document}
        record = {"document": data, "filename": filename, **self._caption(p, content)}
        return self._bot_sends(chat, p, content, record, "sendDocument")

    async def _api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._editable(p)
        if "text" not in message:  # a photo or document: only its caption can change
            raise _bad("there is no text in the message to edit")
        text = p.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("message text is empty")
        visible, entities = self._parse_text(text, p.get("parse_mode"), p.get("entities"))
        if utf16_len(visible) > MAX_TEXT:
            raise _bad("message is too long")
        markup = self._markup(p)
        new = {k: v for k, v in message.items() if k not in ("text", "entities", "reply_markup")}
        new["text"] = visible
        if entities:
            new["entities"] = entities
        if markup:
            new["reply_markup"] = markup
        return self._apply_edit(chat, message, new, p)

    async def _api_editMessageCaption(self, p: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._editable(p)
        if not any(kind in message for kind in _CAPTIONED):
            raise _bad("there is no caption in the message to edit")
        content: dict[str, Any] = {}
        self._caption(p, content)
        drop = ("caption", "caption_entities", "reply_markup")
        new = {k: v for k, v in message.items() if k not in drop}
        new.update(content)
        markup = self._markup(p)
        if markup:
            new["reply_markup"] = markup
        return self._apply_edit(chat, message, new, p, caption_edit=True)

    async def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._editable(p)
        markup = self._markup(p)
        new = {k: v for k, v in message.items() if k != "reply_markup"}
        if markup:
            new["reply_markup"] = markup
        return self._apply_edit(chat, message, new, p)

    async def _api_deleteMessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        key = (chat.id, int(p.get("message_id") or 0))
        message = self._messages.get(key)
        if message is None or key in self._deleted:
            raise _bad("message to delete not found")
        own = message.get("from", {}).get("id") == self.bot_id
        too_old = self._now_seconds() - message["date"] > DELETE_WINDOW
        may = own or chat.type == "private" or self._bot_right(chat, "can_delete_messages")
        if too_old or not may:
            raise _bad("message can't be deleted")
        self._deleted.add(key)
        if key[1] in self._pins.get(chat.id, []):
            self._pins[chat.id].remove(key[1])
        for record in self._sent:
            if (record["chat_id"], record["message_id"]) == key:
                record["deleted"] = True
        return True

    async def _api_copyMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        """Telegram's copy: the original's content (text or media with caption and their
        entities), no link to it; ``reply_markup`` as given. Answers a MessageId."""
        chat = self._sendable_chat(p)
        source = self._find_chat(p.get("from_chat_id"))
        key = (source.id if source else 0, int(p.get("message_id") or 0))
        original = self._messages.get(key)
        if original is None or key in self._deleted:
            raise _bad("message to copy not found")
        content = {k: v for k, v in original.items() if k in _COPIED}
        if not content:
            raise _bad("message can't be copied")
        visible = content.get("text") or content.get("caption") or ""
        sizes = content.get("photo") or []
        document = content.get("document") or {}
        record = {
            "text": visible,
            "visible_text": visible,
            "photo": self._files.get(sizes[-1]["file_id"]) if sizes else None,
            "document": self._files.get(document.get("file_id", "")) if document else None,
            "filename": document.get("file_name"),
            "copied_from": key,
        }
        message = self._bot_sends(chat, p, content, record, "copyMessage")
        return {"message_id": message["message_id"]}

    async def _api_pinChatMessage(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        key = (chat.id, int(p.get("message_id") or 0))
        if key not in self._messages or key in self._deleted:
            raise _bad("message to pin not found")
        if chat.is_group and not self._bot_right(chat, "can_pin_messages"):
            raise _bad("not enough rights to manage pinned messages in the chat")
        pins = self._pins.setdefault(chat.id, [])
        if key[1] in pins:
            pins.remove(key[1])
        pins.append(key[1])
        return True

    async def _api_sendChatAction(self, p: dict[str, Any]) -> bool:
        self._sendable_chat(p)
        if p.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    async def _api_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        query_id = str(p.get("callback_query_id") or "")
        if query_id not in self._callbacks or self._callbacks[query_id] is not None:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._callbacks[query_id] = dict(p)
        return True

    # -- Bot API methods: members --------------------------------------------------------------

    async def _api_banChatMember(self, p: dict[str, Any]) -> bool:
        chat, user_id = self._restrictable(p, "can't remove chat owner")
        until = self._normalize_until(p.get("until_date"))
        fields = _member_fields("kicked", {}, until, True, None)
        self._change_member(chat, user_id, fields, self.bot_user, None)
        return True

    async def _api_unbanChatMember(self, p: dict[str, Any]) -> bool:
        chat, user_id = self._restrictable(p, "can't remove chat owner")
        status = chat.members.get(user_id, {}).get("status", "left")
        present = status in PRESENT or _is_restricted_member(chat.members.get(user_id))
        if status == "kicked" or (present and not p.get("only_if_banned")):
            fields = _member_fields("left", {}, None, True, None)
            self._change_member(chat, user_id, fields, self.bot_user, None)
        return True

    async def _api_createChatInviteLink(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        if not chat.is_group or not self._bot_right(chat, "can_invite_users"):
            raise _bad("not enough rights to manage chat invite link")
        limit = int(p.get("member_limit") or 0)
        if not 0 <= limit <= 99999:
            raise _bad("member limit is invalid")
        if limit and p.get("creates_join_request"):
            raise _bad("member limit can't be specified for links requiring administrator approval")
        number = next(self._invite_ids)
        token = hashlib.sha256(f"{chat.id}:{number}".encode()).hexdigest()[:16]
        link: dict[str, Any] = {
            "invite_link": f"https://t.me/+{token}",
            "creator": self.bot_user,
            "creates_join_request": bool(p.get("creates_join_request")),
            "is_primary": False,
            "is_revoked": False,
        }
        if p.get("name"):
            link["name"] = str(p["name"])
        if p.get("expire_date"):
            link["expire_date"] = int(p["expire_date"])
        if limit:
            link["member_limit"] = limit
        self.invite_links.append({**link, "chat_id": chat.id})
        return link

    async def _api_restrictChatMember(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        if chat.type != "supergroup":
            raise _bad("method is available only for supergroups")
        chat, user_id = self._restrictable(p, "can't restrict chat owner")
        permissions = p.get("permissions")
        if not isinstance(permissions, dict):
            raise _bad("permissions are empty")
        current = chat.members.get(user_id, {"status": "left"})
        is_member = current["status"] in PRESENT or _is_restricted_member(current)
        granted = {name: bool(permissions.get(name, False)) for name in PERMISSIONS}
        # All true, or exactly the group's defaults, leaves no exception: a plain member.
        if all(granted.values()) or granted == chat.permissions:
            fields = _member_fields("member" if is_member else "left", {}, None, True, None)
        else:
            until = self._normalize_until(p.get("until_date"))
            fields = _member_fields("restricted", granted, until, is_member, None)
        self._change_member(chat, user_id, fields, self.bot_user, None)
        return True

    async def _api_approveChatJoinRequest(self, p: dict[str, Any]) -> bool:
        chat, user_id = self._join_request(p)
        user = self._users[user_id]
        fields = _member_fields("member", {}, None, True, None)
        extra = {"via_join_request": True}
        self._membership_change(
            chat, user_id, fields, user, "both", {"new_chat_members": [user]}, None, extra
        )
        return True

    async def _api_declineChatJoinRequest(self, p: dict[str, Any]) -> bool:
        self._join_request(p)
        return True

    async def _api_getChatMember(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        user_id = self._user_id(p)
        return self._member_object(chat, user_id)

    async def _api_getChatAdministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        chat = self._chat(p)
        if chat.type == "private":
            raise _bad("there are no administrators in the private chat")
        admins = [
            uid for uid, m in chat.members.items() if m["status"] in ("creator", "administrator")
        ]
        return [self._member_object(chat, uid) for uid in admins]

    async def _api_getChatMemberCount(self, p: dict[str, Any]) -> int:
        chat = self._chat(p)
        members = chat.members.values()
        return sum(1 for m in members if m["status"] in PRESENT or _is_restricted_member(m))

    async def _api_getChat(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(p)
        info = {
            **self._chat_object(chat),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat.is_group:
            info["permissions"] = dict(chat.permissions)
        return info

    async def _api_leaveChat(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        fields = _member_fields("left", {}, None, True, None)
        self._change_member(chat, self.bot_id, fields, self.bot_user, None)
        return True

    async def _api_setChatAdministratorCustomTitle(self, p: dict[str, Any]) -> bool:
        chat = self._chat(p)
        if chat.type != "supergroup":
            raise _bad("method is available only for supergroups")
        if not self._bot_right(chat, "can_promote_members"):
            raise _bad("not enough rights to change custom title of the user")
        user_id = self._user_id(p)
        member = chat.members.get(user_id)
        if member is None or member["status"] != "administrator":
            raise _bad("user is not an administrator")
        title = str(p.get("custom_title") or "")
        if len(title) > 16:
            raise _bad("ADMIN_RANK_INVALID")
        if any(ord(ch) > 0xFFFF for ch in title):
            raise _bad("ADMIN_RANK_EMOJI_NOT_ALLOWED")
        member["custom_title"] = title
        return True

    # -- Bot API methods: commands -------------------------------------------------------------

    async def _api_setMyCommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("commands must be a list of at most 100 commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (_scope_key(p.get("scope")), str(p.get("language_code") or ""))
        self._commands[key] = [dict(c) for c in commands]
        return True

    async def _api_getMyCommands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        key = (_scope_key(p.get("scope")), str(p.get("language_code") or ""))
        return list(self._commands.get(key, []))

    async def _api_deleteMyCommands(self, p: dict[str, Any]) -> bool:
        key = (_scope_key(p.get("scope")), str(p.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    # -- internals: chats, users, members ------------------------------------------------------

    def _ensure_user(self, user_id: int) -> dict[str, Any]:
        """A known user, or a plausible one created on first mention (tests stay short)."""
        if user_id not in self._users:
            self.add_user(user_id, f"User{user_id}")
        return self._users[user_id]

    def _chat_by_id(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None and chat_id > 0:
            return self._private_chat(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}: call add_chat() first")
        return chat

    def _private_chat(self, user_id: int) -> _Chat:
        chat = self._chats.get(user_id)
        if chat is None:
            self._ensure_user(user_id)
            chat = self._chats[user_id] = _Chat(user_id, "private")
        return chat

    def _chat_object(self, chat: _Chat) -> dict[str, Any]:
        """The short Chat object embedded in messages."""
        if chat.type == "private":
            user = self._users[chat.id]
            obj = {"id": chat.id, "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if key in user:
                    obj[key] = user[key]
            return obj
        obj = {"id": chat.id, "type": chat.type, "title": chat.title or ""}
        if chat.username:
            obj["username"] = chat.username
        return obj

    def _chat(self, p: dict[str, Any]) -> _Chat:
        """The chat a request names; 400 as Telegram for unknown or migrated chats."""
        raw = p.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        chat = self._find_chat(raw)
        if chat is None:
            raise _bad("chat not found")
        if chat.migrated_to is not None:
            raise _bad(
                "group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=chat.migrated_to,
            )
        return chat

    def _find_chat(self, raw: Any) -> _Chat | None:
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            return next(
                (c for c in self._chats.values() if (c.username or "").lower() == name), None
            )
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            return None
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id in self._users and chat_id > 0:
            return self._private_chat(chat_id)
        return None

    def _sendable_chat(self, p: dict[str, Any]) -> _Chat:
        """A chat the bot may post in now (403 as Telegram otherwise)."""
        chat = self._chat(p)
        if chat.type == "private":
            self._check_private(chat.id)
            return chat
        status = chat.members.get(self.bot_id, {}).get("status", "left")
        kind = "supergroup chat" if chat.type == "supergroup" else f"{chat.type} chat"
        if status == "kicked":
            raise _forbidden(f"bot was kicked from the {kind}")
        if status == "left":
            raise _forbidden(f"bot is not a member of the {kind}")
        return chat

    def _check_private(self, user_id: int) -> None:
        if self._users.get(user_id, {}).get("is_bot"):
            raise _forbidden("bot can't send messages to bots")
        if user_id in self._blocked:
            raise _forbidden("bot was blocked by the user")
        if user_id in self._started or self._recent_join_request(user_id):
            return
        raise _forbidden("bot can't initiate conversation with a user")

    def _recent_join_request(self, user_id: int) -> bool:
        now = self._now_seconds()
        return any(
            now - when <= JOIN_REQUEST_DM_WINDOW
            for chat in self._chats.values()
            for uid, when in chat.join_requests.items()
            if uid == user_id
        )

    def _user_id(self, p: dict[str, Any]) -> int:
        try:
            user_id = int(p.get("user_id"))
        except (TypeError, ValueError):
            raise _bad("invalid user_id specified") from None
        if user_id not in self._users:
            raise _bad("user not found")
        return user_id

    def _member_object(self, chat: _Chat, user_id: int) -> dict[str, Any]:
        fields = chat.members.get(user_id, {"status": "left"})
        return {**fields, "user": self._users[user_id]}

    def _bot_right(self, chat: _Chat, right: str) -> bool:
        me = chat.members.get(self.bot_id, {})
        return me.get("status") == "creator" or bool(
            me.get("status") == "administrator" and me.get(right)
        )

    def _an_admin(self, chat: _Chat) -> int:
        """Who performed an action a test did not attribute: the creator, else an admin."""
        for wanted in ("creator", "administrator"):
            for uid, member in chat.members.items():
                if member["status"] == wanted and uid != self.bot_id:
                    return uid
        raise ValueError(f"chat {chat.id} has no creator/admin: pass by=<user id>")

    def _restrictable(self, p: dict[str, Any], owner_error: str) -> tuple[_Chat, int]:
        """Checks shared by ban/unban/restrict: a group, the right, a target below the bot."""
        chat = self._chat(p)
        if chat.type == "private":
            raise _bad("chat member status can't be changed in private chats")
        if not self._bot_right(chat, "can_restrict_members"):
            raise _bad("not enough rights to restrict/unrestrict chat member")
        user_id = self._user_id(p)
        if user_id == self.bot_id:
            raise _bad("can't restrict self")
        status = chat.members.get(user_id, {}).get("status")
        if status == "creator":
            raise _bad(owner_error)
        if status == "administrator":
            raise _bad("user is an administrator of the chat")
        return chat, user_id

    def _join_request(self, p: dict[str, Any]) -> tuple[_Chat, int]:
        chat = self._chat(p)
        if not self._bot_right(chat, "can_invite_users"):
            raise _bad("not enough rights to manage join requests")
        user_id = self._user_id(p)
        if chat.join_requests.pop(user_id, None) is None:
            raise _bad("HIDE_REQUESTER_MISSING")
        return chat, user_id

    def _normalize_until(self, until: Any) -> int:
        """Telegram's rule: under 30 s or over 366 days from now means forever (0)."""
        if not until:
            return 0
        delta = int(until) - self._now_seconds()
        return int(until) if FOREVER_MIN <= delta <= FOREVER_MAX else 0

    def _sender_chat(self, chat: _Chat | None, sender_id: int) -> _Chat:
        if chat is not None and sender_id == chat.id:
            return chat
        if sender_id not in self._chats:
            self._chats[sender_id] = _Chat(sender_id, "channel", f"Channel {sender_id}")
        return self._chats[sender_id]

    def _chat_for_user_message(self, chat_id: int, user_id: int) -> _Chat:
        """The chat of a user's message; a speaking user is a member (or has started us)."""
        self._ensure_user(user_id)
        if chat_id == user_id:
            self._started.add(user_id)
            self._blocked.discard(user_id)
            return self._private_chat(user_id)
        chat = self._chat_by_id(chat_id)
        if user_id not in _STAND_INS and user_id not in chat.members:
            chat.members[user_id] = _member_fields("member", {}, None, True, None)
        return chat

    # -- internals: messages -------------------------------------------------------------------

    def _now_seconds(self) -> int:
        now = self.now()
        return int(now.timestamp() if isinstance(now, datetime) else now)

    def _date(self, date: int | None) -> int:
        return int(date) if date is not None else self._now_seconds()

    def _new_message(
        self, chat: _Chat, sender: dict[str, Any], date: int | None, content: dict[str, Any]
    ) -> dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "from": sender,
            "chat": self._chat_object(chat),
            "date": self._date(date),
            **content,
        }
        self._messages[(chat.id, message["message_id"])] = message
        return message

    def _text_content(
        self, text: str, entities: list[dict[str, Any]] | None, *, caption: bool = False
    ) -> dict[str, Any]:
        found = detect_entities(text) if entities is None else entities
        key = "caption" if caption else "text"
        content: dict[str, Any] = {key: text}
        if found:
            content[f"{key}_entities" if caption else "entities"] = found
        return content

    def _reply_copy(self, chat: _Chat, message_id: int) -> dict[str, Any]:
        """The replied-to message as embedded in a reply (Telegram does not nest further)."""
        original = self._messages.get((chat.id, message_id))
        if original is None:
            raise ValueError(f"no message {message_id} in chat {chat.id}")
        return {k: v for k, v in original.items() if k != "reply_to_message"}

    def _photo_sizes(self, data: bytes) -> list[dict[str, Any]]:
        file_id = self._store_file(data)
        width, height = _png_size(data)
        small = max(width // 4, 1), max(height // 4, 1)
        return [
            {
                "file_id": f"{file_id}s",
                "file_unique_id": f"u{file_id}s",
                "width": small[0],
                "height": small[1],
                "file_size": max(len(data) // 8, 1),
            },
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "width": width,
                "height": height,
                "file_size": len(data),
            },
        ]

    def _store_file(self, data: bytes) -> str:
        file_id = f"AgACAgFake{next(self._file_ids):06d}"
        self._files[file_id] = data
        return file_id

    def _upload(self, p: dict[str, Any], key: str) -> bytes | None:
        """The bytes of a file parameter: an upload, an attach:// part, a known file_id, or
        None for a URL."""
        value = p.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value[len("attach://") :])
        if isinstance(value, Upload):
            return value.data
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return None
        raise _bad("wrong file identifier/HTTP URL specified")

    def _caption(self, p: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        """Parse a caption into ``content``; return the fields recorded for ``sent()``."""
        caption, parse_mode = p.get("caption"), p.get("parse_mode")
        if not caption:
            return {"text": "", "caption": "", "parse_mode": parse_mode, "visible_text": ""}
        visible, entities = self._parse_text(caption, parse_mode, p.get("caption_entities"))
        if utf16_len(visible) > MAX_CAPTION:
            raise _bad("message caption is too long")
        content["caption"] = visible
        if entities:
            content["caption_entities"] = entities
        return {
            "text": caption,
            "caption": caption,
            "parse_mode": parse_mode,
            "visible_text": visible,
        }

    def _parse_text(
        self, text: str, parse_mode: str | None, entities: Any
    ) -> tuple[str, list[dict[str, Any]]]:
        if (parse_mode or "").lower() == "html":
            return parse_html(text, self._users)
        return text, list(entities or [])

    def _markup(self, p: dict[str, Any]) -> dict[str, Any] | None:
        markup = p.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                self._check_button(button)
        return markup

    @staticmethod
    def _check_button(button: dict[str, Any]) -> None:
        if not button.get("text"):
            raise _bad("BUTTON_TEXT_INVALID")
        if "callback_data" in button:
            size = len(str(button["callback_data"]).encode())
            if not 1 <= size <= 64:
                raise _bad("BUTTON_DATA_INVALID")
        elif "url" in button:
            if not str(button["url"]).startswith(("http://", "https://", "tg://")):
                raise _bad("BUTTON_URL_INVALID")
        else:
            raise _bad("can't parse inline keyboard button: Text buttons are unallowed")

    def _reply_target(self, chat: _Chat, p: dict[str, Any]) -> int | None:
        params = p.get("reply_parameters") or {}
        target = params.get("message_id") or p.get("reply_to_message_id")
        if target is None:
            return None
        target = int(target)
        if (chat.id, target) in self._messages and (chat.id, target) not in self._deleted:
            return target
        if params.get("allow_sending_without_reply") or p.get("allow_sending_without_reply"):
            return None
        raise _bad("message to be replied not found")

    def _bot_sends(
        self,
        chat: _Chat,
        p: dict[str, Any],
        content: dict[str, Any],
        record: dict[str, Any],
        method: str,
    ) -> dict[str, Any]:
        """Store a message the bot sends and record it for ``sent()``."""
        reply_to = self._reply_target(chat, p)
        markup = self._markup(p)
        if reply_to is not None:
            content["reply_to_message"] = self._reply_copy(chat, reply_to)
        if markup:
            content["reply_markup"] = markup
        message = self._new_message(chat, self.bot_user, None, content)
        entry = {
            "chat_id": chat.id,
            "message_id": message["message_id"],
            "method": method,
            "text": "",
            "parse_mode": None,
            "visible_text": "",
            "entities": content.get("entities") or content.get("caption_entities") or [],
            "reply_markup": markup,
            "photo": None,
            "document": None,
            "reply_to_message_id": reply_to,
            "date": message["date"],
            "deleted": False,
            "edits": [],
            **record,
        }
        self._sent.append(entry)
        if self.on_send is not None:
            self.on_send(entry)
        return message

    def _editable(self, p: dict[str, Any]) -> tuple[_Chat, dict[str, Any]]:
        if p.get("inline_message_id"):
            raise _bad("inline messages are not supported by the fake")
        chat = self._chat(p)
        key = (chat.id, int(p.get("message_id") or 0))
        message = self._messages.get(key)
        if message is None or key in self._deleted:
            raise _bad("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return chat, message

    def _apply_edit(
        self,
        chat: _Chat,
        old: dict[str, Any],
        new: dict[str, Any],
        p: dict[str, Any],
        *,
        caption_edit: bool = False,
    ) -> dict[str, Any]:
        if {k: v for k, v in new.items() if k != "edit_date"} == {
            k: v for k, v in old.items() if k != "edit_date"
        }:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        new["edit_date"] = self._now_seconds()
        self._messages[(chat.id, old["message_id"])] = new
        for record in self._sent:
            if (record["chat_id"], record["message_id"]) == (chat.id, old["message_id"]):
                record["edits"].append(record["text"])
                if "text" in p:
                    record.update(text=p["text"], parse_mode=p.get("parse_mode"))
                    record.update(visible_text=new["text"], entities=new.get("entities", []))
                elif caption_edit:
                    caption = p.get("caption") or ""
                    record.update(text=caption, caption=caption, parse_mode=p.get("parse_mode"))
                    record.update(
                        visible_text=new.get("caption", ""),
                        entities=new.get("caption_entities", []),
                    )
                record["reply_markup"] = new.get("reply_markup")
        return new

    # -- internals: updates --------------------------------------------------------------------

    def _push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Wrap ``payload`` in an update; queue it if Telegram would send it to this bot."""
        update = {"update_id": next(self._update_ids), kind: payload}
        if self._would_deliver(kind, payload):
            self._queue.append(_Queued(update))
            self._notify()
        else:
            self.dropped.append(update)
        return update

    def _notify(self) -> None:
        """Wake every waiting long poll (each captured the event it waits on)."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _would_deliver(self, kind: str, payload: dict[str, Any]) -> bool:
        """Telegram's delivery rules: allowed_updates, membership, admin-only updates, privacy."""
        if kind not in self._allowed:
            return False
        chat_obj = payload.get("chat") or (payload.get("message") or {}).get("chat")
        if kind == "my_chat_member" or chat_obj is None:
            return True
        chat = self._chats.get(chat_obj["id"])
        if chat is None or chat.type == "private":
            return True
        me = chat.members.get(self.bot_id, {"status": "left"})
        if kind == "chat_member":
            return me["status"] in ("creator", "administrator")
        if kind == "chat_join_request":
            return self._bot_right(chat, "can_invite_users")
        if me["status"] not in PRESENT and not _is_restricted_member(me):
            return False
        if kind in ("message", "edited_message"):
            return self._passes_privacy(me, payload)
        return True

    def _passes_privacy(self, me: dict[str, Any], message: dict[str, Any]) -> bool:
        """With privacy mode on, a non-admin bot sees commands, replies to it, mentions of it
        and service messages only."""
        if not self.privacy_mode or me["status"] in ("creator", "administrator"):
            return True
        text = message.get("text") or message.get("caption")
        if text is None:
            return True
        replied = (message.get("reply_to_message") or {}).get("from", {}).get("id")
        mention = f"@{self.bot_user['username']}".lower()
        return text.startswith("/") or replied == self.bot_id or mention in text.lower()

    def _member_update(
        self,
        chat: _Chat,
        actor: dict[str, Any],
        old: dict[str, Any],
        new: dict[str, Any],
        date: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return {
            "chat": self._chat_object(chat),
            "from": actor,
            "date": self._date(date),
            "old_chat_member": old,
            "new_chat_member": new,
            **(extra or {}),
        }

    def _change_member(
        self,
        chat: _Chat,
        user_id: int,
        fields: dict[str, Any],
        actor: dict[str, Any],
        date: int | None,
        extra: dict[str, Any] | None = None,
        *,
        emit: bool = True,
    ) -> dict[str, Any] | None:
        """Set a member's state and queue the ``chat_member`` / ``my_chat_member`` update."""
        old = self._member_object(chat, user_id)
        chat.members[user_id] = fields
        new = self._member_object(chat, user_id)
        if not emit:
            return None
        kind = "my_chat_member" if user_id == self.bot_id else "chat_member"
        return self._push(kind, self._member_update(chat, actor, old, new, date, extra))

    def _membership_change(
        self,
        chat: _Chat,
        user_id: int,
        fields: dict[str, Any],
        actor: dict[str, Any],
        via: str,
        service: dict[str, Any],
        date: int | None,
        extra: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """A join or leave as Telegram reports it: the member update and/or a service message."""
        if via not in ("both", "chat_member", "service"):
            raise ValueError("via must be 'both', 'chat_member' or 'service'")
        updates = []
        emit = via in ("both", "chat_member") or user_id == self.bot_id
        update = self._change_member(chat, user_id, fields, actor, date, extra, emit=emit)
        if update is not None:
            updates.append(update)
        if via in ("both", "service") and chat.is_group:
            message = self._new_message(chat, actor, date, service)
            updates.append(self._push("message", message))
        return updates


def _scope_key(scope: Any) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)


def _is_restricted_member(member: dict[str, Any] | None) -> bool:
    return bool(member) and member["status"] == "restricted" and bool(member.get("is_member"))


def _member_fields(
    status: str,
    rights: dict[str, bool],
    until_date: int | None,
    is_member: bool,
    custom_title: str | None,
) -> dict[str, Any]:
    """The status part of a ChatMember object, complete as PTB requires (without ``user``)."""
    status = _STATUS_ALIASES.get(status, status)
    builders = {
        "creator": lambda: {"status": "creator", "is_anonymous": False},
        "administrator": lambda: _admin_fields(rights),
        "member": lambda: {"status": "member"},
        "restricted": lambda: _restricted_fields(rights, until_date, is_member),
        "left": lambda: {"status": "left"},
        "kicked": lambda: {"status": "kicked", "until_date": until_date or 0},
    }
    if status not in builders:
        raise ValueError(f"unknown member status {status!r}")
    if rights and status not in ("administrator", "restricted"):
        raise ValueError(f"rights are only for administrator/restricted, not {status!r}")
    fields = builders[status]()
    if until_date and status == "member":
        fields["until_date"] = until_date
    if custom_title and status in ("creator", "administrator"):
        fields["custom_title"] = custom_title
    return fields


def _admin_fields(rights: dict[str, bool]) -> dict[str, Any]:
    unknown = set(rights) - set(ADMIN_RIGHTS) - {"can_be_edited", "is_anonymous"}
    if unknown:
        raise ValueError(f"unknown admin rights: {sorted(unknown)}")
    fields: dict[str, Any] = {
        "status": "administrator",
        "can_be_edited": bool(rights.get("can_be_edited", False)),
        "is_anonymous": bool(rights.get("is_anonymous", False)),
    }
    for right in ADMIN_RIGHTS:
        fields[right] = bool(rights.get(right, right == "can_manage_chat"))
    return fields


def _restricted_fields(
    rights: dict[str, bool], until_date: int | None, is_member: bool
) -> dict[str, Any]:
    unknown = set(rights) - set(PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown permissions: {sorted(unknown)}")
    fields: dict[str, Any] = {
        "status": "restricted",
        "is_member": is_member,
        "until_date": until_date or 0,
    }
    for name in PERMISSIONS:
        fields[name] = bool(rights.get(name, False))
    return fields
