"""The roster: accounts, groups and their members as the bot has seen them.

Telegram cannot list a group's members, so every message, join and leave updates it. Joins,
leaves and first sightings are written at once (a first sighting of a delivery that a batch will
confirm, a Telegram update, without waiting for the disk: the batch writes it again if missing,
and its commit makes both durable). A known member's activity (last active, message
count) is the one write of every group message, so it is collected in memory and written in
batches. When a member was last active can be written any time (it only moves forward): at
most a second later, before a scheduled job runs and before a plugin lists the members. Their
message count is a :class:`bot.tally.Tally`: counted once, written in the transaction that
confirms the delivery it came from (Telegram's updates: :meth:`bot.app.App.save_state`), so a
crash neither loses nor repeats a message's count.

Plugins read it through :class:`RosterView` (``scope.roster``), never through the tables.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import timezone
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.cache import Recent
from bot.events import User
from bot.refs import GroupRef
from bot.storage import PlainSQL
from bot.storage.models import Account, GuildSettings, RosterMember
from bot.storage.statements import chunked, found_among, write_unflushed
from bot.tally import Backlog, Batch, Tally

MemberKey = tuple[str, str, str]  # (platform, group key, user id)

__all__ = ["GroupInfo", "Roster", "RosterEntry", "RosterView"]

log = logging.getLogger(__name__)

# Members' activity: seen at a time (NULL: only messages counted, the presence unchanged) and
# messages counted. One statement with the rows in key order, so two transactions writing
# activity (a batch's confirming commit and the roster's own flush, side by side on
# PostgreSQL) lock the rows they share in the same order and never deadlock.
_ACTIVITY = PlainSQL(
    'UPDATE "core_member" SET "last_active_at"=COALESCE({0},"last_active_at"),'
    '"message_count"="message_count"+{1},'
    '"is_member"=CASE WHEN {0} IS NULL THEN "is_member" ELSE TRUE END,'
    '"left_at"=CASE WHEN {0} IS NULL THEN "left_at" ELSE NULL END '
    'WHERE "platform"={2} AND "guild_id"={3} AND "user_id"={4}'
)
# A member's row made sure of on their first message since start: one statement, not a read,
# an insert and an update.
_NEW_MEMBER = (
    'INSERT INTO "core_member" ("platform","guild_id","user_id","name","last_active_at",'
    '"message_count","is_member","is_bot") VALUES ({},{},{},{},{},0,TRUE,{}) '
    'ON CONFLICT ("platform","guild_id","user_id") '
)
_ARRIVED = PlainSQL(
    _NEW_MEMBER + 'DO UPDATE SET "name"=excluded."name",'
    '"is_member"=TRUE,"is_bot"=excluded."is_bot","last_active_at"=excluded."last_active_at"'
)
# The same row made sure of by the batch confirming the first sighting, changing nothing that
# is there: a leave handled since stands.
_PRESENT = PlainSQL(_NEW_MEMBER + "DO NOTHING")
# An account made sure of on first sight since start: one statement, not a read and an insert.
# The update that changes nothing makes RETURNING give the row that was there.
_ACCOUNT = PlainSQL(
    'INSERT INTO "core_account" ("platform","user_id","name","username","is_bot","created_at") '
    'VALUES ({},{},{},{},{},{}) '
    'ON CONFLICT ("platform","user_id") DO UPDATE SET "user_id"=excluded."user_id" '
    'RETURNING "id","name","username","locale"'
)
# A handle by username whatever its case, and by display name, in one round trip (a mention is
# resolved on the message path: the ads plugin asks for each @name). Each half is written as
# tortoise renders username__iexact and name=, the expressions core migration 0006 indexes; an
# OR of the two would be read by the platform alone, every account of it.
_ACCOUNT_COLUMNS = '"id","user_id","name","username","is_bot"'
_FIND_ACCOUNT = PlainSQL(
    "SELECT " + _ACCOUNT_COLUMNS + ',1 AS "by_username" FROM "core_account" '
    'WHERE "platform"={1} AND UPPER(CAST("username" AS VARCHAR))=UPPER({0}) UNION ALL '
    "SELECT " + _ACCOUNT_COLUMNS + ',0 FROM "core_account" WHERE "platform"={1} AND "name"={0} ORDER BY 1'
)
_CREATED = Account._meta.fields_map["created_at"]
# Activity of this many members pending: write it now rather than at the next tick.
FLUSH_SIZE = 2_000
# Accounts and members remembered (the most recently active), unless the config says
# ([bot] member_cache): one that goes costs a read or one statement when they speak again.
CACHE_SIZE = 10_000
_AT_FIELD = RosterMember._meta.fields_map["last_active_at"]


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """What the bot knows of one member of one group."""

    user_id: str
    name: str
    joined_at: datetime | None
    last_active_at: datetime | None
    message_count: int
    is_member: bool
    left_at: datetime | None
    is_bot: bool = False


@dataclass(slots=True)
class KnownAccount:
    """What the roster remembers of an account (one for each of ``member_cache`` members:
    small, not an ORM row)."""

    id: int
    name: str
    username: str | None
    locale: str | None


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """A group and its settings (``/timezone``, ``/lang group``)."""

    ref: GroupRef
    timezone: ZoneInfo
    locale: str | None
    active: bool
    # When the bot first saw the group (a new group's averages count only its own days).
    created_at: datetime | None = None


_ENTRY_FIELDS = (
    "user_id", "name", "joined_at", "last_active_at", "message_count", "is_member", "left_at", "is_bot",
)


def _entry(row: RosterMember) -> RosterEntry:
    return RosterEntry(*(getattr(row, name) for name in _ENTRY_FIELDS))


class Roster:
    def __init__(self, default_timezone: str, default_locale: str, cache_size: int = CACHE_SIZE) -> None:
        self.default_timezone = default_timezone
        self.default_locale = default_locale
        self._accounts: Recent[tuple[str, str], KnownAccount] = Recent(cache_size)
        self._guilds: dict[tuple[str, str], GuildSettings] = {}
        # Members whose row is known to be there since this process started.
        self._members: Recent[tuple[str, str, str], bool] = Recent(cache_size)
        # Known members' last activity not yet written, and their messages not yet counted.
        self._present: dict[MemberKey, datetime] = {}
        self._counts: Tally[MemberKey] = Tally()
        # First sightings written without waiting for the disk, for their batch to make sure of
        # (a dropped delivery's row stays: a member who did speak).
        self._arrivals: Backlog[list[Any]] = Backlog(lambda rows: None)

    def forget_caches(self) -> None:
        self._accounts.clear()
        self._guilds.clear()
        self._members.clear()

    # -- accounts --------------------------------------------------------------------------------
    async def account(self, platform: str, user: User) -> KnownAccount:
        """The user's account (created on first sight), with the name and username the
        platform gives now."""
        key = (platform, user.id)
        name = user.name[:128]
        known = self._accounts.get(key)
        if known is None:
            connection = get_connection("default")
            created = _CREATED.to_db_value(timezone.now(), None)
            [row] = await connection.execute_query_dict(
                _ACCOUNT.on(connection), [platform, user.id, name, user.username, user.is_bot, created]
            )
            known = KnownAccount(row["id"], row["name"], row["username"], row["locale"])
            self._accounts[key] = known
        if name and (known.name != name or known.username != user.username):
            known.name, known.username = name, user.username
            await Account.filter(id=known.id).update(name=name, username=user.username)
        return known

    async def set_user_locale(self, platform: str, user: User, locale: str | None) -> None:
        known = await self.account(platform, user)
        await Account.filter(id=known.id).update(locale=locale)
        known.locale = locale

    async def find_user(self, platform: str, group: GroupRef | None, handle: str) -> User | None:
        """Resolve ``@handle`` (a username, or a console name) to a known user, preferring
        members of the group."""
        handle = handle.lstrip("@")
        connection = get_connection("default")
        rows = await connection.execute_query_dict(_FIND_ACCOUNT.on(connection), [handle, platform])
        candidates = [row for row in rows if row["by_username"]] or rows
        if not candidates:
            return None
        if group is not None and len(candidates) > 1:
            members = set(
                await RosterMember.filter(
                    platform=platform, guild_id=group.key,
                    user_id__in=[c["user_id"] for c in candidates],
                ).values_list("user_id", flat=True)
            )
            candidates = [c for c in candidates if c["user_id"] in members] or candidates
        chosen = candidates[0]
        return User(id=chosen["user_id"], name=chosen["name"], username=chosen["username"],
                    is_bot=bool(chosen["is_bot"]))

    async def find_members(self, group: GroupRef, handle: str) -> list[User]:
        """The members of ``group`` who answer to ``@handle``: by username, else by display
        name (several may share one: the caller asks which, never guesses). Current members
        first: someone who left answers only when no current member does (an admin may still
        act on them). Members of other groups are not looked at."""
        handle = handle.lstrip("@")
        accounts = Account.filter(platform=group.platform)
        for matching in (accounts.filter(username__iexact=handle), accounts.filter(name=handle)):
            found = {a.user_id: a for a in await matching}
            rows = await RosterMember.filter(
                platform=group.platform, guild_id=group.key, user_id__in=list(found)
            ).values_list("user_id", "is_member")
            chosen = [u for u, present in rows if present] or [u for u, _ in rows]
            if chosen:
                return [
                    User(id=a.user_id, name=a.name, username=a.username, is_bot=a.is_bot)
                    for a in sorted((found[i] for i in chosen), key=lambda a: a.user_id)
                ]
        return []

    # -- groups ----------------------------------------------------------------------------------
    async def settings(self, platform: str, guild_id: str, name: str = "") -> GuildSettings:
        """The group's row by its current platform id (or an id it had before a migration)."""
        key = (platform, guild_id)
        cached = self._guilds.get(key)
        if cached is not None:
            if not cached.active:
                cached.active = True
                await GuildSettings.filter(id=cached.id).update(active=True)
            return cached
        settings = await GuildSettings.filter(platform=platform, guild_id=guild_id).first()
        if settings is None:
            # An update from before a migration, delivered after it: the old id is the key.
            settings = await GuildSettings.filter(platform=platform, group_key=guild_id).first()
        if settings is None:
            settings, _ = await _get_or_create(
                GuildSettings, platform=platform, guild_id=guild_id,
                defaults={"name": name[:128], "group_key": guild_id},
            )
        if name and settings.name != name:
            settings.name = name[:128]
            await settings.save(update_fields=["name"])
        self._guilds[key] = settings
        return settings

    async def group(self, platform: str, guild_id: str, name: str = "") -> GroupRef:
        return _ref(await self.settings(platform, guild_id, name))

    async def set_group(self, group: GroupRef, **values: object) -> None:
        settings = await self.settings(group.platform, group.id)
        for key, value in values.items():
            setattr(settings, key, value)
        await settings.save(update_fields=list(values))

    def timezone_of(self, settings: GuildSettings | None) -> ZoneInfo:
        return ZoneInfo((settings.timezone if settings else None) or self.default_timezone)

    def info(self, settings: GuildSettings) -> GroupInfo:
        return GroupInfo(
            _ref(settings), self.timezone_of(settings), settings.locale, settings.active,
            settings.created_at,
        )

    async def groups(self, platforms: list[str] | None = None, active: bool = True) -> list[GroupInfo]:
        query = GuildSettings.filter(active=True) if active else GuildSettings.all()
        if platforms is not None:
            query = query.filter(platform__in=platforms)
        return [self.info(row) for row in await query.order_by("id")]

    async def migrate(self, platform: str, old_id: str, new_id: str) -> None:
        """The group ``old_id`` is now ``new_id``: its row follows, its key stays. Inside the
        caller's transaction."""
        old = await GuildSettings.filter(platform=platform, guild_id=old_id).first()
        new = await GuildSettings.filter(platform=platform, guild_id=new_id).first()
        if old is None:
            return  # the bot never saw the old group: the new id starts its own key
        if new is not None and new.id != old.id:
            # The new id was seen before the notice (Telegram sends it first in the new chat, so
            # only an update lost on the way does this): its few roster rows join the old key.
            log.warning("%s: group %s was seen before its migration from %s", platform, new_id, old_id)
            present = set(
                await RosterMember.filter(platform=platform, guild_id=old.group_key).values_list(
                    "user_id", flat=True
                )
            )
            rows = RosterMember.filter(platform=platform, guild_id=new.group_key)
            for part in chunked(present):
                await rows.filter(user_id__in=part).delete()
            await rows.update(guild_id=old.group_key)
            await new.delete()
        old.guild_id = new_id
        await old.save(update_fields=["guild_id"])

    # -- members ---------------------------------------------------------------------------------
    async def seen_message(self, group: GroupRef, user: User, at: datetime) -> None:
        """A member spoke: last active, message count (counted with the delivery it came in:
        see :mod:`bot.tally`)."""
        key = (group.platform, group.key, user.id)
        if self._members.get(key) is None:
            await self._arrived(key, user, at)  # the row; the message is counted below
        last = self._present.get(key)
        self._present[key] = at if last is None or at > last else last
        self._counts.add(key, 1)
        if len(self._present) >= FLUSH_SIZE:
            await self.flush()

    async def flush(self, batch: Batch | None = None) -> None:
        """Write the pending activity: in one transaction of its own, with the counts that are
        ready; or in ``batch``, the transaction confirming deliveries, with their counts too
        (put back if it rolls back). A failed write keeps everything for the next."""
        present, self._present = self._present, {}
        if batch is not None:
            batch.on_rollback(lambda: self._put_back(present))
            arrivals = batch.take_items(self._arrivals)
            if arrivals:
                await batch.connection.execute_many(_PRESENT.on(batch.connection), arrivals)
            await self._write(batch.connection, present, batch.take(self._counts))
            return
        taken = self._counts.take()
        if not (present or taken.ready):
            return
        try:
            async with in_transaction() as connection:
                await self._write(connection, present, taken.ready)
        except Exception:
            self._put_back(present)
            self._counts.put_back(taken)
            raise

    async def _write(self, connection: Any, present: dict[MemberKey, datetime], counts: dict) -> None:
        at_of = _AT_FIELD.to_db_value
        rows = []
        for key in sorted(present.keys() | counts.keys()):
            at, counted = present.get(key), counts.get(key)
            rows.append([None if at is None else at_of(at, None), counted[0] if counted else 0, *key])
        if rows:
            await connection.execute_many(_ACTIVITY.on(connection), rows)

    def pending(self, group: GroupRef, user_id: str) -> tuple[datetime | None, int] | None:
        """A member's activity not written yet: (last active, messages)."""
        key = (group.platform, group.key, user_id)
        at, counts = self._present.get(key), self._counts.pending(key)
        if at is None and counts is None:
            return None
        return at, counts[0] if counts else 0

    def pending_counts(self, group: GroupRef) -> dict[str, int]:
        """Messages counted in ``group`` and not written yet, by user id."""
        where = (group.platform, group.key)
        found = self._counts.pending_where(lambda key: key[:2] == where)
        return {key[2]: values[0] for key, values in found.items()}

    def _put_back(self, present: dict[MemberKey, datetime]) -> None:
        """Last activity whose write was rolled back: pending again, unless newer came since."""
        for key, at in present.items():
            last = self._present.get(key)
            if last is None or at > last:
                self._present[key] = at

    def forget_counts(self, platform: str, user_id: str) -> None:
        """A user's data deleted: their pending activity goes with it."""
        self._present = {k: v for k, v in self._present.items() if not (k[0] == platform and k[2] == user_id)}
        self._counts.discard(lambda k: k[0] == platform and k[2] == user_id)
        self._arrivals.discard(lambda row: row[0] == platform and row[2] == user_id)

    async def joined(self, group: GroupRef, user: User, at: datetime) -> None:
        key = (group.platform, group.key, user.id)
        await self._upsert(key, user, joined_at=at, last_active_at=at, left_at=None)

    async def left(self, group: GroupRef, user: User, at: datetime) -> None:
        await self.flush()  # pending activity would mark them present again
        await RosterMember.filter(platform=group.platform, guild_id=group.key, user_id=user.id).update(
            is_member=False, left_at=at
        )

    async def _arrived(self, key: tuple[str, str, str], user: User, at: datetime) -> None:
        connection = get_connection("default")
        values = [*key, user.display_name[:128], _AT_FIELD.to_db_value(at, None), user.is_bot]
        if Backlog.holding():
            await write_unflushed(connection, _ARRIVED, values)
            self._arrivals.add(values)
        else:
            await connection.execute_query(_ARRIVED.on(connection), values)
        self._remember(key)

    def _remember(self, key: tuple[str, str, str]) -> None:
        # One that goes costs one statement when they speak again; memory stays bounded.
        self._members[key] = True

    async def _upsert(self, key: tuple[str, str, str], user: User, **values: object) -> None:
        name = user.display_name[:128]
        row, created = await _get_or_create(
            RosterMember,
            platform=key[0],
            guild_id=key[1],
            user_id=key[2],
            defaults={"name": name, "is_member": True, "is_bot": user.is_bot, **values},
        )
        if not created:
            for field_name, value in values.items():
                setattr(row, field_name, value)
            row.name, row.is_member, row.is_bot = name, True, user.is_bot
            # Not the message count: the roster's pending activity adds to it (bot.roster.flush).
            await row.save(update_fields=[*values, "name", "is_member", "is_bot"])
        self._remember(key)


class RosterView:
    """The roster as plugins read it (``scope.roster``): who is in a group, since when, how
    active, and what they are called. Read-only; always includes the latest activity."""

    def __init__(self, roster: Roster) -> None:
        self._roster = roster

    async def members(
        self, group: GroupRef, *, active_since: datetime | None = None, include_left: bool = False
    ) -> list[RosterEntry]:
        """The group's current members (``include_left``: and those who left), by user id."""
        await self._roster.flush()
        query = RosterMember.filter(platform=group.platform, guild_id=group.key)
        if not include_left:
            query = query.filter(is_member=True)
        if active_since is not None:
            query = query.filter(last_active_at__gte=active_since)
        # Plain rows, not ORM objects: a group may have 100,000 members.
        rows = await query.order_by("user_id").values_list(*_ENTRY_FIELDS)
        entries = [RosterEntry(*row) for row in rows]
        # Messages counted but held until their delivery is confirmed (bot.tally) are added.
        counted = self._roster.pending_counts(group)
        if counted:
            entries = [
                replace(e, message_count=e.message_count + counted[e.user_id]) if e.user_id in counted else e
                for e in entries
            ]
        return entries

    async def member(self, group: GroupRef, user_id: str) -> RosterEntry | None:
        """One member's entry, present or left; None when the bot never saw them there."""
        row = await RosterMember.filter(
            platform=group.platform, guild_id=group.key, user_id=user_id
        ).first()
        if row is None:
            return None
        entry = _entry(row)
        # Activity not written yet is added here rather than written first: plugins ask this
        # on the message path (the ads plugin, of every sender), and a write per message would
        # undo the roster's batching.
        pending = self._roster.pending(group, user_id)
        if pending is None:
            return entry
        at, count = pending
        if at is None:
            return replace(entry, message_count=entry.message_count + count)
        last = max(at, entry.last_active_at) if entry.last_active_at else at
        return replace(
            entry, last_active_at=last, message_count=entry.message_count + count, is_member=True,
            left_at=None,
        )

    async def is_member(self, group: GroupRef, user_id: str) -> bool:
        return await RosterMember.filter(
            platform=group.platform, guild_id=group.key, user_id=user_id, is_member=True
        ).exists()

    async def current(self, group: GroupRef, user_ids: list[str]) -> set[str]:
        """Which of ``user_ids`` are current members of the group (any number of them)."""
        members = RosterMember.filter(platform=group.platform, guild_id=group.key, is_member=True)
        return await found_among(members, "user_id", user_ids)

    async def current_anywhere(self, platform: str, user_ids: list[str]) -> set[str]:
        """Which of ``user_ids`` are current members of at least one group on ``platform``
        (an owner's board across all groups leaves out who left every group)."""
        members = RosterMember.filter(platform=platform, is_member=True).distinct()
        return await found_among(members, "user_id", user_ids)

    async def names(self, platform: str, user_ids: list[str]) -> dict[str, str]:
        """Display names of users the bot has seen (a user it never saw is absent)."""
        names: dict[str, str] = {}
        for part in chunked(user_ids):
            rows = await Account.filter(platform=platform, user_id__in=part).values("user_id", "name")
            names.update((row["user_id"], row["name"]) for row in rows)
        return names

    async def find(self, platform: str, group: GroupRef | None, handle: str) -> User | None:
        """A user by ``@username`` (or console name), preferring members of ``group``."""
        return await self._roster.find_user(platform, group, handle)

    async def groups(self, platform: str | None = None) -> list[GroupInfo]:
        """The groups the bot is in (on ``platform``, or everywhere)."""
        return await self._roster.groups([platform] if platform else None)

    async def group(self, group: GroupRef) -> GroupInfo:
        return self._roster.info(await self._roster.settings(group.platform, group.id))

    async def group_by_key(self, platform: str, key: str) -> GroupInfo | None:
        """The group whose rows a plugin keyed by ``key`` (``GroupRef.key``), with its current
        id (a job acting on stored rows); None when the bot never saw it. Reads only: a group
        the bot left stays inactive."""
        row = await GuildSettings.filter(platform=platform, group_key=key).first()
        return self._roster.info(row) if row else None

    async def locale_of(self, platform: str, user_id: str) -> str | None:
        """The language a user chose (``/lang``), or None: then their group's applies."""
        account = await Account.filter(platform=platform, user_id=user_id).first()
        return account.locale if account else None


def _ref(settings: GuildSettings) -> GroupRef:
    return GroupRef(settings.platform, settings.group_key, settings.guild_id, settings.name)


async def _get_or_create(model, defaults: dict, **keys: object):
    """get_or_create that survives a concurrent insert of the same unique key."""
    row = await model.filter(**keys).first()
    if row is not None:
        return row, False
    try:
        return await model.create(**keys, **defaults), True
    except IntegrityError:
        return await model.get(**keys), False
