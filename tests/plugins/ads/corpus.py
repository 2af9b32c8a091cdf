"""Reading the labelled corpora and measuring the detector on them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from plugins.ads import meaning
from plugins.ads.detector import Policy, Sample, Verdict, detect
from plugins.ads.normalize import normalize

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


# Rows whose meaning is read at once: three times as fast as one message at a time, and well
# within what plugins.ads.meaning remembers, so none is read twice.
_BATCH = 1024


def evaluate(rows: list[dict], policy: Policy = POLICY) -> Result:
    missed, flagged = [], []
    for start in range(0, len(rows), _BATCH):
        batch = [(row, Sample.from_row(row)) for row in rows[start : start + _BATCH]]
        meaning.remember(normalize(sample.shown).text for _, sample in batch)
        for row, sample in batch:
            # A row may name members of its group ("members"), whom the roster would know.
            members = row.get("members")
            verdict = detect(sample, policy.knowing(members) if members else policy)
            if row["label"] == "ad" and not verdict.is_ad:
                missed.append((row, verdict))
            elif row["label"] == "ok" and verdict.is_ad:
                flagged.append((row, verdict))
    ads = sum(r["label"] == "ad" for r in rows)
    return Result(ads, len(rows) - ads, missed, flagged)


if __name__ == "__main__":
    import sys

    result = evaluate(load(sys.argv[1] if len(sys.argv) > 1 else "train.jsonl"))
    print(result.summary("corpus"))
    for row, verdict in result.missed:
        print("MISSED", verdict.score, row["text"][:80], "|", verdict.explain())
    for row, verdict in result.flagged:
        print("FLAGGED", verdict.score, row["text"][:80], "|", verdict.explain())
