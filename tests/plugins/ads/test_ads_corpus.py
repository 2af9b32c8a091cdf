"""The detector on the labelled corpora: the tuning corpus, the first held-out set (seen since),
and the held-out set written after the last tuning round, which carries the issue's bar
(99 % of ads caught, at most 1 % of ordinary messages flagged). Run with -s to see the figures."""

import time

import pytest

from plugins.ads.detector import Policy, Sample, compile_keyword, detect
from tests.plugins.ads.corpus import evaluate, load


def test_tuning_corpus():
    rows = load("train.jsonl")
    result = evaluate(rows)
    print(result.summary("train.jsonl"))
    assert result.ads >= 300 and result.ordinary >= 1000
    assert result.recall >= 0.99 and result.false_positive_rate <= 0.01


def test_round1_corpus_seen_since():
    result = evaluate(load("round1.jsonl"))
    print(result.summary("round1.jsonl (tuned on after its first measurement)"))
    assert result.recall >= 0.99 and result.false_positive_rate <= 0.01


def test_heldout_today():
    """What the held-out set measures now (95.45 % / 1.87 % when written): no regression."""
    result = evaluate(load("heldout.jsonl"))
    print(result.summary("heldout.jsonl"))
    assert result.recall >= 0.95 and result.false_positive_rate <= 0.02


@pytest.mark.xfail(
    strict=True, reason="held-out measured 95.45% caught / 1.87% flagged: the bar is not met yet"
)
def test_heldout_meets_the_bar():
    result = evaluate(load("heldout.jsonl"))
    assert result.recall >= 0.99 and result.false_positive_rate <= 0.01


def test_speed_and_hostile_pattern():
    rows = load("train.jsonl")
    started = time.perf_counter()
    for row in rows:
        detect(Sample(text=row["text"]))
    rate = len(rows) / (time.perf_counter() - started)
    print(f"detector: {rate:,.0f} messages per second")
    hostile = Policy.build(keywords=[r"(a+)+$", r"(x+x+)+y"])
    started = time.perf_counter()
    verdict = detect(Sample(text="a" * 5000 + "!" + "x" * 5000), hostile)
    assert time.perf_counter() - started < 0.5 and not verdict.is_ad
    with pytest.raises(ValueError):
        compile_keyword(r"(a)\1")  # backreferences are not RE2


def test_reasons_are_readable():
    verdict = detect(Sample(text="加 w e i x i n: abc12345 日赚500"))
    assert verdict.is_ad and "contact_id" in verdict.explain() and "evasion(spaced)" in verdict.explain()
    assert not detect(Sample(text="α + β = γ")).is_ad
