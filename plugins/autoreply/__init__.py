"""Keyword replies (关键词回复): per group, a keyword (exact, contained, or an RE2 pattern)
answered with a saved text or a copy of a saved message (photo, file, formatting), with a
cooldown per keyword per group. See docs/autoreply.md."""

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
""",
    parts=("commands", "handlers", "hooks"),
)

plugin.service(Keywords)
