"""Keyword replies (关键词回复): per group or for every group, a keyword (exact, contained, or
an RE2 pattern) answered with a saved text or a copy of a saved message (photo, file,
formatting), with a cooldown per keyword per group; and notes any member calls with ``#name``.
Matching folds full-width forms, case and traditional Chinese. See docs/autoreply.md.

Parts: ``commands`` (/autoreply), ``note_commands`` (/notes), ``handlers`` (messages matched),
``hooks`` (data deletion). ``service`` caches rules and notes and keeps the cooldowns,
``matching`` normalises and matches, ``note_names`` says what a note may be called."""

from bot import Plugin
from plugins.autoreply.config import AutoreplyConfig
from plugins.autoreply.service import Keywords

__all__ = ["plugin"]

plugin = Plugin(
    "autoreply",
    config=AutoreplyConfig,
    models="plugins.autoreply.models",
    migrations="plugins.autoreply.migrations",
    needs_content=True,
    description="keyword replies",
    demo="""\
:admin alice
alice: /autoreply add 退款 退款请私信客服，工作日 24 小时内处理。
bob: 请问怎么退款？
bob: 退款
bob: 請問怎麼退款
alice: /notes save 群规 1. 不发广告 2. 互相尊重
bob: #群规
""",
    parts=("commands", "note_commands", "handlers", "hooks"),
)

plugin.service(Keywords)
