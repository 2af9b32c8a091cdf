"""``qunbot ads check "TEXT"``: the detector's verdict on a text, with its reasons, under the
``[plugins.ads]`` whitelists and keywords. Without a text it reads lines on stdin: plain text,
or JSON objects ``{"text": ..., "links": [{"url", "text"}], "usernames": [...], "buttons":
[...], "via_bot": ..., "forward": {"kind", "username"}}`` (the corpus format); one output line
per input: ``ad`` or ``benign``, the score, a tab, the reasons."""

from __future__ import annotations

import json
import sys

from bot import Scope
from plugins.ads import plugin
from plugins.ads.config import AdsConfig
from plugins.ads.detector import Policy, Sample, detect

__all__ = ["check"]


def _sample(line: str) -> Sample:
    if not line.lstrip().startswith("{"):
        return Sample(text=line)
    return Sample.from_row(json.loads(line))


@plugin.cli("check")
async def check(scope: Scope, args: list[str]) -> int:
    """The detector's verdict on a text (or on each line of stdin), with its reasons."""
    config: AdsConfig = scope.config or AdsConfig()
    policy = Policy.build(
        domains=config.domains,
        usernames=config.usernames,
        keywords=config.keywords,
        threshold=config.threshold,
    )
    lines = [" ".join(args)] if args else (line.rstrip("\n") for line in sys.stdin)
    for line in lines:
        if not line.strip():
            continue
        verdict = detect(_sample(line), policy)
        label = "ad" if verdict.is_ad else "benign"
        print(f"{label} {verdict.score:g}/{verdict.threshold:g}\t{verdict.explain()}")
    return 0
