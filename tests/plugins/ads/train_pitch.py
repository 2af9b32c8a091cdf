"""Fitting the pitch model (plugins.ads.pitch) to the labelled corpora and writing it where the
plugin reads it: ``python -m tests.plugins.ads.train_pitch``. Deterministic (a fixed seed), so
the shipped model is what this gives; a test checks that."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from pathlib import Path

from plugins.ads.normalize import normalize
from plugins.ads.pitch import BIAS, MODEL, features
from tests.plugins.ads.corpus import load

# Every labelled set: the tuning corpus, the later rounds and the first independent set (its
# figures were taken before it was trained on; see test_ads_corpus).
CORPORA = (
    "train.jsonl", "round1.jsonl", "heldout.jsonl", "round3.jsonl", "round4.jsonl",
    "round5.jsonl", "independent.jsonl",
)


def train(rows: Iterable[dict], *, epochs: int = 25, l2: float = 1e-4, rate: float = 0.3,
          min_count: int = 2, seed: int = 13) -> dict[str, float]:
    """Weights fitted by logistic regression (AdaGrad, L2) on ``{"label", "text"}`` rows;
    features seen in fewer than ``min_count`` messages are left out (they would only learn
    the corpus by heart)."""
    docs = [(features(normalize(r["text"])), 1.0 if r["label"] == "ad" else 0.0) for r in rows]
    counts: dict[str, int] = {}
    for feats, _ in docs:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    docs = [({f for f in feats if counts[f] >= min_count} | {BIAS}, y) for feats, y in docs]
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    order = list(range(len(docs)))
    shuffle = random.Random(seed).shuffle
    for _ in range(epochs):
        shuffle(order)
        for i in order:
            feats, label = docs[i]
            z = sum(weights.get(f, 0.0) for f in feats)
            gradient = 1 / (1 + math.exp(-max(min(z, 30), -30))) - label
            for f in feats:
                w = weights.get(f, 0.0)
                g = gradient + l2 * w
                squares[f] = squares.get(f, 0.0) + g * g
                weights[f] = w - rate * g / math.sqrt(squares[f])
    return {f: round(w, 4) for f, w in weights.items() if abs(w) >= 0.001}


def save(weights: dict[str, float], path: Path = MODEL) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for feature in sorted(weights):
            fh.write(f"{feature}\t{weights[feature]}\n")


def corpora() -> list[dict]:
    return [row for name in CORPORA for row in load(name)]


if __name__ == "__main__":
    rows = corpora()
    fitted = train(rows)
    save(fitted)
    print(f"{len(fitted)} features from {len(rows)} messages -> {MODEL}")
