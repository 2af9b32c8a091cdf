"""Telegram updates to qunbot events: pure functions, testable on recorded JSON.

Why pure: the adapter's only stateful parts are the network and join de-duplication; keeping
conversion free of I/O lets every Telegram quirk (UTF-16 entity offsets, anonymous admins,
channel identities, ``/cmd@otherbot``, duplicate join reports, group migration) be pinned by a
unit test on a literal update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram import Chat as TgChat
from telegram import ChatMember, InlineKeyboardMarkup, MessageEntity, MessageOrigin, Update
from telegram import Message as TgMessage
from telegram import User as TgUser

from bot.commands import split_command
from bot.events import (
    BotJoinedGuild,
    BotLeftGuild,
    ButtonClicked,
    Channel,
    ChannelType,
    CommandInvoked,
    Event,
    ForwardOrigin,
    Guild,
    JoinRequest,
    MemberJoined,
    MemberLeft,
    Message,
    MessageCreated,
    MessageLink,
    MessageUpdated,
    User,
)
from bot.message import Link, Mention
from bot.text import clean

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL_BOT_ID",
    "GROUP_ANONYMOUS_BOT_ID",
    "PLATFORM",
    "SERVICE_USER_ID",
    "GroupMigrated",
    "JoinDeduplicator",
    "convert_update",
    "is_anonymous_admin",
    "message_from_json",
    "to_user",
    "utf16_slice",
]

PLATFORM = "telegram"
# Exactly the update types convert_update handles; chat_member must be asked for explicitly.
ALLOWED_UPDATES = (
    "message",
    "edited_message",
    "callback_query",
    "chat_member",
    "my_chat_member",
    "chat_join_request",
)
# Stand-in senders: never ordinary members (no points, no kicks).
GROUP_ANONYMOUS_BOT_ID = 1087968824
CHANNEL_BOT_ID = 136817688
SERVICE_USER_ID = 777000
STAND_IN_IDS = frozenset({GROUP_ANONYMOUS_BOT_ID, CHANNEL_BOT_ID, SERVICE_USER_ID})

_ATTACHMENTS = (
    "animation",
    "audio",
    "contact",
    "dice",
    "document",
    "game",
    "location",
    "photo",
    "poll",
    "sticker",
    "story",
    "venue",
    "video",
    "video_note",
    "voice",
)
# Message.media: the attachment field and the kind it is reported as. Order matters: an
# animation message also carries ``document`` (for old clients), so animation comes first.
_MEDIA = (
    ("animation", "animation"),
    ("photo", "photo"),
    ("video", "video"),
    ("video_note", "video"),
    ("sticker", "sticker"),
    ("voice", "voice"),
    ("audio", "audio"),
    ("document", "document"),
)
_IN_CHAT = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})


@dataclass(frozen=True, slots=True)
class GroupMigrated:
    """A group became a supergroup with a new id (adapter-internal, not an Event).

    Telegram reports it twice (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id``
    in the new one, in either order); both convert to the same value, so applying it must be
    idempotent."""

    old_id: str
    new_id: str


class JoinDeduplicator:
    """Remembers recent joins/leaves so one change reported twice becomes one event.

    Telegram may send both a ``chat_member`` update and a ``new_chat_members`` service message
    for the same join (or either alone). An event counts as a repeat when the last transition
    emitted for the same (chat, user) is of the same kind within ``window`` seconds, or is a
    later transition of the other kind (the report arrived after the member already changed
    again)."""

    def __init__(self, window: float = 60.0, max_entries: int = 10_000) -> None:
        self.window = window
        self.max_entries = max_entries
        self._last: dict[tuple[str, str], tuple[str, float]] = {}

    def seen(self, chat_id: Any, user_id: Any, kind: str, date: datetime | float) -> bool:
        """True if this join/leave was already emitted; otherwise remember it, return False."""
        key = (str(chat_id), str(user_id))
        when = date.timestamp() if isinstance(date, datetime) else float(date)
        last = self._last.get(key)
        if last is not None:
            last_kind, last_when = last
            if last_kind == kind and abs(when - last_when) <= self.window:
                return True
            if last_kind != kind and when < last_when:
                return True
        self._last[key] = (kind, when)
        self._prune(when)
        return False

    def _prune(self, now: float) -> None:
        if len(self._last) <= self.max_entries:
            return
        self._last = {k: v for k, v in self._last.items() if now - v[1] <= self.window}


@dataclass(frozen=True, slots=True)
class _Context:
    update: Update
    self_id: str
    bot_username: str
    dedup: JoinDeduplicator | None
    received_at: datetime


def convert_update(
    update: Update,
    *,
    self_id: str,
    bot_username: str,
    dedup: JoinDeduplicator | None = None,
    received_at: datetime | None = None,
) -> list[Event | GroupMigrated]:
    """Events carried by one update (zero, one or several).

    ``received_at``: when the adapter got the update (the core's clock); used only where
    Telegram gives no time of its own (callback queries)."""
    ctx = _Context(update, self_id, bot_username, dedup, received_at or datetime.now(UTC))
    # Not cleaned here: the core's dispatch cleans every event once, whatever its adapter.
    return _events(ctx, update)


def message_from_json(
    data: dict[str, Any], *, self_id: str, bot_username: str = ""
) -> list[Event | GroupMigrated]:
    """A Bot API ``Message`` object (decoded JSON) converted exactly as the adapter converts
    one in an update (an edit when it has ``edit_date``), without a bot: for tools that judge
    recorded messages offline (``qunbot ads check``)."""
    kind = "edited_message" if data.get("edit_date") else "message"
    update = Update.de_json({"update_id": 0, kind: data}, None)
    # Cleaned here: these events go to the detector without the core's dispatch (bot.text).
    return clean(convert_update(update, self_id=self_id, bot_username=bot_username))


def _events(ctx: _Context, update: Update) -> list[Event | GroupMigrated]:
    if update.message is not None:
        return _from_message(ctx, update.message)
    if update.edited_message is not None:
        return _from_edit(ctx, update.edited_message)
    if update.callback_query is not None:
        return _from_callback(ctx)
    if update.chat_member is not None:
        return _from_chat_member(ctx)
    if update.my_chat_member is not None:
        return _from_my_chat_member(ctx)
    if update.chat_join_request is not None:
        return _from_join_request(ctx)
    return []


def is_anonymous_admin(event: Event) -> bool:
    """The event was sent by an anonymous admin (the group speaking as itself): an admin whose
    identity Telegram hides, so it is treated as an admin but never as a member."""
    user, guild = event.user, event.guild
    return bool(user and guild and user.is_channel and user.id == guild.id)


def utf16_slice(text: str, offset: int, length: int) -> str:
    """The part of ``text`` an entity covers: Telegram counts offsets in UTF-16 code units."""
    encoded = text.encode("utf-16-le")
    return encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le", errors="replace")


# -- messages ----------------------------------------------------------------------------------


def _from_message(ctx: _Context, tg: TgMessage) -> list[Event | GroupMigrated]:
    if tg.migrate_to_chat_id:
        return [GroupMigrated(str(tg.chat.id), str(tg.migrate_to_chat_id))]
    if tg.migrate_from_chat_id:
        return [GroupMigrated(str(tg.migrate_from_chat_id), str(tg.chat.id))]
    if _place(tg.chat) is None:
        return []
    if tg.new_chat_members:
        return _service_joins(ctx, tg)
    if tg.left_chat_member is not None:
        return _service_leave(ctx, tg)
    if not _has_content(tg):
        return []
    message = _message(tg)
    base = _message_base(ctx, tg, _utc(tg.date))
    command = (
        None if message.forwarded or tg.text is None else split_command(tg.text, ctx.bot_username)
    )
    if command is not None:
        name, rest = command
        return [CommandInvoked(name=name, text=rest, message=message, **base)]
    return [MessageCreated(message=message, **base)]


def _from_edit(ctx: _Context, tg: TgMessage) -> list[Event | GroupMigrated]:
    """An edit is reported, never re-run as a command. Its time is the edit's."""
    if _place(tg.chat) is None or not _has_content(tg):
        return []
    when = _utc(tg.edit_date or tg.date)
    return [MessageUpdated(message=_message(tg), **_message_base(ctx, tg, when))]


def _message(tg: TgMessage) -> Message:
    text = tg.text if tg.text is not None else (tg.caption or "")
    entities = tg.entities if tg.text is not None else tg.caption_entities
    reply = tg.reply_to_message
    # In forum topics every message "replies" to the topic's creation message.
    is_topic_root = reply is not None and reply.forum_topic_created is not None
    links, usernames = _links(tg, text, entities or ())
    replied = reply is not None and not is_topic_root
    return Message(
        id=str(tg.message_id),
        text=text,
        elements=_elements(text, entities or ()),
        reply_to=str(reply.message_id) if replied else None,
        reply_text=(reply.text or reply.caption or "") if replied else "",
        created_at=_utc(tg.date),
        edited_at=_utc(tg.edit_date) if tg.edit_date else None,
        forwarded=tg.forward_origin is not None or bool(tg.is_automatic_forward),
        links=links,
        usernames=usernames,
        buttons=_buttons(tg.reply_markup),
        via_bot=_via_bot(tg.via_bot),
        forward_origin=_forward_origin(tg.forward_origin),
        media=next((kind for name, kind in _MEDIA if getattr(tg, name, None)), None),
        automatic_forward=bool(tg.is_automatic_forward),
    )


def _links(
    tg: TgMessage, text: str, entities: tuple[MessageEntity, ...]
) -> tuple[tuple[MessageLink, ...], tuple[str, ...]]:
    """Links and @usernames as Telegram marked them (entities of the text or the caption), in
    text order, each once. A ``url`` entity's link is its slice of the text exactly as written
    (no scheme added, nothing normalised); a ``text_link`` keeps the words it hides behind.
    A ``text_mention`` (a user without a username) stays a mention, not a username. A link
    preview forced onto another URL than the text's counts as a link too."""
    links: dict[MessageLink, None] = {}
    usernames: dict[str, None] = {}
    for entity in sorted(entities, key=lambda e: e.offset):
        span = utf16_slice(text, entity.offset, entity.length)
        if entity.type == MessageEntity.URL:
            links[MessageLink(span)] = None
        elif entity.type == MessageEntity.TEXT_LINK and entity.url:
            links[MessageLink(entity.url, span)] = None
        elif entity.type == MessageEntity.MENTION:
            usernames[span.removeprefix("@")] = None
    preview = tg.link_preview_options.url if tg.link_preview_options is not None else None
    if preview and all(link.url != preview for link in links):
        links[MessageLink(preview)] = None
    return tuple(links), tuple(usernames)


def _buttons(markup: Any) -> tuple[MessageLink, ...]:
    """The inline keyboard's buttons that open an address (``url``, ``login_url``, ``web_app``),
    with their labels; callback and other buttons carry no link."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return ()
    buttons: list[MessageLink] = []
    for row in markup.inline_keyboard:
        for button in row:
            for url in (
                button.url,
                button.login_url.url if button.login_url is not None else None,
                button.web_app.url if button.web_app is not None else None,
            ):
                if url:
                    buttons.append(MessageLink(url, button.text or ""))
    return tuple(buttons)


def _via_bot(bot: TgUser | None) -> str | None:
    if bot is None:
        return None
    return bot.username or str(bot.id)


def _forward_origin(origin: MessageOrigin | None) -> ForwardOrigin | None:
    """Kind ``user``, ``hidden_user``, ``chat`` (a group posting anonymously) or ``channel``,
    with the origin's name (a user's full name, a chat's title), username and id."""
    if origin is None:
        return None
    user = getattr(origin, "sender_user", None)
    if user is not None:
        return ForwardOrigin(origin.type, user.full_name, user.username, str(user.id))
    chat = getattr(origin, "sender_chat", None) or getattr(origin, "chat", None)
    if chat is not None:
        name = chat.title or chat.effective_name or ""
        return ForwardOrigin(origin.type, name, chat.username, str(chat.id))
    return ForwardOrigin(origin.type, getattr(origin, "sender_user_name", None) or "")


def _elements(text: str, entities: tuple[MessageEntity, ...]) -> tuple[Any, ...]:
    """Mentions and links, in text order. A bare @username has no id yet (user_id "")."""
    elements: list[Any] = []
    for entity in sorted(entities, key=lambda e: e.offset):
        span = utf16_slice(text, entity.offset, entity.length)
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            elements.append(Mention(str(entity.user.id), entity.user.full_name))
        elif entity.type == MessageEntity.MENTION:
            elements.append(Mention("", span.removeprefix("@")))
        elif entity.type == MessageEntity.TEXT_LINK and entity.url:
            elements.append(Link(entity.url, span))
        elif entity.type == MessageEntity.URL:
            elements.append(Link(span, span))
    return tuple(elements)


def _has_content(tg: TgMessage) -> bool:
    """A message someone wrote or sent (not a service message such as a pin or title change)."""
    if tg.text is not None or tg.caption is not None:
        return True
    return any(getattr(tg, name, None) for name in _ATTACHMENTS)


def _message_base(ctx: _Context, tg: TgMessage, when: datetime) -> dict[str, Any]:
    locale = _locale(tg.from_user.language_code) if tg.from_user else None
    return _base(ctx, tg.chat, when, _sender(tg), locale)


def _sender(tg: TgMessage) -> User | None:
    """Who speaks: ``sender_chat`` first (anonymous admin, channel, linked channel), then
    ``from``. Stand-in ``from`` ids are channel identities even without a sender_chat."""
    chat, sender_chat = tg.chat, tg.sender_chat
    if sender_chat is not None:
        identity = chat if sender_chat.id == chat.id else sender_chat
        return _chat_identity(identity)
    if tg.from_user is None:
        return None
    if tg.from_user.id in STAND_IN_IDS:
        user = to_user(tg.from_user)
        return User(id=user.id, name=user.name, username=user.username, is_channel=True)
    return to_user(tg.from_user)


def _chat_identity(chat: TgChat) -> User:
    return User(
        id=str(chat.id),
        name=chat.title or chat.effective_name or "",
        username=chat.username,
        is_channel=True,
    )


# -- members -----------------------------------------------------------------------------------


def _service_joins(ctx: _Context, tg: TgMessage) -> list[Event | GroupMigrated]:
    events: list[Event | GroupMigrated] = []
    when = _utc(tg.date)
    for member in tg.new_chat_members:
        if str(member.id) == ctx.self_id or _repeat(ctx, tg.chat, member, "join", when):
            continue
        base = _base(ctx, tg.chat, when, to_user(member), _locale(member.language_code))
        # One update, several joins: each needs its own delivery id, or the core would skip
        # every join after the first as a redelivery of it.
        base["delivery_id"] = f"{ctx.update.update_id}:{member.id}"
        events.append(MemberJoined(operator=_operator(tg.from_user, member), **base))
    return events


def _service_leave(ctx: _Context, tg: TgMessage) -> list[Event | GroupMigrated]:
    member, when = tg.left_chat_member, _utc(tg.date)
    if str(member.id) == ctx.self_id or _repeat(ctx, tg.chat, member, "leave", when):
        return []
    base = _base(ctx, tg.chat, when, to_user(member), _locale(member.language_code))
    operator = _operator(tg.from_user, member)
    return [MemberLeft(removed=operator is not None, operator=operator, **base)]


def _from_chat_member(ctx: _Context) -> list[Event | GroupMigrated]:
    change = ctx.update.chat_member
    member = change.new_chat_member.user
    was_in, is_in = _is_in(change.old_chat_member), _is_in(change.new_chat_member)
    if str(member.id) == ctx.self_id or _place(change.chat) is None or was_in == is_in:
        return []
    kind, when = ("join" if is_in else "leave"), _utc(change.date)
    if _repeat(ctx, change.chat, member, kind, when):
        return []
    base = _base(ctx, change.chat, when, to_user(member), _locale(member.language_code))
    operator = _operator(change.from_user, member)
    if is_in:
        return [MemberJoined(operator=operator, **base)]
    return [MemberLeft(removed=operator is not None, operator=operator, **base)]


def _from_my_chat_member(ctx: _Context) -> list[Event | GroupMigrated]:
    """The bot's own membership: added to a group, or removed / left. Private chats (a user
    blocking the bot) and rights changes without a membership change give nothing."""
    change = ctx.update.my_chat_member
    was_in, is_in = _is_in(change.old_chat_member), _is_in(change.new_chat_member)
    if change.chat.type not in (TgChat.GROUP, TgChat.SUPERGROUP) or was_in == is_in:
        return []
    actor = to_user(change.from_user)
    base = _base(ctx, change.chat, _utc(change.date), actor, actor.locale)
    event_type = BotJoinedGuild if is_in else BotLeftGuild
    return [event_type(operator=actor, **base)]


def _from_join_request(ctx: _Context) -> list[Event | GroupMigrated]:
    request = ctx.update.chat_join_request
    if _place(request.chat) is None:
        return []
    user = to_user(request.from_user)
    base = _base(ctx, request.chat, _utc(request.date), user, user.locale)
    return [JoinRequest(bio=request.bio or "", **base)]


def _from_callback(ctx: _Context) -> list[Event | GroupMigrated]:
    """A button press on one of the bot's messages; ``interaction`` carries the query id that
    must be answered. Callback queries have no date: the time of receipt is used."""
    query = ctx.update.callback_query
    if query.data is None or query.message is None or _place(query.message.chat) is None:
        return []
    user = to_user(query.from_user)
    base = _base(ctx, query.message.chat, ctx.received_at, user, user.locale)
    message_id = str(query.message.message_id)
    return [
        ButtonClicked(button_id=query.data, message_id=message_id, interaction=query.id, **base)
    ]


def _is_in(member: ChatMember) -> bool:
    if member.status in _IN_CHAT:
        return True
    return member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))


def _operator(actor: TgUser | None, member: TgUser) -> User | None:
    """Who acted on a member, when it was someone else (an admin adding or removing them)."""
    if actor is None or actor.id == member.id:
        return None
    return to_user(actor)


def _repeat(ctx: _Context, chat: TgChat, member: TgUser, kind: str, when: datetime) -> bool:
    return ctx.dedup is not None and ctx.dedup.seen(chat.id, member.id, kind, when)


# -- shared ------------------------------------------------------------------------------------


def _base(
    ctx: _Context, chat: TgChat, when: datetime, user: User | None, locale: str | None
) -> dict[str, Any]:
    guild, channel = _place(chat) or (None, None)
    return {
        "platform": PLATFORM,
        "self_id": ctx.self_id,
        "timestamp": when,
        "guild": guild,
        "channel": channel,
        "user": user,
        "locale": locale,
        "delivery_id": str(ctx.update.update_id),
        "raw": ctx.update,
    }


def _place(chat: TgChat) -> tuple[Guild | None, Channel] | None:
    """Guild and channel of a chat: a group is both; a private chat is a DIRECT channel without
    guild; channels (not handled) give None."""
    if chat.type in (TgChat.GROUP, TgChat.SUPERGROUP):
        title = chat.title or ""
        return Guild(str(chat.id), title), Channel(str(chat.id), ChannelType.TEXT, title)
    if chat.type == TgChat.PRIVATE:
        return None, Channel(str(chat.id), ChannelType.DIRECT, chat.effective_name or "")
    return None


def to_user(tg: TgUser) -> User:
    """A Telegram user as a qunbot User (language reduced to zh or en), its text valid."""
    return clean(User(
        id=str(tg.id),
        name=tg.full_name,
        username=tg.username,
        is_bot=tg.is_bot,
        locale=_locale(tg.language_code),
    ))


def _locale(language_code: str | None) -> str | None:
    """qunbot speaks zh and en: any Chinese variant is zh, any other language en."""
    if not language_code:
        return None
    return "zh" if language_code.lower().startswith("zh") else "en"


def _utc(when: datetime) -> datetime:
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
