"""Red packets (红包): points a member puts in escrow through the ledger, split into shares at
once (拼手气 lucky split or equal shares), grabbed by the members of the group with a button,
one atomic statement per grab; what is left after the deadline goes back to the sender.

Parts: ``commands`` (/redpacket and its subcommands, the Grab button), ``jobs`` (the expiry
sweep), ``hooks`` (the sweep at start, data deletion, the stop). ``service`` holds the
``RedPackets`` service other plugins use (the ads policy); ``store`` the writes, ``split`` the
split, ``views`` what members read. See docs/redpacket.md.
"""

from bot import Plugin
from plugins.redpacket import hookspecs
from plugins.redpacket.config import RedPacketConfig
from plugins.redpacket.service import Created, PacketInfo, PacketRefused, RedPackets

__all__ = ["Created", "PacketInfo", "PacketRefused", "RedPackets", "plugin"]

plugin = Plugin(
    "redpacket",
    config=RedPacketConfig,
    requires=["points"],
    # The "onboarding completed" condition of a grab, when the onboarding plugin is enabled.
    optional=["onboarding"],
    models="plugins.redpacket.models",
    migrations="plugins.redpacket.migrations",
    hookspecs=hookspecs,
    description="red packets: escrowed points that members grab",
    demo="""\
:admin alice
bob: 新年好
carol: 新年好
alice: /points give @alice 200 红包基金
alice: /红包 100 5 恭喜发财
bob click 抢红包
carol click 抢红包
alice: /redpacket mine
""",
    parts=("commands", "jobs", "hooks"),
)
# The service module is imported above (other plugins import ``RedPackets`` from here), so it
# cannot import ``plugin`` back: it is offered here.
plugin.service(RedPackets)
