"""The ads detector on the checked-in corpus (tests/plugins/ads/data/*.jsonl): per labelled set
and in all, the share of ads caught, the share of ordinary messages flagged, and messages
judged per second of CPU time (``plugins.ads.detector.detect`` alone: normalisation, signals,
verdict, each message's meaning read anew as the bot reads it; one thread; the best of the passes
over the whole corpus, one unless ``--passes`` asks for more). CPU time, not wall time,
so that other work on a shared machine does not lower the figure. And the memory the regex
engine's DFAs keep of the text read, which grows with the scripts a bot reads.

The rates are measured the way the corpus test measures them (``tests/plugins/ads/corpus.py``,
the same policy: four members whose @names are conversation). ``python -m bench.ads`` on its
own (``--json`` for the figures), or as part of ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from bench.common import rss_mb
from plugins.ads import meaning, pitch
from plugins.ads.detector import Sample, detect
from tests.plugins.ads.corpus import DATA, POLICY, Result, evaluate, load

__all__ = ["measure", "run"]

# One pass: it reads 181,000 messages at some 2-3 ms each (the meaning model), minutes of CPU time,
# long enough that the figure is steady.
PASSES = 1


def measure(passes: int = PASSES) -> dict[str, Any]:
    named = {path.name: load(path.name) for path in sorted(DATA.glob("*.jsonl"))}
    every = [row for rows in named.values() for row in rows]
    samples = [Sample.from_row(row) for row in every]
    pitch.load()
    before = rss_mb()
    results = {name: evaluate(rows) for name, rows in named.items()}
    best = min(_pass(samples) for _ in range(max(1, passes)))
    after = rss_mb()
    # Every row is judged on its own, so the whole corpus's figures are the sets' added up.
    whole = Result(
        sum(r.ads for r in results.values()), sum(r.ordinary for r in results.values()),
        [m for r in results.values() for m in r.missed], [f for r in results.values() for f in r.flagged],
    )
    return {
        "sets": {name: _rates(result) for name, result in results.items()},
        "all": _rates(whole),
        "messages_per_cpu_second": round(len(samples) / best),
        "messages": len(samples),
        # What RE2's DFAs keep of the text they read (every script of the corpora): memory a
        # bot holds on top of the benchmark's English-only roster run.
        "regex_state_mb": round(after - before, 1) if before is not None and after is not None else None,
    }


def _rates(result: Result) -> dict[str, Any]:
    return {
        "ads": result.ads,
        "ordinary": result.ordinary,
        "caught": round(result.recall * 100, 2),
        "flagged": round(result.false_positive_rate * 100, 2),
    }


def _pass(samples: list[Sample]) -> float:
    meaning.forget()  # each message read as the bot reads it: alone, its meaning not yet known
    began = time.process_time()
    for sample in samples:
        detect(sample, POLICY)
    return time.process_time() - began


def lines(figures: dict[str, Any]) -> list[str]:
    out = [
        f"    {name:<14} caught {f['caught']:6.2f} % of {f['ads']:4} ads, "
        f"flagged {f['flagged']:5.2f} % of {f['ordinary']:4} ordinary"
        for name, f in [*figures["sets"].items(), ("all", figures["all"])]
    ]
    rate, count = figures["messages_per_cpu_second"], figures["messages"]
    out.append(f"    {rate:,} messages/s ({count} messages; CPU time, one thread)")
    if figures.get("regex_state_mb") is not None:
        out.append(f"    {figures['regex_state_mb']} MB of regex states kept after reading them")
    return out


def run() -> dict[str, Any]:
    """For ``python -m bench``: the figures, printed (empty when the measurement failed)."""
    print("  ads detector ...", flush=True)
    try:
        figures = measure()
    except Exception as exc:  # a benchmark reports a scenario that could not run, and goes on
        print(f"    FAILED: {type(exc).__name__}: {exc}")
        return {}
    print("\n".join(lines(figures)))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ads", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=PASSES, help="passes timed (the best counts)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args(argv)
    figures = measure(args.passes)
    print(json.dumps(figures) if args.json else "\n".join(lines(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
