"""Ads with red packets (广告带红包): an ad is welcome when its sender posts a red packet for the
group with it (within a grace window before or after, of at least the group's minimum, or with
``/ad TEXT``); otherwise it is removed with a friendly reminder in the member's language and a
"repost with a red packet" button, and repeat offenders climb a ladder (reminder, mute, longer
mute, kick) that decays after a quiet period. Detection (``detector``, ``normalize``) sees
through the usual disguises: spaced letters, full-width forms, zero-width characters,
look-alike letters, defanged dots, links behind words, URL buttons, inline bots, channel
forwards.

Parts: ``handlers`` (every message and edit is judged), ``commands`` (/ad, the admins' /ads
commands, the repost and undo buttons), ``jobs`` (the grace deadline sweep), ``hooks`` (the
sweep at start, data deletion), ``cli`` (``qunbot ads check``). ``policy`` holds the decisions.
See docs/ads.md.
"""

from bot import Plugin
from plugins.ads.config import AdsConfig

__all__ = ["plugin"]

plugin = Plugin(
    "ads",
    config=AdsConfig,
    requires=["points", "redpacket"],
    models="plugins.ads.models",
    migrations="plugins.ads.migrations",
    needs_content=True,
    description="ads welcome with a red packet, removed with a reminder otherwise",
    demo="""\
:admin alice
bob: 新年好
alice: /points give @bob 200 welcome
alice: /ads grace 0m
carol: 日赚500，宝妈学生党都能做，加 w e i x i n: abc12345
bob: /ad 好物推荐，需要的私聊我 wx: bob_shop88
alice: /ads recent
""",
    parts=("rules", "handlers", "commands", "jobs", "hooks", "cli"),
)
