"""The roster: accounts, groups and their members as the bot has seen them.

Telegram cannot list a group's members, so every message, join and leave updates it. Joins,
leaves and first sightings are written at once. A known member's activity (last active, message
count) is the one write of every group message, so it is collected and written in one
transaction at most a second later (``flush``), and always before a command or a scheduled job
runs, so every reader sees it. A crash loses at most that second of activity timestamps: never
a membership, a point or anything a member was told.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.events import Event, User
from bot.storage.models import Account, GuildSettings, RosterMember

__all__ = ["Roster"]

_SEEN = (
    'UPDATE "core_member" SET "last_active_at"={0},"message_count"="message_count"+{1},'
    '"is_member"=TRUE,"left_at"=NULL WHERE "platform"={2} AND "guild_id"={3} AND "user_id"={4}'
)
# By "is the connection SQLite?": its placeholders are ?, PostgreSQL's $n.
_SEEN_SQL = {True: _SEEN.format(*"?????"), False: _SEEN.format("$1", "$2", "$3", "$4", "$5")}
# Activity of this many members pending: write it now rather than at the next tick.
FLUSH_SIZE = 2_000
# Accounts and members remembered at most; past that the cache starts again (a few MB).
CACHE_LIMIT = 100_000
_AT_FIELD = RosterMember._meta.fields_map["last_active_at"]


class Roster:
    def __init__(self, default_timezone: str, default_locale: str) -> None:
        self.default_timezone = default_timezone
        self.default_locale = default_locale
        self._accounts: dict[tuple[str, str], Account] = {}
        self._guilds: dict[tuple[str, str], GuildSettings] = {}
        self._members: set[tuple[str, str, str]] = set()
        # Known members' activity not yet written: key -> (last active, messages since).
        self._activity: dict[tuple[str, str, str], tuple[datetime, int]] = {}

    def forget_caches(self) -> None:
        self._accounts.clear()
        self._guilds.clear()
        self._members.clear()

    # -- accounts --------------------------------------------------------------------------------
    async def account(self, platform: str, user: User) -> Account:
        key = (platform, user.id)
        cached = self._accounts.get(key)
        if cached is not None:
            if user.name and (cached.name != user.name or cached.username != user.username):
                cached.name, cached.username = user.name[:128], user.username
                await Account.filter(id=cached.id).update(name=cached.name, username=cached.username)
            return cached
        account, _ = await _get_or_create(
            Account,
            platform=platform,
            user_id=user.id,
            defaults={"name": user.name[:128], "username": user.username, "is_bot": user.is_bot},
        )
        if user.name and (account.name != user.name or account.username != user.username):
            account.name, account.username = user.name[:128], user.username
            await account.save(update_fields=["name", "username"])
        if len(self._accounts) >= CACHE_LIMIT:
            self._accounts.clear()
        self._accounts[key] = account
        return account

    async def set_user_locale(self, platform: str, user: User, locale: str | None) -> None:
        account = await self.account(platform, user)
        account.locale = locale
        await account.save(update_fields=["locale"])

    async def find_user(self, platform: str, guild_id: str | None, handle: str) -> User | None:
        """Resolve ``@handle`` (a username, or a console name) to a known user, preferring
        members of the group."""
        handle = handle.lstrip("@")
        candidates = await Account.filter(platform=platform, username__iexact=handle).all()
        if not candidates:
            candidates = await Account.filter(platform=platform, name=handle).all()
        if not candidates:
            return None
        if guild_id is not None and len(candidates) > 1:
            members = set(
                await RosterMember.filter(
                    platform=platform, guild_id=guild_id, user_id__in=[c.user_id for c in candidates]
                ).values_list("user_id", flat=True)
            )
            candidates = [c for c in candidates if c.user_id in members] or candidates
        chosen = candidates[0]
        return User(id=chosen.user_id, name=chosen.name, username=chosen.username, is_bot=chosen.is_bot)

    # -- guilds ----------------------------------------------------------------------------------
    async def guild(self, platform: str, guild_id: str, name: str = "") -> GuildSettings:
        key = (platform, guild_id)
        cached = self._guilds.get(key)
        if cached is not None:
            if not cached.active:
                cached.active = True
                await GuildSettings.filter(id=cached.id).update(active=True)
            return cached
        settings, _ = await _get_or_create(
            GuildSettings, platform=platform, guild_id=guild_id, defaults={"name": name[:128]}
        )
        if name and settings.name != name:
            settings.name = name[:128]
            await settings.save(update_fields=["name"])
        self._guilds[key] = settings
        return settings

    async def set_guild(self, platform: str, guild_id: str, **values: object) -> GuildSettings:
        settings = await self.guild(platform, guild_id)
        for key, value in values.items():
            setattr(settings, key, value)
        await settings.save(update_fields=list(values))
        return settings

    def timezone_of(self, settings: GuildSettings | None) -> ZoneInfo:
        return ZoneInfo((settings.timezone if settings else None) or self.default_timezone)

    # -- members ---------------------------------------------------------------------------------
    async def seen_message(self, event: Event, at: datetime) -> None:
        """A member spoke: last active, message count."""
        assert event.guild is not None and event.user is not None
        key = (event.platform, event.guild.id, event.user.id)
        if key not in self._members:
            await self._upsert(event, last_active_at=at, message_count=1)
            return
        last, count = self._activity.get(key, (at, 0))
        self._activity[key] = (max(last, at), count + 1)
        if len(self._activity) >= FLUSH_SIZE:
            await self.flush()

    async def flush(self) -> None:
        """Write the pending activity in one transaction (a failed write is kept for the next)."""
        if not self._activity:
            return
        pending, self._activity = self._activity, {}
        rows = [[_AT_FIELD.to_db_value(at, None), count, *key] for key, (at, count) in pending.items()]
        try:
            async with in_transaction() as connection:
                sql = _SEEN_SQL[connection.capabilities.dialect == "sqlite"]
                await connection.execute_many(sql, rows)
        except Exception:
            for key, (at, count) in pending.items():
                last, more = self._activity.get(key, (at, 0))
                self._activity[key] = (max(last, at), count + more)
            raise

    async def joined(self, event: Event, at: datetime) -> None:
        await self._upsert(event, joined_at=at, last_active_at=at, left_at=None)

    async def left(self, event: Event, at: datetime) -> None:
        assert event.guild is not None and event.user is not None
        await self.flush()  # pending activity would mark them present again
        await RosterMember.filter(
            platform=event.platform, guild_id=event.guild.id, user_id=event.user.id
        ).update(is_member=False, left_at=at)

    async def _upsert(self, event: Event, **values: object) -> None:
        assert event.guild is not None and event.user is not None
        key = (event.platform, event.guild.id, event.user.id)
        name = event.user.display_name[:128]
        row, created = await _get_or_create(
            RosterMember,
            platform=key[0],
            guild_id=key[1],
            user_id=key[2],
            defaults={"name": name, "is_member": True, **values},
        )
        if not created:
            count = values.pop("message_count", None)
            for field_name, value in values.items():
                setattr(row, field_name, value)
            row.name, row.is_member = name, True
            if count:
                row.message_count += 1
            await row.save()
        if len(self._members) >= CACHE_LIMIT:
            self._members.clear()  # a member seen again costs one lookup; memory stays bounded
        self._members.add(key)

    async def members(self, platform: str, guild_id: str, active_since: datetime | None = None) -> list[RosterMember]:
        await self.flush()
        query = RosterMember.filter(platform=platform, guild_id=guild_id, is_member=True)
        if active_since is not None:
            query = query.filter(last_active_at__gte=active_since)
        return await query.all()


async def _get_or_create(model, defaults: dict, **keys: object):
    """get_or_create that survives a concurrent insert of the same unique key."""
    row = await model.filter(**keys).first()
    if row is not None:
        return row, False
    try:
        return await model.create(**keys, **defaults), True
    except IntegrityError:
        return await model.get(**keys), False
