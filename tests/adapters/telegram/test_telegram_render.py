"""Rendering outgoing messages as Telegram HTML, splitting, and inline keyboards."""

from __future__ import annotations

import html
import re

import pytest

from bot.adapters.telegram.render import inline_keyboard, render_html, split_html
from bot.message import Bold, Button, Image, Link, Mention, Outgoing, Text
from bot.testing.fake_telegram import parse_html

HOSTILE = '</b><a href="x">y</a>_*[ & <i>'


def utf16_units(text: str) -> int:
    """Counted here independently of the code under test."""
    return len(text.encode("utf-16-le")) // 2


def visible(fragment: str) -> str:
    """What Telegram shows for an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def telegram_parse(fragment: str) -> tuple[str, list[dict]]:
    """Parse like Telegram's HTML mode (the fake's strict parser): raises on bad HTML."""
    return parse_html(fragment)


def test_hostile_user_name_is_rendered_literally():
    out = Outgoing((Text("Hi "), Mention("42", HOSTILE, notify=True), Text(", "), Bold(HOSTILE)))
    rendered = render_html(out)
    assert rendered == (
        'Hi <a href="tg://user?id=42">&lt;/b&gt;&lt;a href="x"&gt;y&lt;/a&gt;_*[ &amp; &lt;i&gt;</a>'
        ', <b>&lt;/b&gt;&lt;a href="x"&gt;y&lt;/a&gt;_*[ &amp; &lt;i&gt;</b>'
    )
    text, entities = telegram_parse(rendered)
    assert text == f"Hi {HOSTILE}, {HOSTILE}"
    assert [e["type"] for e in entities] == ["text_mention", "bold"]


def test_silent_mention_is_a_name_without_link():
    assert render_html(Outgoing((Mention("42", "<Ann>"),))) == "@&lt;Ann&gt;"


def test_link_url_is_attribute_escaped():
    out = Outgoing((Link('https://x.org/?a="1"&b=<2>', "see <this>"),))
    rendered = render_html(out)
    assert (
        rendered == '<a href="https://x.org/?a=&quot;1&quot;&amp;b=&lt;2&gt;">see &lt;this&gt;</a>'
    )
    _, [entity] = telegram_parse(rendered)
    assert entity["url"] == 'https://x.org/?a="1"&b=<2>'
    assert (
        render_html(Outgoing((Link("https://x.org"),)))
        == '<a href="https://x.org">https://x.org</a>'
    )


def test_attachments_render_nothing():
    out = Outgoing((Text("chart:"), Image(b"png", caption="c")))
    assert render_html(out) == "chart:"


def test_short_text_is_one_chunk():
    assert split_html("<b>hi</b>") == ["<b>hi</b>"]


def assert_valid_chunks(chunks: list[str], original: str, limit: int) -> None:
    for chunk in chunks:
        text, _ = telegram_parse(chunk)  # every chunk is valid HTML on its own
        assert utf16_units(text) <= limit
    assert "".join(visible(c) for c in chunks) == visible(original)


def test_split_at_4096_reopens_tags_and_keeps_emoji_whole():
    body = "".join(f"line {i} 😀 &amp; <i>x</i> 🎉\n" for i in range(400))
    original = f'<b>Leaderboard <a href="https://x.org">{body}</a></b>'
    chunks = split_html(original)
    assert len(chunks) >= 2
    assert_valid_chunks(chunks, original, 4096)
    assert chunks[1].startswith('<b><a href="https://x.org">')
    assert chunks[0].endswith("</a></b>")


def test_split_never_cuts_a_surrogate_pair_or_entity():
    original = "a" + "😀" * 10 + "&amp;" * 5
    for limit in range(2, 12):
        chunks = split_html(original, limit)
        assert_valid_chunks(chunks, original, limit)
        for chunk in chunks:
            chunk.encode("utf-8")  # a lone surrogate would raise
            assert re.fullmatch(r"(?:[^&]|&amp;)*", chunk)


def test_split_keeps_emoji_sequences_together():
    family = "👨\u200d👩\u200d👧"
    original = ("ab" + family) * 3
    chunks = split_html(original, 10)
    assert_valid_chunks(chunks, original, 10)
    assert all(c.count("\u200d") % 2 == 0 for c in chunks)


def test_split_prefers_line_breaks():
    lines = [f"row {i:03d}" for i in range(100)]
    original = "\n".join(lines)
    chunks = split_html(original, 100)
    assert_valid_chunks(chunks, original, 100)
    assert all(c.endswith("\n") for c in chunks[:-1])


def test_split_a_single_long_word():
    original = "x" * 10000
    chunks = split_html(original)
    assert [len(c) for c in chunks] == [4096, 4096, 1808]


def test_split_never_leaves_a_blank_message():
    # Telegram refuses a message with no visible text ("message text is empty"): trailing
    # line breaks just past the limit must not become a message of their own, or the reply
    # fails after its first part was already sent.
    for original in ("x" * 4096 + "\n", "<b>" + "y" * 4095 + "</b>\n\n \n", "z" * 4096 + "<b> </b>"):
        chunks = split_html(original)
        assert chunks and all(re.sub(r"<[^>]*>", "", c).strip() for c in chunks), chunks


def test_inline_keyboard():
    buttons = (
        (Button("Grab 🧧", "redpacket.grab", id="k1"), Button("Rules", "x", url="https://x.org")),
        (Button("Ok", "ok", id="k2"),),
    )
    assert inline_keyboard(buttons) == {
        "inline_keyboard": [
            [{"text": "Grab 🧧", "callback_data": "k1"}, {"text": "Rules", "url": "https://x.org"}],
            [{"text": "Ok", "callback_data": "k2"}],
        ]
    }
    assert inline_keyboard(()) is None


def test_callback_data_limit_is_64_bytes_not_characters():
    assert inline_keyboard(((Button("a", "a", id="x" * 64),),))
    assert inline_keyboard(((Button("a", "a", id="é" * 32),),))
    with pytest.raises(ValueError, match="64"):
        inline_keyboard(((Button("a", "a", id="é" * 33),),))  # 33 characters, 66 bytes
    with pytest.raises(ValueError, match="64"):
        inline_keyboard(((Button("a", "a", id="x" * 65),),))


def test_button_needs_id_or_url_and_label():
    with pytest.raises(ValueError, match="neither"):
        inline_keyboard(((Button("a", "a"),),))
    with pytest.raises(ValueError, match="label"):
        inline_keyboard(((Button("", "a", id="x"),),))
