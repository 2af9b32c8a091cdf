"""qunbot core: one event model, one set of actions, plugins that do the community work.

Plugin authors need only what is listed in ``__all__``.
"""

from bot.adapters.base import (
    Adapter,
    CannotAct,
    Capability,
    FormField,
    Host,
    NotSupported,
    PlatformError,
)
from bot.adapters.recorded import events_from_recorded
from bot.app import App
from bot.cache import Recent
from bot.commands import Ambiguous, AskUser, Rest, format_duration
from bot.config import ConfigError, PerGroupConfig, StrictModel
from bot.context import Context, JobContext, Scope, Transaction
from bot.events import (
    AdapterOffline,
    AdapterOnline,
    BotJoinedGuild,
    BotLeftGuild,
    ButtonClicked,
    Channel,
    ChannelType,
    CommandInvoked,
    Event,
    FormSubmitted,
    ForwardOrigin,
    Guild,
    JoinRequest,
    Member,
    MemberJoined,
    MemberLeft,
    Message,
    MessageCreated,
    MessageDeleted,
    MessageLink,
    MessageUpdated,
    User,
)
from bot.markers import hookimpl, hookspec
from bot.message import Bold, Button, Code, File, Image, Link, Mention, Outgoing, Text
from bot.permissions import PermissionLevel
from bot.plugin import Plugin
from bot.refs import GroupRef, MemberRef
from bot.roster import GroupInfo, RosterEntry
from bot.storage.statements import PlainSQL, chunked, found_among
from bot.tally import Backlog, Batch, Tally
from bot.text import simplified

__all__ = [
    "Adapter",
    "Backlog",
    "Batch",
    "AdapterOffline",
    "AdapterOnline",
    "Ambiguous",
    "App",
    "AskUser",
    "Bold",
    "BotJoinedGuild",
    "BotLeftGuild",
    "Button",
    "ButtonClicked",
    "CannotAct",
    "Capability",
    "Channel",
    "ChannelType",
    "Code",
    "CommandInvoked",
    "ConfigError",
    "Context",
    "Event",
    "File",
    "FormField",
    "FormSubmitted",
    "ForwardOrigin",
    "GroupInfo",
    "GroupRef",
    "Guild",
    "Host",
    "Image",
    "JobContext",
    "JoinRequest",
    "Link",
    "Member",
    "MemberJoined",
    "MemberLeft",
    "MemberRef",
    "Mention",
    "Message",
    "MessageCreated",
    "MessageDeleted",
    "MessageLink",
    "MessageUpdated",
    "NotSupported",
    "Outgoing",
    "PerGroupConfig",
    "PermissionLevel",
    "PlainSQL",
    "PlatformError",
    "Plugin",
    "Recent",
    "Rest",
    "RosterEntry",
    "Scope",
    "StrictModel",
    "Tally",
    "Text",
    "Transaction",
    "User",
    "events_from_recorded",
    "chunked",
    "format_duration",
    "found_among",
    "hookimpl",
    "hookspec",
    "simplified",
]
