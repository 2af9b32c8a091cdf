"""discord.py objects → qunbot events. Pure functions: no I/O, no client calls.

Kept apart from the adapter so every mapping rule (who is the user, which channel type, which
options, which locale) is tested against real discord.py objects without a network.

Scheme for slash commands: ``CommandInvoked.name`` is the top-level command name and
``options`` holds the typed option values by name. A sub-command adds
``options["subcommand"] = "give"``; a sub-command in a group adds ``"group give"`` (space
joined), and the sub-command's own options sit flat beside it. Typed values: string → ``str``,
integer → ``int``, number → ``float``, boolean → ``bool``, user / mentionable user →
:class:`bot.events.User`, channel → :class:`bot.events.Channel`, role / other mentionable →
role id ``str``, attachment → :class:`bot.message.Link`. Context-menu commands carry
``options["target"]`` (a User) or ``options["target_message"]`` (a message id).
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

import discord
from discord.state import ConnectionState

from bot.events import (
    ButtonClicked,
    Channel,
    ChannelType,
    CommandInvoked,
    FormSubmitted,
    ForwardOrigin,
    Guild,
    Member,
    MemberJoined,
    MemberLeft,
    Message,
    MessageCreated,
    MessageLink,
    MessageUpdated,
    User,
)
from bot.message import Link, Mention
from bot.permissions import PermissionLevel
from bot.text import clean, clean_text

__all__ = [
    "PLATFORM",
    "channel_of",
    "edit_to_event",
    "guild_of",
    "interaction_to_event",
    "level_of",
    "locale_of",
    "member_join_to_event",
    "member_of",
    "member_remove_to_event",
    "message_from_payload",
    "message_of",
    "message_to_event",
    "text_links",
    "text_usernames",
    "user_of",
]

PLATFORM = "discord"
SUBCOMMAND_KEY = "subcommand"

# The same shape Discord's client uses to autolink: stop before trailing punctuation (and
# before the ">" of an embed-suppressed <https://...>).
_URL_RE = re.compile(r"https?://[^\s<>]+[^<>.,:;\"')\]\s]")
# A masked link [words](url), also [words](<url>) and with a "title".
_MASKED_LINK_RE = re.compile(
    r"\[(?P<text>[^\[\]\n]+)\]\(\s*<?(?P<url>https?://[^\s<>()]+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
# A written @name: not Discord's own <@id> mentions, an e-mail address or a URL's /@path.
_USERNAME_RE = re.compile(r"(?<![\w@<&!/])@([A-Za-z0-9_.]{2,32})")
_NOT_USERNAMES = frozenset({"everyone", "here"})
_COMMAND_RE = re.compile(r"(?P<name>[A-Za-z0-9_-]{1,32})(?:\s+(?P<text>.*))?", re.DOTALL)

_ADMIN_PERMISSIONS = discord.Permissions(administrator=True, manage_guild=True)
_MODERATOR_PERMISSIONS = discord.Permissions(
    kick_members=True, ban_members=True, moderate_members=True, manage_messages=True
)

_OPTION_STRING = 3
_OPTION_INTEGER = 4
_OPTION_BOOLEAN = 5
_OPTION_USER = 6
_OPTION_CHANNEL = 7
_OPTION_MENTIONABLE = 9
_OPTION_NUMBER = 10
_OPTION_ATTACHMENT = 11
_SUB_COMMAND = 1
_SUB_COMMAND_GROUP = 2


# -- entities -------------------------------------------------------------------------------------


def user_of(user: discord.User | discord.Member) -> User:
    """``name`` is the global display name (global name, else username): the same in every
    guild. A guild nickname goes to ``nick``, so ``User.display_name`` matches what Discord
    shows in that guild."""
    nick = user.nick if isinstance(user, discord.Member) else None
    return clean(User(  # text made valid before it is stored (bot.text); events: bot.dispatch
        id=str(user.id),
        name=user.global_name or user.name,
        nick=nick,
        is_bot=user.bot,
        username=user.name,
    ))


def level_of(member: discord.Member) -> PermissionLevel:
    """The member's level from their guild permissions (never OWNER: bot owners come from the
    config). Guild owner, administrator or manage-server → ADMIN; kick, ban, timeout or
    manage-messages → MODERATOR."""
    permissions = member.guild_permissions
    if member.guild.owner_id == member.id or permissions.value & _ADMIN_PERMISSIONS.value:
        return PermissionLevel.ADMIN
    if permissions.value & _MODERATOR_PERMISSIONS.value:
        return PermissionLevel.MODERATOR
    return PermissionLevel.MEMBER


def member_of(member: discord.Member) -> Member:
    """Roles exclude @everyone (every member has it; it carries no information)."""
    return Member(
        user=user_of(member),
        nick=clean_text(member.nick) if member.nick else member.nick,
        roles=tuple(str(role.id) for role in member.roles if not role.is_default()),
        joined_at=member.joined_at,
        level=level_of(member),
    )


def guild_of(guild: discord.Guild | None, guild_id: int | None = None) -> Guild | None:
    if guild is not None:
        return Guild(id=str(guild.id), name=guild.name)
    return Guild(id=str(guild_id)) if guild_id is not None else None


def channel_of(channel: Any, channel_id: int | None = None) -> Channel | None:
    """DMs (and group DMs) → DIRECT, threads → THREAD, everything else → TEXT."""
    if channel is None:
        return Channel(id=str(channel_id)) if channel_id is not None else None
    if isinstance(channel, discord.DMChannel | discord.GroupChannel):
        kind = ChannelType.DIRECT
    elif isinstance(channel, discord.PartialMessageable):
        kind = (
            ChannelType.DIRECT if channel.type is discord.ChannelType.private else ChannelType.TEXT
        )
    elif isinstance(channel, discord.Thread):
        kind = ChannelType.THREAD
    else:
        kind = ChannelType.TEXT
    name = getattr(channel, "name", None) or ""
    return Channel(id=str(channel.id), type=kind, name=name)


def locale_of(locale: discord.Locale | str | None) -> str:
    """qunbot ships zh and en: Chinese (simplified or traditional) → zh, anything else → en."""
    value = locale.value if isinstance(locale, discord.Locale) else (locale or "")
    return "zh" if value.startswith("zh") else "en"


# -- messages -------------------------------------------------------------------------------------


def _links(msg: discord.Message) -> Iterator[Link]:
    for url in _URL_RE.findall(msg.content or ""):
        yield Link(url)
    for embed in msg.embeds:
        if embed.url:
            yield Link(embed.url, embed.title or "")
    for attachment in msg.attachments:
        yield Link(attachment.url, attachment.filename)


def _elements(msg: discord.Message) -> tuple[Mention | Link, ...]:
    """User mentions, then links (content, embeds, attachments), each once."""
    mentions = [Mention(str(u.id), u.display_name) for u in msg.mentions]
    links: dict[str, Link] = {}
    for link in _links(msg):
        links.setdefault(link.url, link)
    return (*dict.fromkeys(mentions), *links.values())


def message_of(msg: discord.Message) -> Message:
    """A forward (reference type forward) is marked ``forwarded`` and is not a reply; its text,
    links, buttons and media are the forwarded message's (Discord puts them in a snapshot and
    leaves the forward's own content empty)."""
    reference = msg.reference
    forwarded = reference is not None and reference.type is discord.MessageReferenceType.forward
    reply_to, reply_text = None, ""
    if reference is not None and not forwarded and reference.message_id is not None:
        reply_to = str(reference.message_id)
        if isinstance(reference.resolved, discord.Message):
            reply_text = reference.resolved.content or ""
    parts: list[Any] = [msg, *msg.message_snapshots] if forwarded else [msg]
    text = msg.content or "\n".join(part.content for part in parts if part.content)
    return Message(
        id=str(msg.id),
        text=text,
        elements=_elements(msg),
        reply_to=reply_to,
        reply_text=reply_text,
        created_at=msg.created_at,
        edited_at=msg.edited_at,
        forwarded=forwarded,
        links=_unique(link for part in parts for link in _message_links(part)),
        usernames=_unique(name for part in parts for name in text_usernames(part.content)),
        buttons=_unique(b for part in parts for b in _link_buttons(part.components)),
        via_bot=_via_bot(msg),
        forward_origin=_forward_origin(msg) if forwarded else None,
        media=next((kind for part in parts if (kind := _media(part))), None),
        # A followed announcement channel's post, copied here by Discord (flag IS_CROSSPOST).
        automatic_forward=msg.flags.is_crossposted,
    )


def text_links(text: str) -> list[MessageLink]:
    """Links in Discord markdown, in text order: masked ``[words](url)`` with their words,
    then bare URLs (outside masked links) as written."""
    found: list[tuple[int, MessageLink]] = []
    taken: list[tuple[int, int]] = []
    for match in _MASKED_LINK_RE.finditer(text or ""):
        found.append((match.start(), MessageLink(match["url"], match["text"])))
        taken.append(match.span())
    for match in _URL_RE.finditer(text or ""):
        if not any(start <= match.start() < end for start, end in taken):
            found.append((match.start(), MessageLink(match.group())))
    return [link for _, link in sorted(found, key=lambda item: item[0])]


def text_usernames(text: str) -> list[str]:
    """Written ``@name``s (not Discord's ``<@id>`` mentions, ``@everyone`` or ``@here``)."""
    names = (match.rstrip(".") for match in _USERNAME_RE.findall(text or ""))
    return [name for name in names if len(name) >= 2 and name.lower() not in _NOT_USERNAMES]


def _message_links(msg: Any) -> Iterator[MessageLink]:
    """Links of a message or a forward's snapshot: its text, its embeds (the title's link, the
    author's, and links in the description and fields) and text components. Attachments are
    media, not links."""
    yield from text_links(msg.content)
    for embed in msg.embeds:
        if embed.url:
            yield MessageLink(embed.url, embed.title or "")
        if embed.author and embed.author.url:
            yield MessageLink(embed.author.url, embed.author.name or "")
        yield from text_links(embed.description or "")
        for embed_field in embed.fields:
            yield from text_links(f"{embed_field.name or ''}\n{embed_field.value or ''}")
    for component in _walk_components(msg.components):
        if isinstance(component, discord.TextDisplay):
            yield from text_links(component.content)


def _link_buttons(components: Iterable[Any]) -> Iterator[MessageLink]:
    for component in _walk_components(components):
        if isinstance(component, discord.Button) and component.url:
            yield MessageLink(component.url, component.label or "")


def _walk_components(components: Iterable[Any]) -> Iterator[Any]:
    """Every component, nested ones too (action rows, containers, sections' accessories)."""
    for component in components or ():
        yield component
        yield from _walk_components(getattr(component, "children", None) or ())
        accessory = getattr(component, "accessory", None)
        if accessory is not None:
            yield from _walk_components([accessory])


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def _via_bot(msg: discord.Message) -> str | None:
    """The app a message was posted through: an app's message answering someone's command
    (e.g. a user-installed app posting in a server), like a Telegram inline bot."""
    if msg.author.bot and msg.interaction_metadata is not None:
        return msg.author.name
    return None


def _media(msg: Any) -> str | None:
    """The kind of the first attachment (by content type, else file name), or a sticker."""
    for attachment in msg.attachments:
        if attachment.is_voice_message():
            return "voice"
        content_type = attachment.content_type or mimetypes.guess_type(attachment.filename)[0]
        major, _, minor = (content_type or "").partition("/")
        if major == "image":
            return "animation" if minor.startswith("gif") else "photo"
        if major in ("video", "audio"):
            return major
        return "document"
    return "sticker" if msg.stickers else None


def _forward_origin(msg: discord.Message) -> ForwardOrigin:
    """Where a forward came from. Discord gives the source server and channel, not the author:
    kind ``channel`` for an announcement channel, ``chat`` for any other server channel, with
    ``id`` the source server's id (compare it with the event's guild) and ``name`` "Server
    #channel" as far as the bot can see them; a forward out of a DM is a ``hidden_user``."""
    reference = msg.reference
    if reference is None or reference.guild_id is None:
        return ForwardOrigin("hidden_user")
    guild = msg.guild if msg.guild is not None and msg.guild.id == reference.guild_id else None
    if guild is None:
        # The client's cache of the bot's own servers (no request).
        get_guild = getattr(getattr(msg, "_state", None), "_get_guild", None)
        guild = get_guild(reference.guild_id) if get_guild is not None else None
    channel = guild.get_channel_or_thread(reference.channel_id) if guild is not None else None
    news = isinstance(channel, discord.TextChannel | discord.Thread) and channel.is_news()
    name = " ".join(
        part
        for part in (guild.name if guild else "", f"#{channel.name}" if channel else "")
        if part
    )
    return ForwardOrigin("channel" if news else "chat", name, None, str(reference.guild_id))


def _is_ignored(msg: discord.Message, self_id: str) -> bool:
    """The bot's own messages and Discord's system messages (joins, pins, boosts) are not
    anyone's activity."""
    return str(msg.author.id) == self_id or msg.is_system()


def _message_base(msg: discord.Message, self_id: str, timestamp: datetime) -> dict[str, Any]:
    author = msg.author
    return {
        "platform": PLATFORM,
        "self_id": self_id,
        "timestamp": timestamp,
        "guild": guild_of(msg.guild),
        "channel": channel_of(msg.channel),
        "user": user_of(author),
        "member": member_of(author) if isinstance(author, discord.Member) else None,
        "locale": None,
        "delivery_id": str(msg.id),
        "raw": msg,
    }


def message_to_event(
    msg: discord.Message, self_id: str, command_prefix: str | None = None
) -> MessageCreated | CommandInvoked | None:
    """A MessageCreated, or None for the bot's own and system messages.

    Discord's commands are slash commands (see :func:`interaction_to_event`), so text is not a
    command by default. With ``command_prefix`` (e.g. ``"!"``), ``!name args`` becomes a
    ``CommandInvoked(name, text="args")`` like a Telegram ``/name args``."""
    if _is_ignored(msg, self_id):
        return None
    base = _message_base(msg, self_id, msg.created_at)
    message = message_of(msg)
    command = _text_command(msg.content, command_prefix)
    if command is not None:
        name, text = command
        return CommandInvoked(**base, name=name, text=text, message=message)
    return MessageCreated(**base, message=message)


def message_from_payload(
    data: dict[str, Any], self_id: str
) -> MessageCreated | CommandInvoked | None:
    """A message payload (decoded JSON, as the gateway's MESSAGE_CREATE carries it) converted
    exactly as :func:`message_to_event` converts the client's message, without a connection:
    for tools that judge recorded messages offline (``qunbot ads check``). discord.py builds
    the message in a state of its own that knows only the payload's server and channel."""
    state = ConnectionState(dispatch=lambda *_: None, handlers={}, hooks={}, http=None)  # type: ignore[arg-type]
    guild = state._add_guild_from_data(  # type: ignore[arg-type]
        {
            "id": data["guild_id"],
            "name": "",
            "owner_id": "0",
            "roles": [{"id": data["guild_id"], "name": "@everyone", "position": 0, "permissions": "0"}],
            "channels": [
                {"id": data["channel_id"], "name": "", "type": 0, "position": 0, "permission_overwrites": []}
            ],
            "members": [],
            "features": [],
            "emojis": [],
            "stickers": [],
        }
    )
    channel = guild.get_channel(int(data["channel_id"]))
    return message_to_event(discord.Message(state=state, channel=channel, data=data), self_id)  # type: ignore[arg-type]


def _text_command(content: str, prefix: str | None) -> tuple[str, str] | None:
    if not prefix or not content.startswith(prefix):
        return None
    # The name must follow the prefix directly: "! hello" is a sentence, not a command.
    match = _COMMAND_RE.fullmatch(content[len(prefix) :].rstrip())
    if match is None:
        return None
    return match["name"].lower(), (match["text"] or "").strip()


def edit_to_event(
    before: discord.Message | None, after: discord.Message, self_id: str
) -> MessageUpdated | None:
    """A MessageUpdated, or None when nothing a plugin sees changed (Discord also sends
    updates for pins and for link previews resolving) and for the bot's own messages."""
    if _is_ignored(after, self_id):
        return None
    message = message_of(after)
    if before is not None:
        previous = message_of(before)
        if (previous.text, previous.elements, previous.buttons) == (
            message.text,
            message.elements,
            message.buttons,
        ):
            return None
    timestamp = after.edited_at or after.created_at
    base = _message_base(after, self_id, timestamp)
    # The message id is the creation's delivery id: an edit reusing it would be skipped as a
    # redelivery. Each edit is keyed by its own time (a replayed edit carries the same one).
    base["delivery_id"] = f"{after.id}@{after.edited_at.isoformat()}" if after.edited_at else None
    return MessageUpdated(**base, message=message)


# -- members --------------------------------------------------------------------------------------


def _self_id_of(member: discord.Member, self_id: str | None) -> str:
    if self_id is not None:
        return self_id
    me = member.guild.me
    return str(me.id) if me is not None else ""


def member_join_to_event(member: discord.Member, self_id: str | None = None) -> MemberJoined:
    """The join time is Discord's ``joined_at`` (now if Discord sent none)."""
    return MemberJoined(
        platform=PLATFORM,
        self_id=_self_id_of(member, self_id),
        timestamp=member.joined_at or discord.utils.utcnow(),
        guild=guild_of(member.guild),
        user=user_of(member),
        member=member_of(member),
        raw=member,
    )


def member_remove_to_event(
    member: discord.Member | discord.User,
    self_id: str | None = None,
    guild: discord.Guild | None = None,
    removed: bool = False,
) -> MemberLeft:
    """Discord does not say whether a member left or was removed, nor when: ``removed`` is
    the caller's knowledge (e.g. the bot's own kick) and the timestamp is now."""
    guild = member.guild if isinstance(member, discord.Member) else guild
    is_member = isinstance(member, discord.Member)
    if self_id is None and is_member:
        self_id = _self_id_of(member, None)
    return MemberLeft(
        platform=PLATFORM,
        self_id=self_id or "",
        timestamp=discord.utils.utcnow(),
        guild=guild_of(guild),
        user=user_of(member),
        member=member_of(member) if is_member else None,
        raw=member,
        removed=removed,
    )


# -- interactions ---------------------------------------------------------------------------------


def _interaction_base(interaction: discord.Interaction, self_id: str) -> dict[str, Any]:
    user = interaction.user
    return {
        "platform": PLATFORM,
        "self_id": self_id,
        "timestamp": interaction.created_at,
        "guild": guild_of(interaction.guild, interaction.guild_id),
        "channel": channel_of(interaction.channel, interaction.channel_id),
        "user": user_of(user),
        "member": member_of(user) if isinstance(user, discord.Member) else None,
        "locale": locale_of(interaction.locale),
        "delivery_id": str(interaction.id),
        "raw": interaction,
    }


def interaction_to_event(
    interaction: discord.Interaction, self_id: str
) -> CommandInvoked | ButtonClicked | FormSubmitted | None:
    """Slash/context commands → CommandInvoked, button presses → ButtonClicked, modal submits →
    FormSubmitted; None for anything else (autocomplete, select menus, pings). The
    interaction itself rides along in ``event.interaction`` so the adapter can answer it."""
    data: Mapping[str, Any] = interaction.data or {}
    kind = interaction.type
    if kind is discord.InteractionType.application_command:
        base = _interaction_base(interaction, self_id)
        options = _command_options(data)
        return CommandInvoked(**base, name=data["name"], options=options, interaction=interaction)
    if kind is discord.InteractionType.component and data.get("component_type") == 2:
        message_id = str(interaction.message.id) if interaction.message is not None else None
        return ButtonClicked(
            **_interaction_base(interaction, self_id),
            button_id=data["custom_id"],
            message_id=message_id,
            interaction=interaction,
        )
    if kind is discord.InteractionType.modal_submit:
        return FormSubmitted(
            **_interaction_base(interaction, self_id),
            form_id=data["custom_id"],
            values=_form_values(data.get("components") or []),
            interaction=interaction,
        )
    return None


def _command_options(data: Mapping[str, Any]) -> dict[str, Any]:
    resolved = data.get("resolved") or {}
    command_type = data.get("type", 1)
    if command_type == 2:  # user context menu
        return {"target": _resolved_user(resolved, str(data["target_id"]))}
    if command_type == 3:  # message context menu
        return {"target_message": str(data["target_id"])}
    options: dict[str, Any] = {}
    path: list[str] = []
    items = list(data.get("options") or [])
    while items and items[0].get("type") in (_SUB_COMMAND, _SUB_COMMAND_GROUP):
        path.append(items[0]["name"])
        items = list(items[0].get("options") or [])
    if path:
        options[SUBCOMMAND_KEY] = " ".join(path)
    for item in items:
        options[item["name"]] = _option_value(item, resolved)
    return options


def _option_value(item: Mapping[str, Any], resolved: Mapping[str, Any]) -> Any:
    kind, value = item.get("type"), item.get("value")
    if kind == _OPTION_INTEGER:
        return int(value)
    if kind == _OPTION_NUMBER:
        return float(value)
    if kind == _OPTION_BOOLEAN:
        return bool(value)
    if kind == _OPTION_USER or (
        kind == _OPTION_MENTIONABLE and str(value) in (resolved.get("users") or {})
    ):
        return _resolved_user(resolved, str(value))
    if kind == _OPTION_CHANNEL:
        return _resolved_channel(resolved, str(value))
    if kind == _OPTION_ATTACHMENT:
        attachment = (resolved.get("attachments") or {}).get(str(value)) or {}
        return Link(attachment.get("url", ""), attachment.get("filename", ""))
    return value if kind == _OPTION_STRING else str(value)


def _resolved_user(resolved: Mapping[str, Any], user_id: str) -> User:
    """Discord sends the option's user (and, in a guild, their member) in ``resolved``."""
    user = (resolved.get("users") or {}).get(user_id) or {}
    member = (resolved.get("members") or {}).get(user_id) or {}
    username = user.get("username")
    return User(
        id=user_id,
        name=user.get("global_name") or username or user_id,
        nick=member.get("nick"),
        is_bot=bool(user.get("bot")),
        username=username,
    )


def _resolved_channel(resolved: Mapping[str, Any], channel_id: str) -> Channel:
    channel = (resolved.get("channels") or {}).get(channel_id) or {}
    kind = channel.get("type", 0)
    if kind in (1, 3):
        channel_type = ChannelType.DIRECT
    elif kind in (10, 11, 12):
        channel_type = ChannelType.THREAD
    else:
        channel_type = ChannelType.TEXT
    return Channel(id=channel_id, type=channel_type, name=channel.get("name") or "")


def _form_values(components: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Text inputs by custom_id, found in action rows (``components``) and in the newer label
    components (``component``)."""
    values: dict[str, str] = {}
    for component in components:
        if "value" in component and "custom_id" in component:
            values[component["custom_id"]] = component["value"]
        children = list(component.get("components") or [])
        if isinstance(component.get("component"), Mapping):
            children.append(component["component"])
        values.update(_form_values(children))
    return values
