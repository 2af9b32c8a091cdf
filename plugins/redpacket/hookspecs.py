"""The hook other plugins may implement (``@hookimpl def redpacket_finished(...)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import hookspec

if TYPE_CHECKING:
    from bot import Scope
    from plugins.redpacket.service import PacketInfo

__all__ = ["redpacket_finished"]


@hookspec
def redpacket_finished(scope: Scope, packet: PacketInfo, outcome: str) -> None:
    """A packet closed, once, after its last change has been committed.

    :param scope: the implementing plugin's scope (filled by the core).
    :param packet: the packet as it ended (``packet.source`` and ``packet.key`` say which
        plugin made it and with which key; ``taken``, ``granted``, ``refunded``, ``luckiest``).
    :param outcome: ``finished`` (every share was grabbed) or ``expired`` (its time was up;
        ``packet.refunded`` points went back to the sender).
    """
