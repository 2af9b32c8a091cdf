"""Text normalisation for ad detection: what a spammer's disguise looks like undone.

``normalize`` gives the text a human reads, in ASCII where the letters look ASCII: NFKC
(full-width ``ｔ.ｍｅ``, maths letters, circled letters), format characters stripped (zero-width
spaces and joiners, bidi controls, variation selectors), combining marks stripped (``w̶x̶``),
confusable letters folded to the Latin letter they imitate (Cyrillic ``о``, Greek ``ο``, ...,
from Unicode's confusables data as shipped by ``confusable-homoglyphs``), lower-cased,
defanged dots (``[.]``, ``(dot)``, ``点``, ``。`` between letters) and spaced-out letters joined
(``w e i x i n`` -> ``weixin``). ``compact`` keeps only letters, digits and CJK characters, so
``微 信``, ``微-信`` and ``微❤信`` all read ``微信``. Pure and linear-time (RE2 only).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources
from typing import Any

import re2

from bot import simplified

__all__ = ["Normalized", "Pattern", "compact_of", "fold_confusables", "fold_disguised_words", "normalize"]

_RE2 = re2.Options()
_RE2.max_mem = 8 << 20
BYTES_PER_INSTRUCTION = 900


# The UTF-8 of the text searched last: dozens of patterns search one message in turn, and the
# binding would encode it (and map character offsets to bytes) for each.
_last_text: list[Any] = [None, b""]
_UNANCHORED = re2._Anchor.UNANCHORED
_NO_MATCH = (-1, -1)


def _utf8(text: str) -> bytes:
    if _last_text[0] is not text:
        _last_text[0], _last_text[1] = text, text.encode("utf-8")
    return _last_text[1]


class Pattern:
    """An RE2 pattern that asks the engine whether it matches at all before the binding builds a
    match: most text matches none of these patterns, and the binding's ``search`` encodes the
    text and maps its offsets each time (its ``sub`` costs about five searches even when
    nothing matches). Its Chinese is made simplified as the text is: "詐欺" in a pattern would
    never meet the "诈欺" the text becomes."""

    __slots__ = ("_match", "_regexp", "groups", "split")

    def __init__(self, pattern: str) -> None:
        pattern = simplified(pattern)
        regexp = re2.compile(pattern, options=_RE2)
        # A budget by the program's size: its DFA keeps the states it built up to the budget,
        # and the detector's patterns held 75 MB of them after reading the corpora's 76,000
        # messages at a flat 8 MB each, 47 MB so. Given less than its program needs, a pattern
        # falls back to the NFA and logs "DFA out of memory": 600 bytes an instruction did that
        # on the corpora, 700 never did; 900 leaves a margin.
        budget = min(_RE2.max_mem, max(1 << 20, regexp._regexp.ProgramSize() * BYTES_PER_INSTRUCTION))
        if budget < _RE2.max_mem:
            options = re2.Options()
            options.max_mem = budget
            regexp = re2.compile(pattern, options=options)
        self._regexp = regexp
        self._match = regexp._regexp.Match
        self.split, self.groups = regexp.split, regexp.groups

    def _matches(self, text: str) -> bool:
        data = _utf8(text)
        return self._match(_UNANCHORED, data, 0, len(data))[0] != _NO_MATCH

    def search(self, text: str) -> Any:
        return self._regexp.search(text) if self._matches(text) else None

    def finditer(self, text: str) -> Iterator[Any]:
        return self._regexp.finditer(text) if self._matches(text) else iter(())

    def findall(self, text: str) -> list[Any]:
        return self._regexp.findall(text) if self._matches(text) else []

    def sub(self, repl: Any, text: str) -> str:
        return self._regexp.sub(repl, text) if self._matches(text) else text


def _compile(pattern: str) -> Pattern:
    return Pattern(pattern)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or 0xFF00 <= code <= 0xFFEF
    )


# confusables.json: {"<char>": [{"c": "<glyph>", "n": "<name>"}, ...], ...}, strings JSON-escaped.
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
_CONFUSABLE_ENTRY = re.compile(f"({_JSON_STRING}): \\[((?:{_JSON_STRING}|[^\\]\"])*)\\]")
_CONFUSABLE_GLYPH = re.compile(f'"c": ({_JSON_STRING})')


@functools.cache
def _confusable_table() -> dict[int, str]:
    """Every single non-ASCII character Unicode lists as confusable with an ASCII letter or
    digit, mapped to that character (lower case). CJK characters are left alone."""
    data = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    table: dict[int, str] = {}
    # Entry by entry, not json.loads of the whole file: that built 7 MB of dicts and lists to
    # keep 1,300 characters, and the bot's resident memory kept some of it.
    for entry in _CONFUSABLE_ENTRY.finditer(data):
        char = json.loads(entry.group(1))
        if len(char) != 1 or char.isascii() or _is_cjk(char):
            continue
        for glyph in _CONFUSABLE_GLYPH.finditer(entry.group(2)):
            target = json.loads(glyph.group(1))
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[ord(char)] = target.lower()
                break
    # Letters the data leaves out that spammers use all the same.
    for char, target in {"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss", "к": "k"}.items():
        table.setdefault(ord(char), target)
    return table


def fold_confusables(text: str) -> str:
    return text.translate(_confusable_table())


_WORD = re.compile(r"\w+")


_LATIN_LETTER = re.compile("[a-zA-Z]")
# Latin letters that pass for Cyrillic ones inside a Russian or Kazakh word ("paбoтa", "Hyжны").
_AS_CYRILLIC = str.maketrans(
    "aceopxykmiABCEHKMOPTXY", "асеорхукміАВСЕНКМОРТХУ"
)


def _fold_word(match: re.Match) -> str:
    word = match.group(0)
    folded = word.translate(_confusable_table())
    if folded == word and (word.isascii() or not _LATIN_LETTER.search(word)):
        return word  # nothing to fold, no Latin letter set in (most words)
    if not any(_genuine(c) for c in folded):
        return folded
    latin = [c for c in word if c.isascii() and c.isalpha()]
    if latin and all(ord(c) in _AS_CYRILLIC for c in latin) and any(
        _genuine(c) and "CYRILLIC" in unicodedata.name(c) for c in folded
    ):
        # A Cyrillic word with Latin look-alikes set in: read in Cyrillic (the letters a
        # member types come from one keyboard layout).
        return word.translate(_AS_CYRILLIC)
    return word


@functools.cache
def _genuine(ch: str) -> bool:
    """A Cyrillic or Greek letter with no Latin look-alike: the word is written in that script."""
    return ch.isalpha() and unicodedata.name(ch, "").startswith(("CYRILLIC", "GREEK"))


def _disguises_letters(text: str) -> bool:
    """Look-alike letters stand in for Latin ones: inside a word with Latin letters ("pаypal"), or
    as whole words in a text not written in their script ("ѕсаm" among English words; "как" among
    Russian ones is Russian). Letters of Europe's alphabets (ß, ł, ø, đ, ı) are spelling."""
    words = _WORD.findall(text)
    in_script = any(_genuine(c) for word in words for c in word)
    table = _confusable_table()
    for word in words:
        stand_ins = any(
            not c.isascii() and c.isalpha() and not _is_cjk(c) and not 0xC0 <= ord(c) <= 0x17F
            and ord(c) in table
            for c in word
        )
        if stand_ins and (not in_script or any(c.isascii() and c.isalpha() for c in word)):
            return True
    return False


def fold_disguised_words(text: str) -> str:
    """Each word of Latin letters and their look-alikes read in Latin ("ΤΟΚΕΝ", "ѕсаm",
    "ᴡʜᴀᴛsᴀᴘᴘ"); a word with a letter only Cyrillic or Greek has stays as it is ("личку" is
    Russian, not "личky"; "sinθ" is maths)."""
    if text.isascii():
        return text
    return _WORD.sub(_fold_word, text)


# Letters set apart: "w e i x i n", "w.h.a.t.s.a.p.p", "b i t . l y / x", "h t t p s : / /".
_SPACED = _compile(r"(?:^|[^a-z0-9])((?:[a-z0-9][ \t\-_*|·•~+,.:/]{1,3}){2,}[a-z0-9])(?:$|[^a-z0-9])")
# Cyrillic set apart letter by letter ("п и ш и  в  л с"): joined before letters are read, or each
# letter alone would be taken for its Latin look-alike and the words lost. Four letters at least:
# Russian has one-letter words ("я", "в", "с"), never four in a row.
_SPACED_CYRILLIC = _compile(r"(?:^|[^\p{L}])((?:\p{Cyrillic}[ \t]{1,3}){3,}\p{Cyrillic})(?:$|[^\p{L}])")
_WORD_GAP = re.compile(r"[ \t]{2,}")
_SPACED_CUT = _compile(r"([ \t\-_*|·•~+,.:/]+)")
_SPACED_CJK = _compile(r"([\x{4E00}-\x{9FFF}])[ \t]+([\x{4E00}-\x{9FFF}])")
# A username or id set apart: "@ leo _ gems _ club".
_SPACED_HANDLE = _compile(
    r"@[ \t]+([a-z])|([a-z0-9])[ \t]+_[ \t]*([a-z0-9])|([a-z0-9])[ \t]*_[ \t]+([a-z0-9])"
)
_DEFANG = _compile(
    r"(?i)\s*(?:\[\s*(?:\.|dot|点|punto|ponto|point|nokta|titik|точка|نقطة)\s*\]|\(\s*(?:\.|dot|点|punto|ponto|point|nokta|kropka|punkt|점|쩜)\s*\)|\{\s*(?:\.|dot)\s*\}|<\s*(?:\.|dot)\s*>|"
    r"【\s*(?:\.|dot|点)\s*】|「\s*(?:\.|dot|点)\s*」)\s*"
)
_DOT_WORDS = (
    "dot", "点", "。", "．", "｡", "・", "점", "쩜", "punto", "ponto", "nokta", "titik", "точка", "نقطة"
)
_DOT_WORD = _compile(
    r"([a-z0-9])\s*(?:\bdot\b|点|。|．|｡|・|점|쩜|\bpunto\b|\bponto\b|\bnokta\b|\btitik\b|точка|نقطة)\s*([a-z0-9])"
)
# "Dot" in a language where it is an everyday word too ("Punkt", "point", "chấm", folded to
# "cham"): a dot only between a name with a letter in it and a host's end, and where the two
# words are common together ("point de vue", "good point net", "chấm cơm" folded to "cham com":
# rice and its dipping sauce) only after a name with a digit or a hyphen in it.
_SPELLED_DOT_WORDS = (
    "punkt", "kropka", "punt", "point", "pont", "tecka", "cham", "tuldok", "ドット", "จุด", "닷"
)
_SPELLED_DOT = _compile(
    r"\b([a-z0-9][a-z0-9\-]*)\s+(" + "|".join(_SPELLED_DOT_WORDS) + r")\s+"
    r"(com|net|org|info|biz|io|pl|nl|fr|be|ch|cz|hu|vn|ph|xyz|top|shop|site|online|club|vip|cc|uk|eu|de)\b"
)
_EVERYDAY_BEFORE = {
    "point": frozenset("net org info io nl fr be ch uk eu de shop site online club".split()),
    "cham": frozenset({"com"}),
    "punt": frozenset({"de"}),
}
# Russian spells a host's end and an address's "@" out: "точка ру" (folded to "py" as Latin
# look-alikes), "собака" ("dog", folded to "co6aka").
_RUSSIAN_DOT = _compile(r"([a-z0-9])\s*точка\s*(?:py|ру|ru)(?:$|[^a-z0-9\p{L}])")
_RUSSIAN_AT = _compile(r"([a-z0-9_.])?\s*(?:^|\s)(?:co6aka|собака)\s*([a-z0-9_])")
# A dot set apart inside a host ("shop . top", "shop .top") joins whatever follows; "shop. top"
# reads like a sentence's end and joins only a top-level domain no sentence starts with.
_TLD_AFTER_SENTENCE = (
    "com|org|cn|xyz|vip|cc|biz|icu|cyou|buzz|sbs|io"
)
_SPACED_DOT = _compile(
    r"([a-z0-9]+)[ \t]*[.][ \t]+(" + _TLD_AFTER_SENTENCE + r")\b"
    r"|([a-z0-9]+)[ \t]+[.][ \t]*([a-z]{2,10})\b"
)
# Words no host is named: "their .com renewal", "$10 for .com" speak of a top-level domain.
_NOT_A_HOST = frozenset({
    "a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "for", "of", "to", "in", "on",
    "at", "by", "from", "with", "and", "or", "is", "now", "per", "via", "as", "any", "no", "each",
    "every", "this", "that", "than", "like", "use", "uses", "used", "using", "not", "are", "be", "into",
})
_DOT_SIGNS = "·•○●⚫◯⭕◦∙‧⋅"
# A middle dot or a circle for a dot: "webtraffic24·shop", "kf888 ○ com" (a host if what
# follows is a top-level domain).
_MIDDLE_DOT = _compile(r"([a-z0-9])[ \t]*[" + _DOT_SIGNS + r"][ \t]*([a-z]{2,10})\b")
# A two-letter top-level domain spaced out after its dot: "shop.c n".
_SPACED_TLD = _compile(r"([a-z0-9])[ \t]*[.][ \t]*([a-z])[ \t]+([a-z])($|[^a-z])")
_TWO_LETTER_TLDS = frozenset(
    {"cn", "cc", "me", "io", "co", "tk", "ml", "gg", "ly", "tv", "to", "ai", "us", "ru"}
)
# A line that starts with ".tld" continues the host of the line before ("shop\n.top"); a line
# that ends with a dot is only a sentence's end.
# A host broken across lines after its dot or inside its name: "zhuanqian666.\ncom", "www.shop\n88.com".
_BROKEN_TLD = _compile(r"([a-z0-9])[.][ \t]*\n[ \t]*(" + _TLD_AFTER_SENTENCE + r")\b")
_BROKEN_WWW = _compile(r"(www\.[a-z0-9\-]+)[ \t]*\n[ \t]*([a-z0-9\-]+[.])")
_BROKEN_DOT = _compile(r"([a-z0-9])[ \t]*\n[ \t]*[.][ \t]*\n?[ \t]*([a-z]{2,10})\b")
# Telegram's link host pulled apart: "t me/name", "t.\nme/name".
_TME_APART = _compile(r"\bt[ \t]*(?:[.][ \t]*\n?|[ \t])[ \t]*me[ \t]*/")
# A slash written out between a host and its path: "t me slash name", "site.top slash vip".
_SLASH_WORD = _compile(r"([a-z0-9])[ \t]+slash[ \t]+([a-z0-9_+])")
# A path set apart from its host's slash, or carried to the next line ("t.me / name").
_BROKEN_PATH = _compile(r"([a-z0-9][.][a-z]{2,10})[ \t]*/[ \t]*\n?[ \t]*(\+?)[ \t]*([a-z0-9_])")
# Digits written as Chinese numerals (一三八…, 壹叁捌…, 幺 for one): a run as long as a phone
# or QQ number is one; shorter runs are ordinary words (九九八十一).
_CN_NUMERALS = "零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖幺两参洞拐勾"
_CN_RUN = _compile("[" + _CN_NUMERALS + "](?:[ \\-]?[" + _CN_NUMERALS + "]){6,}")
_CN_NUMERAL = re.compile("[" + _CN_NUMERALS + "]")
_CN_DIGIT = str.maketrans(_CN_NUMERALS, "00123456789123456789" + "123" + "079")
# Korean digit syllables (공일공 구팔칠 …): seven and more in a row are a number.
_KO_NUMERALS = "공영일이삼사오육칠팔구"
_KO_RUN = _compile("[" + _KO_NUMERALS + "](?:[ \\-]?[" + _KO_NUMERALS + "]){6,}")
_KO_DIGIT = str.maketrans(_KO_NUMERALS, "00123456789")
# Two to eight Chinese numerals right after Latin letters or digits, with no Chinese after them: the
# tail of an id or a host written not to be read ("V: yan 一 一 零", "hg 八 八 ⚫ net").
_GLUED_NUMERALS = _compile(
    "([A-Za-z0-9_])[ \t]*([" + _CN_NUMERALS + "](?:[ \t]*[" + _CN_NUMERALS + "]){1,7})"
    "([ \t]*(?:[^\\x{4E00}-\\x{9FFF}\\s]|点|$))"
)
# LINE with a sign for its "i": "L!NE", "l|ne".
_LEET_LINE = re.compile(r"\bl[!|]ne\b")
# A host written backwards ("moc.toptradepro//:sptth"): read the right way round.
# From the start of a word: "rakuten.co.jp" holds "ten.co.jp", which is no host turned round.
_REVERSED_HOST = _compile(
    r"(^|[^a-z0-9.\-/])((?:[a-z0-9\-]+/+)*(?:moc|ten|gro|ofni|zyx|pot|piv|ppa|ei|nc|ku|em)\.[a-z0-9\-]+"
    r"(?:\.[a-z0-9\-]+)*(?://:s?ptth)?)"
)
# Text written down the screen, one character a line ("t\n.\nm\ne\n/\nx"): one line again.
_VERTICAL = _compile(r"(?:^|\n)((?:[^\s]\n){3,}[^\s])(?:\n|$)")
_HXXP = _compile(r"\bh[x*]{2}p(s?)(?:://|\[:\]//)")
_SLASHES = _compile(r"([a-z])\s*(?:\[:\]|:)\s*/\s*/\s*")
# Nearly every text has something to drop here: the standard library's engine, cheaper per call
# (a plain class is linear in any engine).
_NON_COMPACT = re.compile("[^a-z0-9\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
# Emoji and dingbats set between two letters ("微❤信", "V💕X"): decoration inside a word; or
# between two single letters set apart ("v ❤ x"), an abbreviation spelled out. (Digits set
# apart by emoji are a number cut into pieces: _SPLIT_NUMBER.)
_DECORATED = _compile(r"([\p{L}\p{N}])[\p{So}\p{Sk}]+([\p{L}\p{N}])")
# (A letter with a vowel sign after it is no letter alone: "লোন 💳 মাত্র" is two Bengali words.)
_DECORATED_PAIR = _compile(
    r"(^|[^\p{L}\p{N}\p{M}])(\p{L})\s*[\p{So}\p{Sk}]+\s*(\p{L})($|[^\p{L}\p{N}\p{M}])"
)
# Digits NFKC leaves alone: dingbats (❶-❿, ➀-➉, ➊-➓, ⓵-⓾, ⓿) and the decimal digits of
# other scripts (Arabic-Indic ٣, Devanagari ३, Thai ๓, ...), read as ASCII digits.
_DINGBAT_DIGITS = {
    start + i: str((i + 1) % 10) for start in (0x2776, 0x2780, 0x278A, 0x24F5) for i in range(10)
} | {0x24FF: "0"}
_SCRIPT_DIGITS = {
    code: str(unicodedata.decimal(chr(code)))
    for code in range(0x0660, 0x10000)
    if unicodedata.category(chr(code)) == "Nd" and not 0xFF10 <= code <= 0xFF19
}
# Regional indicator letters (🇹 🇪 🇱, the halves of flags) and the negative circled and squared
# letters NFKC leaves (🅐, 🅻 🅾 🅰 🅽) read as the letters they are.
_REGIONAL_LETTERS = {0x1F1E6 + i: chr(ord("a") + i) for i in range(26)}
_BOXED_LETTERS = {start + i: chr(ord("a") + i) for start in (0x1F150, 0x1F170) for i in range(26)}
# Small capitals ("ᴀɪʀᴅʀᴏᴘ ʟɪᴠᴇ", "ꜰʀᴇᴇ"), which neither NFKC nor the confusables data read as Latin.
_SMALL_CAPS = dict(zip(
    map(ord, "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ"), "abcdefghijklmnopqrstuvwyz", strict=True
))
_BOXED_LETTER = re.compile("[\U0001F150-\U0001F169\U0001F170-\U0001F189ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ]")
# Hyphens and plus signs that are not ASCII's (NFKC keeps them): one of each for ids and hosts.
# Arabic's tatweel only stretches a word ("تـوظـيـف"): gone, the word reads as written.
_SIGNS = {0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2212: "-", 0xFE63: "-", 0x2795: "+", 0xFE62: "+",
          0x0640: None}
# Everything NFKC leaves that a reader takes for a plain character: one table, one pass.
# Emoji standing for a messenger by the nickname they draw: a satellite for 卫星 (WeChat), QQ's penguin.
_MESSENGER_EMOJI = {0x1F6F0: "卫星", 0x1F427: "企鹅"}
_PLAIN_FORMS = (
    _DINGBAT_DIGITS | _SCRIPT_DIGITS | _REGIONAL_LETTERS | _BOXED_LETTERS | _SMALL_CAPS | _SIGNS
    | _MESSENGER_EMOJI
)
# Digits dressed up (circled, negative, keycap, another script's, mathematical): seven of them
# are a number someone did not want read. (Full-width digits are how many Chinese keyboards
# type, and NFKC reads them.)
_STYLED_DIGITS = frozenset(
    [*_DINGBAT_DIGITS, *_SCRIPT_DIGITS, *range(0x2460, 0x2469), 0x24EA, *range(0x2488, 0x249C)]
    + [*range(0x1D7CE, 0x1D800)]
)
_STYLED_DIGIT = re.compile("[" + "".join(map(chr, sorted(_STYLED_DIGITS))) + "]")
# The letters of each script that writes digits of its own (Arabic's block holds both its
# digit sets; the Indic, Thai, Lao, Tibetan, Myanmar and Khmer blocks are 128 wide).
_SCRIPT_BLOCKS = {
    start: re.compile(f"[{chr(start)}-{chr(start + size - 1)}]")
    for start, size in ((0x0600, 256), *((s, 128) for s in range(0x0900, 0x1000, 0x80)), (0x1000, 160),
                        (0x1780, 128))
}


def _native_digits(styled: list[str], text: str) -> int:
    """How many of the dressed-up digits are the script's own, in text that writes its letters."""
    native = 0
    for start, letters in _SCRIPT_BLOCKS.items():
        own = [d for d in styled if _block_of(ord(d)) == start]
        if own and any(not c.isdigit() for c in letters.findall(text)):
            native += len(own)
    return native


def _block_of(code: int) -> int:
    if 0x0600 <= code < 0x0700:
        return 0x0600
    if 0x1000 <= code < 0x10A0:
        return 0x1000
    return code & ~0x7F
# Digits spelled out, seven in a row, figures among them or not: "zero-nine-three-five,
# one-one-two", "8 two 3 four 5 six 7"; in Malay and Indonesian ("kosong satu dua") and in
# Vietnamese, its marks stripped ("khong chin tam"); in Spanish and Portuguese ("tres uno cinco"),
# German, French and Italian ("null eins fünf sieben"), Czech, Swedish and Dutch; Hausa ("sifili
# takwas, daya biyu").
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "kosong": "0", "nol": "0", "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5",
    "enam": "6", "tujuh": "7", "lapan": "8", "delapan": "8", "sembilan": "9",
    "khong": "0", "mot": "1", "hai": "2", "ba": "3", "bon": "4", "nam": "5", "sau": "6", "bay": "7",
    "tam": "8", "chin": "9",
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
    "siete": "7", "ocho": "8", "nueve": "9", "um": "1", "dois": "2", "quatro": "4", "sete": "7",
    "oito": "8", "nove": "9",
    "null": "0", "eins": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5", "funf": "5",
    "sechs": "6", "sieben": "7", "acht": "8", "neun": "9",
    "zéro": "0", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7", "huit": "8",
    "neuf": "9", "due": "2", "tre": "3", "quattro": "4", "cinque": "5", "sei": "6", "sette": "7",
    "otto": "8",
    "sifir": "0", "bir": "1", "iki": "2", "uc": "3", "dort": "4", "bes": "5", "alti": "6", "yedi": "7",
    "sekiz": "8", "dokuz": "9",
    "jeden": "1", "dwa": "2", "trzy": "3", "cztery": "4", "piec": "5", "szesc": "6", "siedem": "7",
    "osiem": "8", "dziewiec": "9",
    "sifuri": "0", "moja": "1", "mbili": "2", "tatu": "3", "nne": "4", "tano": "5", "sita": "6",
    "saba": "7", "nane": "8", "tisa": "9",
    "nula": "0", "jedna": "1", "dva": "2", "tri": "3", "ctyri": "4", "pet": "5", "sest": "6", "sedm": "7",
    "osm": "8", "devet": "9",
    "noll": "0", "ett": "1", "tva": "2", "fyra": "4", "fem": "5", "sex": "6", "sju": "7", "atta": "8",
    "nio": "9",
    "unu": "1", "doi": "2", "trei": "3", "patru": "4", "cinci": "5", "sase": "6", "sapte": "7",
    "noua": "9", "nulla": "0", "egy": "1", "ketto": "2", "harom": "3", "negy": "4", "het": "7",
    "nyolc": "8", "kilenc": "9",
    "nul": "0", "een": "1", "twee": "2", "drie": "3", "vijf": "5", "zes": "6", "zeven": "7", "negen": "9",
    "sifili": "0", "daya": "1", "biyu": "2", "uku": "3", "hudu": "4", "biyar": "5", "shida": "6",
    "bakwai": "7", "takwas": "8", "tara": "9",
}
# The same in scripts whose words RE2's ASCII word boundaries cannot find: Hindi, Bengali, Urdu,
# Arabic ("शून्य नौ आठ …", "صفر تین …"), Amharic with its own comma ("ዜሮ ዘጠኝ አንድ፣ …"), Tamil.
_SCRIPT_DIGIT_WORDS = {
    "शून्य": "0", "एक": "1", "दो": "2", "तीन": "3", "चार": "4", "पांच": "5", "पाँच": "5", "छह": "6",
    "छः": "6", "सात": "7", "आठ": "8", "नौ": "9",
    "শূন্য": "0", "এক": "1", "দুই": "2", "তিন": "3", "চার": "4", "পাঁচ": "5", "ছয়": "6", "সাত": "7",
    "আট": "8", "নয়": "9",
    "صفر": "0", "ایک": "1", "دو": "2", "تین": "3", "چار": "4", "پانچ": "5", "چھ": "6", "سات": "7",
    "آٹھ": "8", "نو": "9",
    "واحد": "1", "اثنين": "2", "اثنان": "2", "ثلاثة": "3", "أربعة": "4", "خمسة": "5", "ستة": "6",
    "سبعة": "7", "ثمانية": "8", "تسعة": "9",
    "μηδεν": "0", "ενα": "1", "δυο": "2", "τρια": "3", "τεσσερα": "4", "πεντε": "5", "εξι": "6",
    "επτα": "7", "εφτα": "7", "οκτω": "8", "οχτω": "8", "εννεα": "9", "εννια": "9",
    "ноль": "0", "нуль": "0", "один": "1", "два": "2", "дві": "2", "три": "3", "четыре": "4", "чотири": "4",
    "пять": "5", "п'ять": "5", "шесть": "6", "шість": "6", "семь": "7", "сім": "7", "восемь": "8",
    "вісім": "8", "девять": "9", "дев'ять": "9",
    "ዜሮ": "0", "አንድ": "1", "ሁለት": "2", "ሶስት": "3", "ሦስት": "3", "አራት": "4", "አምስት": "5", "ስድስት": "6",
    "ሰባት": "7", "ስምንት": "8", "ዘጠኝ": "9",
    "பூஜ்யம்": "0", "பூஜ்ஜியம்": "0", "ஒன்று": "1", "இரண்டு": "2", "மூன்று": "3", "நான்கு": "4",
    "ஐந்து": "5", "ஆறு": "6", "ஏழு": "7", "எட்டு": "8", "ஒன்பது": "9",
}
_SCRIPT_WORD_DIGIT = "(?:" + "|".join(sorted(_SCRIPT_DIGIT_WORDS, key=len, reverse=True)) + ")"
_SPELLED_SCRIPT_NUMBER = _compile(
    r"(^|[\s,،፣\-–—/:])((?:[0-9]|" + _SCRIPT_WORD_DIGIT + r")(?:[\s,،፣\-–—/]+(?:[0-9]|"
    + _SCRIPT_WORD_DIGIT + r")){6,})($|[\s,،፣\-–—/.।።])"
)
_WORD_DIGIT = "(?:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + ")"
_SPELLED_NUMBER = _compile(
    r"(?i)\b(?:[0-9]|" + _WORD_DIGIT + r")(?:[\s,\-–—/]+(?:[0-9]|" + _WORD_DIGIT + r")\b){6,}"
)
_DIGIT_WORD = re.compile(r"(?i)\b" + _WORD_DIGIT + r"\b")
# Which words to look for before the pattern runs: a set lookup per word of the message
# against an alternation of 147 words tried at every position (23 µs a message). The letters
# the pattern's case folding maps to these words' but ``lower`` does not, mapped first.
_DIGIT_WORD_SET = frozenset(_DIGIT_WORDS)
_ODD_CASE = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})


def _has_digit_word(text: str) -> bool:
    words = _WORD.findall(text.translate(_ODD_CASE).lower())
    return not _DIGIT_WORD_SET.isdisjoint(words) and _DIGIT_WORD.search(text) is not None
# A letter standing for a digit inside a number: "9l7 555", "+971 5O 123".
_LETTER_DIGIT = _compile(r"([0-9])([olI])([0-9])|([0-9])O([0-9 ])")
# A number cut into pieces so no pattern reads it: "1 5 7 - 2 2 3 3", "159 ● 8866 ● 2134",
# "一五九 ● 八八六六". Pieces of digits (or Chinese numerals) joined by spaces, symbols or emoji.
_PIECE = "[0-9" + _CN_NUMERALS + "]+"
_SPLIT_NUMBER = _compile(
    _PIECE + r"(?:[\s\p{P}\p{S}]{1,3}" + _PIECE + "){2,}"
)
_DATE_LIKE = "-./:,–—~、"
_OPERATORS = frozenset("×÷=*^()≈<>%")
_DAY_WORDS = ("周", "星期", "礼拜", "週", "禮拜")
# Measure words after a Chinese numeral make it a count: 一个月, 两次, 三位.
_MEASURE_WORDS = frozenset("个個次天年月位只张本件台块元岁周週小点号楼层")
_CURRENCY = frozenset("$¥€£₹₩₽")
_ADDRESS = _compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}")


class Normalized:
    """The views of one text the signals read."""

    __slots__ = ("compact", "evasions", "original", "text")

    def __init__(self, original: str, text: str, compact: str, evasions: tuple[str, ...]) -> None:
        self.original = original
        self.text = text
        self.compact = compact
        self.evasions = evasions


_EMOJI_GLUE = frozenset("\u200d\ufe0e\ufe0f")
# Character classes the normaliser looks for or counts: one scan instead of a loop in Python
# (a plain class is linear in the standard library's engine too, and it costs less per call).
_MARK_OR_FORMAT = _compile(r"[\p{Cf}\p{Mn}\p{Me}\x{FE00}-\x{FE0F}\x{E0100}-\x{E01EF}]")
_FULLWIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\U0001d400-\U0001d7ff\u24b6-\u24e9]")
_ASCII_DIGIT = re.compile("[0-9]")


def _strip_marks(text: str) -> tuple[str, int, int]:
    """Format characters (Cf: zero-width, bidi, joiners) and combining marks removed; how many
    of each there were."""
    if text.isascii() or not _MARK_OR_FORMAT.search(unicodedata.normalize("NFD", text)):
        return text, 0, 0
    out: list[str] = []
    formats = marks = stacked = 0
    for ch in unicodedata.normalize("NFD", text):
        category = unicodedata.category(ch)
        if category == "Cf" or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF:
            # A joiner or variation selector after a symbol builds an emoji (☀️, 🤦‍♂️);
            # anywhere else, and any other format character, it hides something.
            emoji_part = ch in _EMOJI_GLUE and out and unicodedata.category(out[-1]) in ("So", "Sk")
            # Persian and the Indic scripts spell with the non-joiner ("سرمایه‌گذاری").
            spelling = ch in "\u200c\u200d" and out and 0x0600 <= ord(out[-1]) <= 0x0DFF
            formats += not (emoji_part or spelling)
            continue
        if category in ("Mn", "Me"):
            # Kana voicing marks, Thai vowels, Indic and Arabic signs belong to their letter and
            # stay. On Latin letters an accent or two is spelling (Vietnamese "ệ" has two), taken
            # off so words match; a strike-through, an underline or a third mark stacked on one
            # letter is a disguise ("zalgo").
            if out and (_is_cjk(out[-1]) or 0x0590 <= ord(out[-1]) <= 0x0EFF):
                out.append(ch)
                continue
            stacked += 1
            marks += stacked >= 3 or 0x0332 <= ord(ch) <= 0x0338
            continue
        stacked = 0
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), formats, marks


def _join_spaced(match: Any) -> str:
    """The characters of a spaced-out run joined. Colons and slashes stay, and a dot set apart
    in a spaced-out run (``b i t . l y`` is ``bit.ly``); dots alone go (``w.h.a.t.s``);
    digits cut by dots alone (``1.2.3``, a version or an address) stay as they are."""
    whole = match.group(0)
    inner = match.group(1)
    parts = _SPACED_CUT.split(inner)
    chars, cuts = parts[0::2], parts[1::2]
    if all(c.isdigit() for c in chars) and not any(any(x.isspace() for x in cut) for cut in cuts):
        return whole
    # A dot is the host's when the run is spaced or cut by other signs ("e-s-s-a-y.n-e-t"); dots
    # alone between letters go ("w.h.a.t.s").
    spaced = any(" " in cut or cut.strip(".") for cut in cuts)
    kept = ["".join(x for x in cut if x in ":/" or x == "." and spaced) for cut in cuts]
    # A wider gap between spaced letters is a gap between words: "d m  m e" is "dm me".
    kept = [
        k or (" " if "  " in cut and cut.isspace() else "") for k, cut in zip(kept, cuts, strict=True)
    ]
    joined = chars[0] + "".join(k + c for k, c in zip(kept, chars[1:], strict=True))
    return whole.replace(inner, joined, 1)


def _join_cyrillic(match: Any) -> str:
    """A wider gap between the letters is a gap between words, as in ``_join_spaced``."""
    whole, inner = match.group(0), match.group(1)
    joined = " ".join("".join(word.split()) for word in _WORD_GAP.split(inner))
    return whole.replace(inner, joined, 1)


def _join_tld(match: re2._Match) -> str:
    tld = match.group(2) + match.group(3)
    return match.group(1) + "." + tld + match.group(4) if tld in _TWO_LETTER_TLDS else match.group(0)


def _join_handle(match: re2._Match) -> str:
    if match.group(1):
        return "@" + match.group(1)
    if match.group(2):
        return match.group(2) + "_" + match.group(3)
    return match.group(4) + "_" + match.group(5)


def _letter_digit(match: re2._Match) -> str:
    if match.group(1):
        return match.group(1) + ("0" if match.group(2) == "o" else "1") + match.group(3)
    return match.group(4) + "0" + match.group(5)


def _spelled_digits(match: re2._Match) -> str:
    """Seven digits or more, some spelled ("8 two 3 four"); all in figures is left alone."""
    words = re2.split(r"[\s,\-–—/]+", match.group(0).casefold())
    if all(w.isdigit() for w in words):
        return match.group(0)
    return "".join(_DIGIT_WORDS.get(w, w) for w in words)


def _spelled_script_digits(match: re2._Match) -> str:
    words = re2.split(r"[\s,،\-–—/]+", match.group(2))
    return match.group(1) + "".join(_SCRIPT_DIGIT_WORDS.get(w, w) for w in words) + match.group(3)


def _digits(match: re2._Match) -> str:
    return "".join(c for c in match.group(0).translate(_CN_DIGIT) if c.isdigit())


def _ko_digits(match: re2._Match) -> str:
    return "".join(c for c in match.group(0).translate(_KO_DIGIT) if c.isdigit())


def _one_line(match: re2._Match) -> str:
    return " " + match.group(1).replace("\n", "") + " "


def _reversed_host(match: re2._Match) -> str:
    before, found = match.group(1), match.group(2)
    turned = found[::-1]
    # Only a reversed host reads as a host the right way round (what ends in "moc." now ends in ".com").
    return before + (turned if found.startswith(("moc.", "ten.", "gro.")) or "//:" in found else found)


def _glued_digits(match: re2._Match) -> str:
    numerals = "".join(match.group(2).split())
    return match.group(1) + numerals.translate(_CN_DIGIT) + match.group(3)


def _join_number(match: re2._Match) -> str:
    """A number cut into pieces joined, when it is one (seven digits or more): cut by symbols or
    emoji (``159 ● 8866``), or digit by digit whatever cuts them (``5 3 7 8 - 2 9 0 4``: eight
    digits or more, all single but one; a list of small numbers is no phone). Phone
    numbers grouped as usual (``139 1234 5678``, read as they are), dates, times, versions and
    addresses (``2024-05-17 16:00``, ``10.0.0.1``) stay."""
    whole, text = match.group(0), match.string
    # A day's numeral before ("周二 7:00-8:30" is Tuesday at seven) or a count after ("12:00，一个月"
    # is a month) is no digit of the number: the rest is judged without it.
    head = whole[0] if whole[0] in _CN_NUMERALS and text[: match.start()].endswith(_DAY_WORDS) else ""
    tail = ""
    if whole[-1] in _CN_NUMERALS:
        run, after = whole[len(whole.rstrip(_CN_NUMERALS)) :], text[match.end() : match.end() + 1]
        # A count, or a lone numeral opening a word after the number's last cut ("单号 SF1428 8763
        # 0291，一直显示在途": 一直 is "all along").
        if after in _MEASURE_WORDS or (len(run) == 1 and after and _is_cjk(after)):
            tail = run
    if (head or tail) and len(head) + len(tail) < len(whole):
        middle = whole[len(head) : len(whole) - len(tail)]
        core = middle.strip()
        lead, trail = middle[: len(middle) - len(middle.lstrip())], middle[len(middle.rstrip()) :]
        return head + lead + _SPLIT_NUMBER.sub(_join_number, core) + trail + tail
    pieces = [p for p in re2.split(r"[^0-9]+", whole.translate(_CN_DIGIT)) if p]
    digits = "".join(pieces)
    if len(digits) < 7 or _ADDRESS.search(whole) and any(len(p) > 1 for p in pieces):
        return whole
    if any(p != q for p, q in zip(whole.split(), whole.translate(_CN_DIGIT).split(), strict=True)) and any(
        c.isdigit() for c in whole
    ):
        return digits  # digits and Chinese numerals mixed in one number: written not to be read
    if not any(c.isdigit() for c in whole) and all(len(p) >= 3 for p in pieces):
        return digits  # all in Chinese numerals, in groups as a phone number is: 零五三一 - 八八六六
    cuts = {c for c in whole if not c.isdigit() and c not in _CN_NUMERALS}
    if cuts & _OPERATORS:
        return whole  # arithmetic: "9.8×(0.5 - 0.2×0.866)"
    if cuts & _CURRENCY:
        return whole  # prices: "$2,400-$2,800"
    if cuts & _ARROWS and _progression(re2.split(_ARROW_CUT, whole)):
        return whole  # decimals and versions changing: "6.25 → 3.125 BTC", "1.2.3 -> 1.2.4", "100→200→400"
    if cuts <= _LIST_CUTS and max(map(len, pieces)) <= 2 and _rising([int(p) for p in pieces]):
        return whole  # a list: "3、6、8、12、18、24 月龄"
    spaces = {c for c in cuts if c.isspace()}
    if cuts - spaces - set(_DATE_LIKE):
        return digits
    if len(pieces) >= 5 and sum(len(p) > 1 for p in pieces) <= 1 and len(digits) >= 8:
        return digits
    return whole


_LIST_CUTS = frozenset("、,，;； ")
_ARROWS = frozenset("→⇒⟶➔➜➡>")
_ARROW_CUT = "[→⇒⟶➔➜➡]|-?>"


def _decimal(text: str) -> bool:
    """``text`` is a decimal or a version: "6.25", "1.2.3"."""
    parts = text.strip().replace(",", ".").split(".")
    return len(parts) > 1 and all(p.isdigit() for p in parts)


def _progression(parts: list[str]) -> bool:
    """Numbers an arrow leads through: decimals, versions or fractions ("1/60→1/125"), or three
    whole numbers and more a step apart or a factor apart ("100→200→400"); pieces of a phone number
    ("138→1234→5678") are neither."""
    parts = [p.strip() for p in parts]
    if all(_decimal(p) or _fraction(p) for p in parts):
        return True
    if len(parts) < 3 or not all(p.isdigit() and p[0] != "0" for p in parts):
        return False
    values = [int(p) for p in parts]
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    factors = {b / a for a, b in zip(values, values[1:], strict=False)}
    return len(steps) == 1 or len(factors) == 1


def _fraction(text: str) -> bool:
    top, slash, bottom = text.partition("/")
    return bool(slash) and top.isdigit() and bottom.isdigit()


def _rising(values: list[int]) -> bool:
    return all(a < b for a, b in zip(values, values[1:], strict=False))


# French inclusive writing's endings after its middle dot ("vendeur·se", "étudiant·es"): no host.
_INCLUSIVE_ENDINGS = frozenset(
    {"es", "se", "ses", "ne", "nes", "le", "les", "te", "tes", "ve", "ves", "rice", "rices", "euse", "euses",
     "trice", "trices", "ere", "eres", "ice", "ices"}
)


def _dot_sign(match: re2._Match) -> str:
    if match.group(2) in _INCLUSIVE_ENDINGS and match.string[match.start(2) - 1] == "·":
        return match.group(0)
    return f"{match.group(1)}.{match.group(2)}"


def _join_dot(match: re2._Match) -> str:
    word, tld = match.group(1) or match.group(3), match.group(2) or match.group(4)
    return match.group(0) if word in _NOT_A_HOST else f"{word}.{tld}"


def _spelled_dot(match: re2._Match) -> str:
    name, word, tld = match.group(1), match.group(2), match.group(3)
    marked = any(c.isdigit() or c == "-" for c in name)
    everyday = tld in _EVERYDAY_BEFORE.get(word, ())
    if name in _NOT_A_HOST or not any(c.isalpha() for c in name) or (everyday and not marked):
        return match.group(0)
    return f"{name}.{tld}"


def _russian_at(match: re2._Match) -> str:
    before, after = match.group(1), match.group(2)
    return f"{before}@{after}" if before else f" @{after}"  # an address, or a username


def _dots(text: str) -> str:
    """Dots written out or set apart inside a host put back: ``a 点 b``, ``a . b``, ``a\n.b``."""
    if "точка" in text:
        text = _RUSSIAN_DOT.sub(r"\1.ru ", text)
    if "co6aka" in text or "собака" in text:
        text = _RUSSIAN_AT.sub(_russian_at, text)
    if any(word in text for word in _DOT_WORDS):
        text = _DOT_WORD.sub(r"\1.\2", text)
    if any(word in text for word in _SPELLED_DOT_WORDS):
        text = _SPELLED_DOT.sub(_spelled_dot, text)
    if "." in text:
        text = _SPACED_DOT.sub(_join_dot, _SPACED_DOT.sub(_join_dot, text))  # "a . web . app"
        text = _BROKEN_DOT.sub(r"\1.\2", text)
        if "\n" in text:
            text = _BROKEN_WWW.sub(r"\1\2", _BROKEN_TLD.sub(r"\1.\2", text))
    if any(sign in text for sign in _DOT_SIGNS):
        text = _MIDDLE_DOT.sub(_dot_sign, _MIDDLE_DOT.sub(_dot_sign, text))  # overlapping: "a‧b‧shop"
    if "me" in text:
        text = _TME_APART.sub("t.me/", text)
    if "/" in text:
        text = _BROKEN_PATH.sub(r"\1/\2\3", text)
    return text


# The last text normalised and its views: the ads plugin reads a message's @names before it
# judges the message, and both start from the same views.
_last_normalized: list[Any] = [None, None]


def normalize(text: str) -> Normalized:
    if _last_normalized[0] == text:
        return _last_normalized[1]
    normalized = _normalize(text)
    _last_normalized[0], _last_normalized[1] = text, normalized
    return normalized


def _normalize(text: str) -> Normalized:
    evasions: list[str] = []
    if not text.isascii() and len(styled := _STYLED_DIGIT.findall(text)) + text.count("\u20e3") >= 7:
        # A script's own digits in text written in it (Urdu, Bengali, Thai) are its writing.
        if len(styled) - _native_digits(styled, text) + text.count("\u20e3") >= 7:
            evasions.append("styled_digits")
    nfkc = simplified(unicodedata.normalize("NFKC", text)).translate(_PLAIN_FORMS)
    if nfkc != text and _FULLWIDTH.search(text):
        evasions.append("fullwidth")
    if not text.isascii() and _BOXED_LETTER.search(text):
        evasions.append("decorated")
    stripped, formats, marks = _strip_marks(nfkc)
    if formats:
        evasions.append("invisible")
    if marks >= 3:
        evasions.append("marks")
    # Each pattern runs only on text holding what it needs (most chat holds none of it).
    undecorated = stripped
    if not stripped.isascii() or "^" in stripped or "`" in stripped:
        undecorated = _DECORATED_PAIR.sub(r"\1\2\3\4", _DECORATED.sub(r"\1\2", stripped))
    if undecorated != stripped:
        evasions.append("decorated")
    if not undecorated.isascii() and _SPACED_CYRILLIC.search(undecorated):
        for _ in range(2):  # a run's last letter may begin the next: bounded
            undecorated = _SPACED_CYRILLIC.sub(_join_cyrillic, undecorated)
        evasions.append("spaced")  # (named again if Latin letters are set apart too: weighed once)
    folded = fold_disguised_words(undecorated)
    if folded != undecorated and any(c.isascii() and c.isalpha() for c in undecorated):
        # Look-alike letters mixed into Latin text (not a Greek formula on its own).
        if _disguises_letters(undecorated):
            evasions.append("homoglyph")
    numerals = folded
    if any(c.isdigit() for c in folded):
        numerals = _LETTER_DIGIT.sub(_letter_digit, _LETTER_DIGIT.sub(_letter_digit, folded))
    if _has_digit_word(folded):
        words = _SPELLED_NUMBER.sub(_spelled_digits, numerals)
        if words != numerals:
            evasions.append("numerals")
            numerals = words
    if not numerals.isascii() and _SPELLED_SCRIPT_NUMBER.search(numerals):
        numerals = _SPELLED_SCRIPT_NUMBER.sub(_spelled_script_digits, numerals)
        if "numerals" not in evasions:
            evasions.append("numerals")
    spelled = len(_CN_NUMERAL.findall(numerals)) if not numerals.isascii() else 0
    if spelled >= 7:
        before, numerals = numerals, _CN_RUN.sub(_digits, numerals)
        if numerals != before and "numerals" not in evasions:
            evasions.append("numerals")
    if not numerals.isascii() and _KO_RUN.search(numerals):
        numerals = _KO_RUN.sub(_ko_digits, numerals)
        if "numerals" not in evasions:
            evasions.append("numerals")
    if spelled:
        glued = _GLUED_NUMERALS.sub(_glued_digits, numerals)
        if glued != numerals:
            evasions.append("glued_numerals")
            numerals = glued
    if spelled + len(_ASCII_DIGIT.findall(numerals)) >= 7:
        joined_number = _SPLIT_NUMBER.sub(_join_number, numerals)
        if joined_number != numerals:
            evasions.append("split_number")
            numerals = joined_number
    if "\n" in numerals:
        vertical = _VERTICAL.sub(_one_line, numerals)
        if vertical != numerals:
            evasions.append("spaced")
            numerals = vertical
    lower = numerals.casefold()
    if "moc." in lower or "ten." in lower or "//:" in lower or "gro." in lower:
        backwards = _REVERSED_HOST.sub(_reversed_host, lower)
        if backwards != lower:
            evasions.append("reversed")
            lower = backwards
    if ("!" in lower or "|" in lower) and _LEET_LINE.search(lower):
        lower = _LEET_LINE.sub("line", lower)
        evasions.append("decorated")
    defanged = lower
    if "[" in lower or "(" in lower or "{" in lower or "<" in lower or "【" in lower or "「" in lower:
        defanged = _DEFANG.sub(".", defanged)
    if "xx" in lower or "**" in lower:
        defanged = _HXXP.sub(r"http\1://", defanged)
    if "slash" in lower:
        defanged = _SLASH_WORD.sub(r"\1/\2", defanged)
    if "/" in lower:
        defanged = _SLASHES.sub(r"\1://", defanged)
    if defanged != lower:
        evasions.append("defanged")
    dotted = _dots(defanged)
    if dotted != defanged and "defanged" not in evasions:
        evasions.append("defanged")
    joined = dotted
    for _ in range(3):  # overlapping runs: bounded
        again = _SPACED.sub(_join_spaced, joined)
        if again == joined:
            break
        joined = again
    if joined != dotted:
        evasions.append("spaced")
        # Letters spaced out around a dot ("w i n 8 8 8 . t o p") meet their dot only now.
        joined = _dots(_SLASHES.sub(r"\1://", joined))
    if "." in joined:
        joined = _SPACED_TLD.sub(_join_tld, joined)
    if not joined.isascii():
        # Chinese set apart character by character: "兼 职 刷 单".
        closed = _SPACED_CJK.sub(r"\1\2", joined)
        if closed != joined:  # overlapping pairs ("兼 职 刷") need a second pass
            closed = _SPACED_CJK.sub(r"\1\2", closed)
        # Words set apart are how many write Chinese (台北 公館 附近); characters one by one are not.
        if len(joined) - len(closed) >= 3 and "spaced" not in evasions and _single_characters(joined) >= 3:
            evasions.append("spaced")
        joined = closed
    if "_" in joined or "@" in joined:
        joined = _SPACED_HANDLE.sub(_join_handle, joined)
    flat = " ".join(joined.split())
    return Normalized(text, flat, compact_of(flat), tuple(evasions))


def _single_characters(text: str) -> int:
    return sum(1 for word in text.split() if len(word) == 1 and _is_cjk(word))


def compact_of(text: str) -> str:
    """Only the letters, digits and CJK characters of normalised text."""
    return _NON_COMPACT.sub("", text)
