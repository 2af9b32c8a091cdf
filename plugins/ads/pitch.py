"""How much a text reads like a sales pitch: a logistic regression over its words.

The detector's rules know the ways to reach a spammer (links, ids, numbers, invites) and the
words of the trades that advertise most; a pitch for something they do not name (keto pills,
backlinks, 降糖神药) would pass them. This model scores the pitch itself: words, word pairs and
the first five letters of long words (Latin, Cyrillic and the other spaced alphabets), pairs of
Chinese, Korean and Thai characters, the shapes of numbers and prices, emoji, read from the
normalised text (so disguises are undone first). It is trained
on the labelled corpora in ``tests/plugins/ads/data`` by
``python -m tests.plugins.ads.train_pitch`` and ships as ``pitch_model.txt`` (one
``feature<TAB>weight`` per line). A message's score is the sum of its features' weights:
linear in its length, a dictionary lookup per feature.

To the words' log-odds it adds half of what the text means (``plugins.ads.meaning``: a sentence
embedding, which reads pitches worded as no labelled set worded them).
"""

from __future__ import annotations

import functools
import math
import re
from array import array
from dataclasses import dataclass, replace
from pathlib import Path

from plugins.ads import meaning
from plugins.ads.normalize import Normalized

__all__ = ["BIAS", "MODEL", "SCALE", "features", "load", "logit", "words_logit"]

MODEL = Path(__file__).with_name("pitch_model.txt")
BIAS = "<bias>"
# The words' weights are log-odds times SCALE: the scale the detector's thresholds were chosen on.
SCALE = 9.0
# The meaning's log-odds weigh half as much as the words'. Leaving T67 to T90 out four sets at a
# time (each read by models trained without them), the detector missed 483 of their 7,200 ads and
# flagged 101 of 16,800 ordinary messages with the words alone, 468 and 78 with the meaning added
# at half weight; 478 and 75 with each weighing half (and a shift that kept the balance), which
# loses what the words learned of the training sets (254 of their ads missed, against 179).
MEANING_WEIGHT = 0.5

# Words of the alphabets that space them: Latin with its accents (Portuguese, Vietnamese), Greek,
# Cyrillic with the letters of Ukrainian, Serbian, Kazakh and Uzbek ("ї", "ў", "қ", "ә"), Arabic
# (and Persian), Devanagari, Bengali, Gurmukhi, Gujarati, Tamil, Telugu, Kannada, Malayalam and
# Sinhala with their vowel signs, Armenian, Hebrew, Georgian, Ethiopic.
_LETTER = (
    "a-z\u00e0-\u024f\u1ea0-\u1ef9\u03ac-\u03ce\u0430-\u045f\u0490-\u04ff"
    "\u0620-\u064a\u066e-\u06d3\u0900-\u0963"
    "\u0980-\u09e3\u0a00-\u0a63\u0a80-\u0ae3\u0b80-\u0be3\u0c00-\u0c63\u0c80-\u0ce3\u0d00-\u0d63"
    "\u0d80-\u0df4\u0561-\u0587\u05d0-\u05ea\u10d0-\u10fa\u1200-\u135a"
)
_WORD = re.compile(f"[{_LETTER}][{_LETTER}']+")
_NUMBER = re.compile(r"[0-9][0-9,.]*")
_PRICE = re.compile(r"[$¥￥€£][0-9]|[0-9](?:元|块|刀|usd|u\b|k\b|w\b|万|%)")
# Scripts read in pairs of characters (Chinese and Japanese, Korean, from the compact text) and
# Thai (written without spaces, from the text).
_CJK_RUN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+|[\uac00-\ud7af]+")
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")


def _number_shape(digits: str) -> str:
    n = sum(c.isdigit() for c in digits)
    return "n:" + ("1" if n <= 2 else "3" if n <= 4 else "5" if n <= 8 else "9" if n <= 12 else "13")


def features(norm: Normalized) -> set[str]:
    """The features of one normalised text."""
    text = norm.text
    found: set[str] = set()
    words = _WORD.findall(text)
    found.update("w:" + w for w in words)
    found.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    # A long word's beginning: its other endings and inflections ("investasinya", "заработать")
    # weigh as it does. Leaving each of the six newest sets out in turn: 212 of their ads missed
    # and 83 ordinary messages flagged, against 216 and 84 without.
    found.update("p:" + w[:5] for w in words if len(w) >= 7)
    found.update(_number_shape(n) for n in _NUMBER.findall(text))
    if _PRICE.search(text):
        found.add("price")
    runs = _CJK_RUN.findall(norm.compact) if not norm.compact.isascii() else []
    if not text.isascii():
        runs += _THAI_RUN.findall(text)
    for run in runs:
        found.update("c:" + run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            found.add("c:" + run)
    found.update("e:" + ch for ch in text if ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF)
    found.update("x:" + evasion for evasion in norm.evasions)
    return found


# Python's hash() never returns -1 (it is CPython's error value): it marks a free slot.
_FREE = -1


@dataclass(frozen=True, slots=True)
class _Model:
    """The model as a hash table of its own: each feature's hash (computed in this process, as
    the lookups' are) in ``keys`` at the slot it probes to, its weight in hundredths (the model
    file's two decimals) beside it. Some 100,000 features take 2.6 MB here against 8.8 MB as a
    dict of int keys, which the 100,000-member roster's memory target felt; the logits are the
    same to the bit and a message costs about 1 µs more (80,627 messages of the corpora)."""

    keys: array
    hundredths: array
    mask: int
    bias: float

    def weight(self, feature: str) -> float:
        h, keys, mask = hash(feature), self.keys, self.mask
        i = h & mask
        while (key := keys[i]) != h:
            if key == _FREE:
                return 0.0
            i = (i + 1) & mask
        # n / 100 is the double nearest the decimal, as float("4.41") is: the same weights.
        return self.hundredths[i] / 100


@functools.cache
def _model() -> _Model:
    rows: list[tuple[str, int]] = []
    with MODEL.open(encoding="utf-8") as fh:
        for line in fh:
            feature, _, text = line.rstrip("\n").rpartition("\t")
            hundredths = round(float(text) * 100)
            if hundredths / 100 != float(text) or not -32768 <= hundredths <= 32767:
                raise ValueError(f"{MODEL.name}: {feature!r} weighs {text}, not hundredths of -327..327")
            rows.append((feature, hundredths))
    size = 1 << (2 * len(rows)).bit_length()  # under half full: a lookup probes 1.5 slots on average
    mask = size - 1
    keys, hundredths = array("q", [_FREE]) * size, array("h", [0]) * size
    for feature, weight in rows:
        i = hash(feature) & mask
        while keys[i] != _FREE:
            i = (i + 1) & mask
        keys[i], hundredths[i] = hash(feature), weight
    model = _Model(keys, hundredths, mask, 0.0)
    return replace(model, bias=model.weight(BIAS))


def load(*, meant: bool = True) -> None:
    """Read the models now (at start-up) rather than on the first message, which would wait the
    second it takes; the meaning's only if ``meant``."""
    _model()
    if meant:
        meaning.load()


def words_logit(norm: Normalized) -> float:
    """The words' log-odds that ``norm`` is a pitch, times SCALE (0 is even)."""
    model = _model()
    weight = model.weight
    # fsum: exact whatever the order of the set (string hashing orders it anew in every
    # process), so a score at the threshold is the same on every run.
    return math.fsum([model.bias, *(weight(f) for f in features(norm))])


def logit(norm: Normalized, *, meant: bool = True) -> float:
    """The log-odds that ``norm`` is a pitch, times SCALE (0 is even): its words' and, if
    ``meant``, its meaning's."""
    said = words_logit(norm)
    return said + MEANING_WEIGHT * SCALE * meaning.logit(norm.text) if meant else said
