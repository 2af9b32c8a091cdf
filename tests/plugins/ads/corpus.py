"""Reading the labelled corpora and measuring the detector on them."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from plugins.ads.detector import Policy, Sample, Verdict, detect

DATA = Path(__file__).with_name("data")
# The members of the test group: mentioning them is conversation.
POLICY = Policy.build(members=["alice", "bob", "carol", "dave"])


def load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Result:
    ads: int
    ordinary: int
    missed: list[tuple[dict, Verdict]]
    flagged: list[tuple[dict, Verdict]]

    @property
    def recall(self) -> float:
        return 1 - len(self.missed) / self.ads

    @property
    def false_positive_rate(self) -> float:
        return len(self.flagged) / self.ordinary

    def summary(self, name: str) -> str:
        return (
            f"{name}: caught {self.recall:.2%} of {self.ads} ads, flagged "
            f"{self.false_positive_rate:.2%} of {self.ordinary} ordinary messages"
        )


def evaluate(rows: list[dict], policy: Policy = POLICY) -> Result:
    missed, flagged = [], []
    for row in rows:
        verdict = detect(Sample.from_row(row), _with_members(policy, row.get("members")))
        if row["label"] == "ad" and not verdict.is_ad:
            missed.append((row, verdict))
        elif row["label"] == "ok" and verdict.is_ad:
            flagged.append((row, verdict))
    ads = sum(r["label"] == "ad" for r in rows)
    return Result(ads, len(rows) - ads, missed, flagged)


def _with_members(policy: Policy, members: list[str] | None) -> Policy:
    """The policy of a row's group: a row may name members of its own (``"members"``), whom the
    roster would know, so that mentioning them is conversation."""
    if not members:
        return policy
    return replace(policy, members=policy.members | {m.lstrip("@").casefold() for m in members})


if __name__ == "__main__":
    import sys

    result = evaluate(load(sys.argv[1] if len(sys.argv) > 1 else "train.jsonl"))
    print(result.summary("corpus"))
    for row, verdict in result.missed:
        print("MISSED", verdict.score, row["text"][:80], "|", verdict.explain())
    for row, verdict in result.flagged:
        print("FLAGGED", verdict.score, row["text"][:80], "|", verdict.explain())
