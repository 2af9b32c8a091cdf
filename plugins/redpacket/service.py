"""The ``RedPackets`` service: red packets for the redpacket plugin's commands and for other
plugins (the ads policy makes a packet on behalf of a member, then asks whether a member
posted one), and everything that happens to a packet after it is sent.

Other plugins::

    from plugins.redpacket import PacketRefused, RedPackets
    packets = scope.service(RedPackets)          # declare requires=["redpacket"]
    created = await packets.create(member, 100, 10, key=f"ads:{message_id}", message="...")
    recent = await packets.packets_of(member, since=t - timedelta(minutes=5), until=t)

and the hook ``redpacket_finished(scope, packet, outcome)`` once a packet is emptied
(``finished``) or its time is up (``expired``, the rest refunded). See docs/redpacket.md.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot import Context, GroupRef, MemberRef, PlatformError, Scope, Transaction
from bot.plugin import PluginError
from plugins.onboarding import Onboarding
from plugins.points import Points
from plugins.redpacket.claims import Claims
from plugins.redpacket.config import RedPacketConfig, RedPacketSettings
from plugins.redpacket.models import EXPIRED, OPEN, RedPacket, RedPacketShare
from plugins.redpacket.store import (
    Grab,
    create_packet,
    expire_packet,
    finish_packet,
    grab_share,
    shares_left,
)
from plugins.redpacket.views import duration, packet_message, points, read_shares, user_names

__all__ = ["Created", "PacketInfo", "PacketRefused", "RedPackets"]

log = logging.getLogger(__name__)
MODES = ("lucky", "equal")


class PacketRefused(Exception):
    """A packet outside the group's limits; ``key`` and ``params`` are the message
    (``scope.t(exc.key, **exc.params)``). Nothing was written."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class PacketInfo:
    id: int
    platform: str
    group_key: str
    sender_id: str
    total: int
    count: int
    mode: str
    message: str
    created_at: datetime
    expires_at: datetime
    # open, finished (every share grabbed) or expired (the rest went back to the sender).
    status: str
    closed_at: datetime | None
    refunded: int
    # The plugin that made it, and its idempotency key.
    source: str
    key: str
    taken: int
    granted: int
    # (user id, amount) of the largest share so far, or None.
    luckiest: tuple[str, int] | None


@dataclass(frozen=True)
class Created:
    packet: PacketInfo
    new: bool  # False: a packet with this key existed (nothing was spent now)


async def info(packet: RedPacket) -> PacketInfo:
    shares = await read_shares(packet.id)
    return PacketInfo(
        packet.id, packet.platform, packet.guild_id, packet.sender_id, packet.total, packet.count,
        packet.mode, packet.message, packet.created_at, packet.expires_at, packet.status,
        packet.closed_at, packet.refunded, packet.source, packet.key, shares.taken, shares.granted,
        shares.luckiest,
    )


class RedPackets:
    """Built once with the redpacket plugin's scope; each caller gets a handle recording it as
    the source of the packets it makes (:meth:`for_caller`)."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._source = scope.plugin
        self.config: RedPacketConfig = scope.config or RedPacketConfig()
        self._editor = _Editor(self)
        self._claims = Claims()

    def for_caller(self, scope: Scope) -> RedPackets:
        handle = copy.copy(self)
        handle._source = scope.plugin
        return handle

    def settings(self, group: GroupRef | None) -> RedPacketSettings:
        return self.config.for_group(group)

    # -- for other plugins -----------------------------------------------------------------------
    async def create(
        self,
        member: MemberRef,
        total: int,
        count: int,
        *,
        key: str,
        mode: str = "lucky",
        message: str = "",
        expires_in: timedelta | None = None,
        channel_id: str | None = None,
        at: datetime | None = None,
        using: Transaction | None = None,
        post: bool = True,
        reply_to: Context | None = None,
    ) -> Created:
        """Send a packet from ``member``'s points (moved into escrow through the ledger, in one
        transaction with the packet and its shares; ``using=tx``: the caller's). ``key`` makes
        it once (namespace it: ``ads:<message id>``). ``post``: show it with its Grab button
        in the group's main channel (or ``channel_id``, or as the answer to ``reply_to``, a
        command) once committed. Raises PacketRefused
        (limits), InsufficientPoints (a short balance): then nothing changed."""
        group = member.group
        if group is None:
            raise ValueError("a red packet is sent in a group: member.group is required")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        settings = self.settings(group)
        self.check(settings, total, count)
        lifetime = expires_in or timedelta(hours=settings.expire_hours)
        now = at or self._scope.now
        packet, new = await create_packet(
            self._scope, self._scope.service(Points), member, total, count, mode=mode,
            message=message[: settings.max_message], key=key, source=self._source, lifetime=lifetime,
            at=now, channel_id=channel_id, using=using,
        )
        if new:
            if using is not None:
                using.after_commit(lambda: self._sent(packet, group, reply_to, post))
            else:
                await self._sent(packet, group, reply_to, post)
        return Created(await info(packet), new)

    async def _sent(self, packet: RedPacket, group: GroupRef, reply_to: Context | None, post: bool) -> None:
        """After a new packet committed: count it for the stats plugin, then show it."""
        await self._count(group, "packets_sent")
        if post:
            await self.post(packet, group, reply_to)

    async def _count(self, group: GroupRef, name: str) -> None:
        """Report to the stats plugin's ``stats_count`` hook (nothing when it is not loaded)."""
        await self._scope.emit("stats_count", group=group, name=name, amount=1)

    async def get(self, packet_id: int) -> PacketInfo | None:
        packet = await RedPacket.filter(id=packet_id).first()
        return await info(packet) if packet else None

    async def by_key(self, key: str) -> PacketInfo | None:
        packet = await RedPacket.filter(key=key).first()
        return await info(packet) if packet else None

    async def packets_of(
        self, member: MemberRef, *, since: datetime, until: datetime, min_total: int = 1
    ) -> list[PacketInfo]:
        """Packets ``member`` sent in ``member.group`` from ``since`` to ``until`` (inclusive)
        of at least ``min_total`` points, oldest first, whatever their state."""
        if member.group is None:
            raise ValueError("member.group is required")
        rows = await RedPacket.filter(
            platform=member.platform, guild_id=member.group.key, sender_id=member.user_id,
            created_at__gte=since, created_at__lte=until, total__gte=min_total,
        ).order_by("created_at", "id")
        return [await info(row) for row in rows]

    # -- the plugin's own ------------------------------------------------------------------------
    @staticmethod
    def check(settings: RedPacketSettings, total: int, count: int) -> None:
        if not settings.enabled:
            raise PacketRefused("redpacket.send.disabled")
        if not settings.min_count <= count <= settings.max_count:
            raise PacketRefused("redpacket.send.count_range", min=settings.min_count, max=settings.max_count)
        if not settings.min_total <= total <= settings.max_total:
            raise PacketRefused("redpacket.send.total_range", min=settings.min_total, max=settings.max_total)
        if total < count:
            raise PacketRefused("redpacket.send.below_count", total=total, n=count)

    async def post(self, packet: RedPacket, group: GroupRef, ctx: Context | None = None) -> None:
        """Show a new packet with its Grab button: as the answer to ``ctx`` (the command), in
        its channel, or in the group's main channel."""
        scope = self._scope
        locale = await scope.group_locale(group)
        timezone = (await scope.roster.group(group)).timezone
        message = await packet_message(scope, packet, await read_shares(packet.id), locale, timezone)
        try:
            if ctx is not None:
                sent = await ctx.reply(message, wait=True)  # edited as it is grabbed
            elif packet.channel_id:
                sent = await scope.send_to_channel(packet.platform, packet.channel_id, message, wait=True)
            else:
                sent = await scope.send_to(group, message, wait=True)
        except PlatformError as exc:
            # Nobody can grab it; the expiry gives it all back.
            log.warning("red packet %s not posted: %s", packet.id, exc)
            return
        if sent is not None and sent.message_id:
            await RedPacket.filter(id=packet.id).update(
                channel_id=sent.channel_id, message_id=sent.message_id
            )

    async def grab(self, ctx: Context, packet_id: Any) -> str:
        """A press of a packet's Grab button; the private answer (in the member's language)."""
        scope = self._scope
        packet = await RedPacket.filter(id=packet_id).first() if isinstance(packet_id, int) else None
        group, member, user = ctx.group, ctx.member, ctx.event.user
        if (
            packet is None or group is None or member is None or user is None
            or packet.platform != ctx.platform or packet.guild_id != group.key
        ):
            return ctx.t("redpacket.grab.not_here")
        await self._learn_button(ctx, packet)
        mine = await _my_share(packet.id, member.user_id)
        if mine is not None:
            return ctx.t("redpacket.grab.already", n=mine)
        if packet.status != OPEN:
            return ctx.t("redpacket.grab.expired" if packet.status == EXPIRED else "redpacket.grab.empty")
        now = scope.now
        if now >= packet.expires_at:
            await self.close_expired(packet)
            return ctx.t("redpacket.grab.expired")
        refusal = await self._refusal(ctx, packet, group, user)
        if refusal is not None:
            return refusal
        got = await self.take(packet, member)
        if got is None:
            return ctx.t("redpacket.grab.empty")
        if not got.new:
            return ctx.t("redpacket.grab.already", n=got.amount)
        return ctx.t("redpacket.grab.got", n=got.amount)

    async def take(self, packet: RedPacket, member: MemberRef) -> Grab | None:
        """What a press does once the member may grab: claim a share (their own back if they
        hold one), count it, and finish the packet when it was the last. None: none is left.
        (A packet whose last grab's process stopped before finishing it is finished by the
        sweep.)"""
        scope = self._scope
        assert member.group is not None
        got = await self._claims.claim(
            packet.id, packet.count,
            lambda: grab_share(scope, scope.service(Points), packet, member, scope.now),
            lambda: shares_left(packet.id),
        )
        if got is not None and got.new:
            await self._count(member.group, "packets_grabbed")
            await self._after_grab(packet.id, member.group)
        return got

    async def _refusal(self, ctx: Context, packet: RedPacket, group: GroupRef, user: Any) -> str | None:
        settings = self.settings(group)
        if user.is_bot or user.is_channel:
            return ctx.t("redpacket.grab.not_member")
        if user.id == packet.sender_id and not settings.sender_may_grab:
            return ctx.t("redpacket.grab.sender")
        if settings.members_only or settings.joined_before:
            entry = await ctx.roster.member(group, user.id)
            if settings.members_only and (entry is None or not entry.is_member):
                return ctx.t("redpacket.grab.not_member")
            if settings.joined_before and (
                entry is None or entry.joined_at is None or entry.joined_at > packet.created_at
            ):
                return ctx.t("redpacket.grab.joined_after")
        if settings.onboarded_only:
            onboarding = self._onboarding()
            member = MemberRef(ctx.platform, user.id, group)
            if onboarding is not None and not await onboarding.completed(member):
                return ctx.t("redpacket.grab.not_onboarded")
        return None

    def _onboarding(self) -> Onboarding | None:
        """The onboarding plugin's service, when that plugin is enabled (``optional``)."""
        try:
            return self._scope.service(Onboarding)
        except PluginError:
            return None

    async def _learn_button(self, ctx: Context, packet: RedPacket) -> None:
        """Remember the packet's button token (edits must keep it) and, when the platform did
        not give the message id at sending, the message's."""
        event: Any = ctx.event
        if packet.button_id is None:
            await RedPacket.filter(id=packet.id, button_id=None).update(button_id=event.button_id)
            packet.button_id = event.button_id
        if packet.message_id is None and event.message_id and event.channel is not None:
            await RedPacket.filter(id=packet.id, message_id=None).update(
                message_id=event.message_id, channel_id=event.channel.id
            )
            packet.message_id, packet.channel_id = event.message_id, event.channel.id

    async def _after_grab(self, packet_id: int, group: GroupRef) -> None:
        if await finish_packet(self._scope, packet_id, self._scope.now):
            await self._closed(packet_id, "finished", group)
        else:
            self._editor.touch(packet_id, self.settings(group).edit_interval_seconds)

    async def close_expired(self, packet: RedPacket) -> None:
        scope = self._scope
        found = await scope.roster.group_by_key(packet.platform, packet.guild_id)
        group = found.ref if found else None
        outcome = await expire_packet(scope, scope.service(Points), packet, scope.now, group)
        if outcome is not None:
            await self._closed(packet.id, outcome, group)

    async def sweep(self) -> int:
        """Close every open packet whose time is up (refunding the rest), and finish every open
        one that is empty (a grab whose process stopped before it could). Run at start and
        every minute; safe to run anywhere at any time. Returns how many it closed."""
        scope = self._scope
        closed = 0
        due = RedPacket.filter(status=OPEN, expires_at__lte=scope.now).order_by("id").limit(500)
        for packet in await due:
            await self.close_expired(packet)
            closed += 1
        for packet in await RedPacket.filter(status=OPEN).order_by("id").limit(500):
            if await finish_packet(scope, packet.id, scope.now):
                found = await scope.roster.group_by_key(packet.platform, packet.guild_id)
                await self._closed(packet.id, "finished", found.ref if found else None)
                closed += 1
        return closed

    async def _closed(self, packet_id: int, outcome: str, group: GroupRef | None) -> None:
        """Once, by whoever closed it: the final message, the announcement, the hook."""
        packet = await RedPacket.get(id=packet_id)
        self._claims.forget(packet_id)
        self._editor.cancel(packet_id)
        await self.edit(packet)
        if outcome == "finished" and group is not None:
            await self._announce(packet, group)
        await self._scope.emit("redpacket_finished", packet=await info(packet), outcome=outcome)

    async def _announce(self, packet: RedPacket, group: GroupRef) -> None:
        scope = self._scope
        shares = await read_shares(packet.id)
        luckiest = shares.luckiest
        if luckiest is None:
            return
        locale = await scope.group_locale(group)
        names = await user_names(scope, packet.platform, [packet.sender_id, luckiest[0]], locale)
        took = duration(scope, locale, (packet.closed_at or scope.now) - packet.created_at)
        equal = packet.mode == "equal" or packet.count == 1
        key = "redpacket.announce.equal" if equal else "redpacket.announce.lucky"
        text = scope.translate(
            locale, key, sender=names[packet.sender_id], duration=took, name=names[luckiest[0]],
            points=points(scope, locale, luckiest[1]), n=packet.count,
        )
        try:
            if packet.channel_id:
                await scope.send_to_channel(packet.platform, packet.channel_id, text)
            else:
                await scope.send_to(group, text)
        except PlatformError as exc:
            log.warning("red packet %s: result not announced: %s", packet.id, exc)

    async def edit(self, packet: RedPacket) -> None:
        """Show the packet's current state in its message (nothing when it has none)."""
        scope = self._scope
        adapter = scope.adapter(packet.platform)
        if adapter is None or not packet.message_id or not packet.channel_id:
            return
        found = await scope.roster.group_by_key(packet.platform, packet.guild_id)
        locale = await scope.group_locale(found.ref if found else None)
        timezone = found.timezone if found else scope.default_timezone
        if packet.status == OPEN and packet.button_id is None:
            return  # nobody grabbed yet: nothing changed, and the button's token is unknown
        message = await packet_message(
            scope, packet, await read_shares(packet.id), locale, timezone, packet.button_id
        )
        try:
            await adapter.edit(packet.channel_id, packet.message_id, message)
        except PlatformError as exc:
            log.warning("red packet %s: message not edited: %s", packet.id, exc)

    async def flush_edits(self) -> None:
        await self._editor.flush()


async def _my_share(packet_id: int, user_id: str) -> int | None:
    row = await RedPacketShare.filter(packet_id=packet_id, member_id=user_id).first().values("amount")
    return row["amount"] if row else None


class _Editor:
    """Coalesced edits of packets' messages: a grab marks its packet changed; one task per
    packet edits it at most once per interval, showing the state at the time of the edit.
    A burst of grabs is a handful of edits, never one per grab."""

    def __init__(self, service: RedPackets) -> None:
        self._service = service
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._dirty: set[int] = set()
        self._last: dict[int, float] = {}

    def touch(self, packet_id: int, interval: float) -> None:
        self._dirty.add(packet_id)
        if packet_id not in self._tasks:
            self._tasks[packet_id] = asyncio.create_task(self._run(packet_id, interval))

    def cancel(self, packet_id: int) -> None:
        """The packet is closed: its final edit is made by the closer."""
        self._dirty.discard(packet_id)
        self._last.pop(packet_id, None)

    async def flush(self) -> None:
        """Wait for the edits under way (tests, the stop)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def _run(self, packet_id: int, interval: float) -> None:
        loop = asyncio.get_running_loop()
        try:
            while packet_id in self._dirty:
                wait = self._last.get(packet_id, -math.inf) + interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if packet_id not in self._dirty:
                    break
                self._dirty.discard(packet_id)
                self._last[packet_id] = loop.time()
                packet = await RedPacket.filter(id=packet_id).first()
                if packet is None or packet.status != OPEN:
                    break
                await self._service.edit(packet)
        except Exception:
            log.exception("red packet %s: edit failed", packet_id)
        finally:
            self._tasks.pop(packet_id, None)
