"""Outgoing → Discord text, mentions, components and files; the end-to-end cases send through
the real client to the fake server and check what Discord would have received."""

from __future__ import annotations

import discord
import pytest

from bot.adapters.discord.convert import interaction_to_event
from bot.adapters.discord.render import (
    allowed_mentions_for,
    components_for,
    files_for,
    render_text,
    split_text,
)
from bot.events import ButtonClicked
from bot.message import Bold, Button, File, Image, Link, Mention, Outgoing, Text
from bot.testing.discord import discord_client, expect
from bot.testing.fake_discord import FakeDiscordServer

GUILD, CHANNEL, OWNER, ALICE = "1", "10", "100", "101"


@pytest.fixture
async def dc():
    async with FakeDiscordServer() as server:
        server.add_guild(GUILD, "Guild", owner_id=OWNER, channels=[CHANNEL])
        server.add_member(GUILD, ALICE)
        yield server


@pytest.fixture
async def client(dc: FakeDiscordServer):
    async with discord_client(dc) as running:
        yield running


# -- text -------------------------------------------------------------------------------------------


def test_text_is_markdown_escaped():
    assert render_text("a *b* _c_ ~d~ `e` |f|") == r"a \*b\* \_c\_ \~d\~ \`e\` \|f\|"
    assert render_text("# not a heading\n> not a quote") == "\\# not a heading\n\\> not a quote"
    assert render_text("[free nitro](https://evil.example)").startswith("\\[")


def test_urls_in_text_are_left_alone():
    assert render_text("see https://x.com/a_b_c") == "see https://x.com/a_b_c"


def test_bold_and_mentions():
    outgoing = Outgoing(
        (
            Bold("Top *3*"),
            Text(": "),
            Mention("7", "Al_ice", notify=True),
            Text(" "),
            Mention("8", "everyone"),
        )
    )
    assert render_text(outgoing) == "**Top \\*3\\***: <@7> @\u200beveryone"
    assert render_text([Mention("9", "a_b")]) == "@a\\_b"


def test_links():
    assert render_text([Link("https://x.io/a")]) == "https://x.io/a"
    assert render_text([Link("https://x.io/a", "https://x.io/a")]) == "https://x.io/a"
    assert render_text([Link("https://x.io/a b", "the [rules]")]) == (
        "[the \\[rules\\]](<https://x.io/a%20b>)"
    )


def test_attachments_stay_out_of_the_text_but_captions_show():
    outgoing = [Text("chart:"), Image(b"png", "c.png", caption="March"), File(b"x", "a.csv")]
    assert render_text(outgoing) == "chart:March"


# -- splitting ----------------------------------------------------------------------------------------


def test_short_text_is_one_piece():
    assert split_text("hello") == ["hello"]
    assert split_text("") == [] and split_text("  \n ") == []


def test_split_prefers_line_boundaries():
    lines = [f"line {i:04d} " + "x" * 40 for i in range(100)]
    text = "\n".join(lines)
    pieces = split_text(text, 2000)
    assert all(len(p) <= 2000 for p in pieces)
    assert len(pieces) > 1
    assert "\n".join(pieces) == text  # nothing lost: only the newline at each cut
    assert all(p.startswith("line ") for p in pieces)


def test_split_falls_back_to_spaces_then_hard_cuts():
    words = " ".join(["word"] * 1000)
    pieces = split_text(words, 100)
    assert all(len(p) <= 100 and not p.startswith(" ") for p in pieces)
    assert " ".join(pieces) == words
    blob = "x" * 4500
    assert [len(p) for p in split_text(blob)] == [2000, 2000, 500]


def test_hard_cut_never_splits_an_escape():
    text = "a" * 9 + "\\*" + "b" * 20
    pieces = split_text(text, 10)
    assert all(not p.endswith("\\") or p.endswith("\\\\") for p in pieces)
    assert "".join(pieces) == text
    assert all(len(p) <= 10 for p in pieces)


def test_rendered_long_text_fits_discord():
    pieces = split_text(render_text("*" * 3000))  # escaping doubles the length
    assert all(len(p) <= 2000 for p in pieces) and len(pieces) == 3


# -- allowed mentions ---------------------------------------------------------------------------------


def test_no_pings_by_default():
    mentions = allowed_mentions_for([Text("@everyone"), Mention("7", "al")])
    assert mentions.to_dict() == {"parse": []}  # replied_user False is sent by omission
    assert mentions.replied_user is False


def test_only_notified_users_may_be_pinged():
    outgoing = [Mention("7", "a", notify=True), Mention("8", "b"), Mention("7", "a", notify=True)]
    mentions = allowed_mentions_for(outgoing)
    assert mentions.to_dict() == {"parse": [], "users": [7]}
    assert (mentions.everyone, mentions.roles, mentions.replied_user) == (False, False, False)


# -- components ---------------------------------------------------------------------------------------


def test_no_buttons_no_view():
    assert components_for("plain") is None


async def test_buttons_become_rows():
    outgoing = Outgoing((Text("pick"),)).with_buttons(
        [Button("Yes", "vote", id="t1"), Button("No", "vote", id="t2")],
        [Button("Docs", "", url="https://docs.example")],
    )
    view = components_for(outgoing)
    assert view is not None and view.is_finished()  # not kept in discord.py's view store
    rows = view.to_components()
    assert [[c.get("custom_id") for c in row["components"]] for row in rows] == [
        ["t1", "t2"],
        [None],
    ]
    assert rows[1]["components"][0]["url"] == "https://docs.example"
    assert rows[1]["components"][0]["style"] == discord.ButtonStyle.link.value


async def test_button_ids_are_checked():
    with pytest.raises(ValueError, match="100"):
        components_for(Outgoing().with_buttons([Button("x", "a", id="i" * 101)]))
    with pytest.raises(ValueError, match="no id"):
        components_for(Outgoing().with_buttons([Button("x", "a")]))
    assert components_for(Outgoing().with_buttons([Button("x", "a", id="i" * 100)])) is not None


async def test_long_labels_are_shortened():
    view = components_for(Outgoing().with_buttons([Button("L" * 90, "a", id="t")]))
    label = view.to_components()[0]["components"][0]["label"]
    assert len(label) == 80 and label.endswith("…")


async def test_too_many_buttons():
    with pytest.raises(ValueError):
        components_for(Outgoing().with_buttons(*[[Button("b", "a", id=f"{r}")] for r in range(6)]))


# -- end to end through the real client -----------------------------------------------------------------


async def test_send_and_click_round_trip(dc: FakeDiscordServer, client: discord.Client):
    outgoing = Outgoing(
        (Text("Hi "), Mention(ALICE, "alice", notify=True), Image(b"\x89PNG", "a.png", "pic"))
    ).with_buttons([Button("Claim", "grab", id="tok-1")])
    sent = await client.get_channel(int(CHANNEL)).send(
        render_text(outgoing),
        allowed_mentions=allowed_mentions_for(outgoing),
        view=components_for(outgoing),
        files=files_for(outgoing),
    )
    [record] = dc.sent(CHANNEL)
    assert record.content == f"Hi <@{ALICE}>pic"
    assert record.allowed_mentions == {"parse": [], "users": [int(ALICE)]}
    assert record.custom_ids == ["tok-1"]
    assert [(f.filename, f.data) for f in record.files] == [("a.png", b"\x89PNG")]
    assert record.payload["attachments"][0]["description"] == "pic"

    interaction = await expect(
        client, "interaction", dc.click(GUILD, CHANNEL, ALICE, str(sent.id), "tok-1")
    )
    event = interaction_to_event(interaction, "900")
    assert isinstance(event, ButtonClicked) and event.button_id == "tok-1"
    assert not interaction.response.is_done()  # no stored view answered it behind our back
