"""What a Discord message carries for spam detection: links with their visible words (content,
masked links, embeds), written @names, link buttons, the app it came through, forward origin and
media kind. Messages are built by the real discord.py client from the fake server's payloads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.adapters.discord.convert import edit_to_event, message_to_event, text_links, text_usernames
from bot.events import ForwardOrigin, MessageCreated, MessageLink
from bot.testing.discord import discord_client, expect
from bot.testing.fake_discord import FakeDiscordServer

SELF = "900"
GUILD, CHANNEL, NEWS = "1", "10", "11"
OTHER_GUILD, OTHER_CHANNEL = "2", "20"
ALICE, PROMO = "101", "555"
WHEN = "2026-01-05T08:00:00+00:00"


@pytest.fixture
async def dc():
    async with FakeDiscordServer(bot_user_id=SELF, application_id=SELF) as server:
        server.add_user(ALICE, "alice", global_name="Alice")
        server.add_user(PROMO, "promo_app", bot=True)
        server.add_guild(
            GUILD,
            "Test Guild",
            owner_id=ALICE,
            channels=[
                {"id": CHANNEL, "name": "general"},
                {"id": NEWS, "name": "announcements", "type": 5},
            ],
        )
        server.add_guild(
            OTHER_GUILD, "Deals Hub", owner_id=ALICE, channels=[{"id": OTHER_CHANNEL, "name": "promo"}]
        )
        server.add_member(GUILD, ALICE)
        server.add_member(OTHER_GUILD, ALICE)
        yield server


@pytest.fixture
async def client(dc: FakeDiscordServer):
    async with discord_client(dc) as running:
        yield running


async def event_of(dc, client, content: str, user: str = ALICE, channel: str = CHANNEL, **kwargs):
    msg = await expect(client, "message", dc.user_says(channel, user, content, **kwargs))
    event = message_to_event(msg, SELF)
    assert isinstance(event, MessageCreated)
    return event


async def test_plain_message_carries_nothing_extra(dc, client):
    msg = (await event_of(dc, client, "good morning")).message
    assert (msg.links, msg.usernames, msg.buttons) == ((), (), ())
    assert (msg.via_bot, msg.forward_origin, msg.media) == (None, None, None)


async def test_bare_and_masked_links_in_text_order(dc, client):
    content = (
        "notes [here](https://spam.example/join) and <https://quiet.example/a>, "
        "also https://example.com/a_b. and [x](<https://angle.example>)"
    )
    msg = (await event_of(dc, client, content)).message
    assert msg.links == (
        MessageLink("https://spam.example/join", "here"),
        MessageLink("https://quiet.example/a"),
        MessageLink("https://example.com/a_b"),
        MessageLink("https://angle.example", "x"),
    )


async def test_a_masked_link_whose_words_look_like_another_url(dc, client):
    msg = (await event_of(dc, client, "[https://docs.python.org](https://evil.example)")).message
    assert msg.links == (MessageLink("https://evil.example", "https://docs.python.org"),)


async def test_full_width_url_is_left_as_written(dc, client):
    # Discord autolinks only ASCII schemes; whatever a URL-shaped run holds is kept as is.
    content = "加我 https://ｔ.ｍｅ/ｆｒｅｅ 送红包 ｈｔｔｐｓ://ｅｘａｍｐｌｅ.ｃｏｍ"
    msg = (await event_of(dc, client, content)).message
    assert msg.links == (MessageLink("https://ｔ.ｍｅ/ｆｒｅｅ"),)
    assert msg.text == content


async def test_written_usernames(dc, client):
    content = "ask @seller_01 or @Shop.Bot. (mail me: a@b.com, <@101>, @everyone @here, medium.com/@x)"
    msg = (await event_of(dc, client, content)).message
    assert msg.usernames == ("seller_01", "Shop.Bot")


async def test_embeds_links(dc, client):
    embeds = [
        {
            "type": "rich",
            "title": "Free Nitro",
            "url": "https://nitro.example/claim",
            "author": {"name": "Discord", "url": "https://author.example"},
            "description": "Claim [now](https://now.example) or https://desc.example",
            "fields": [{"name": "More", "value": "[docs](https://field.example)", "inline": False}],
        }
    ]
    msg = (await event_of(dc, client, "", user=PROMO, embeds=embeds)).message
    assert msg.links == (
        MessageLink("https://nitro.example/claim", "Free Nitro"),
        MessageLink("https://author.example", "Discord"),
        MessageLink("https://now.example", "now"),
        MessageLink("https://desc.example"),
        MessageLink("https://field.example", "docs"),
    )


async def test_attachments_are_media_not_links(dc, client):
    msg = (await event_of(dc, client, "look", attachments=["pic.png"])).message
    assert msg.links == () and msg.media == "photo"


async def test_link_buttons_and_the_app_posting_them(dc, client):
    components = [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 5, "label": "🎁 Claim", "url": "https://gift.example"},
                {"type": 2, "style": 1, "label": "Vote", "custom_id": "vote"},
            ],
        },
        {
            "type": 17,
            "components": [
                {"type": 10, "content": "Join [our server](https://discord.gg/abc)"},
                {
                    "type": 9,
                    "components": [{"type": 10, "content": "Deal of the day"}],
                    "accessory": {"type": 2, "style": 5, "label": "Shop", "url": "https://shop.example"},
                },
            ],
        },
    ]
    metadata = {
        "id": "4000",
        "type": 2,
        "user": {"id": ALICE, "username": "alice", "discriminator": "0", "avatar": None},
        "authorizing_integration_owners": {"1": ALICE},
    }
    extra = {"components": components, "interaction_metadata": metadata}
    msg = (await event_of(dc, client, "deals!", user=PROMO, extra=extra)).message
    assert msg.buttons == (
        MessageLink("https://gift.example", "🎁 Claim"),
        MessageLink("https://shop.example", "Shop"),
    )
    assert msg.via_bot == "promo_app"
    assert msg.links == (MessageLink("https://discord.gg/abc", "our server"),)


async def test_a_bot_without_an_interaction_is_not_via_a_bot(dc, client):
    msg = (await event_of(dc, client, "beep", user=PROMO)).message
    assert msg.via_bot is None


def forward(guild_id: str | None, channel_id: str, snapshot: dict) -> dict:
    reference = {"type": 1, "message_id": "7000", "channel_id": channel_id}
    if guild_id is not None:
        reference["guild_id"] = guild_id
    message = {
        "type": 0,
        "content": "",
        "embeds": [],
        "attachments": [],
        "timestamp": WHEN,
        "edited_timestamp": None,
        "flags": 0,
        **snapshot,
    }
    return {"message_reference": reference, "message_snapshots": [{"message": message}]}


async def test_forward_from_an_announcement_channel(dc, client):
    snapshot = {
        "content": "Big sale https://sale.example @deals_bot",
        "components": [
            {"type": 1, "components": [{"type": 2, "style": 5, "label": "Buy", "url": "https://buy.example"}]}
        ],
    }
    event = await event_of(dc, client, "", extra=forward(GUILD, NEWS, snapshot))
    msg = event.message
    assert msg.forwarded and msg.reply_to is None
    assert msg.forward_origin == ForwardOrigin("channel", "Test Guild #announcements", None, GUILD)
    assert msg.text == "Big sale https://sale.example @deals_bot"
    assert msg.links == (MessageLink("https://sale.example"),)
    assert msg.usernames == ("deals_bot",)
    assert msg.buttons == (MessageLink("https://buy.example", "Buy"),)


async def test_forward_from_another_server_and_from_unknown_places(dc, client):
    snapshot = {
        "attachments": [
            {
                "id": "31",
                "filename": "promo.mp4",
                "size": 1,
                "url": "https://cdn.discordapp.com/attachments/20/31/promo.mp4",
                "proxy_url": "https://media.discordapp.net/attachments/20/31/promo.mp4",
                "content_type": "video/mp4",
            }
        ]
    }
    other = (await event_of(dc, client, "", extra=forward(OTHER_GUILD, OTHER_CHANNEL, snapshot))).message
    assert other.forward_origin == ForwardOrigin("chat", "Deals Hub #promo", None, OTHER_GUILD)
    assert other.media == "video" and other.links == ()
    unknown = (await event_of(dc, client, "", extra=forward("77", "78", {"content": "x"}))).message
    assert unknown.forward_origin == ForwardOrigin("chat", "", None, "77")
    from_dm = (await event_of(dc, client, "", extra=forward(None, "79", {"content": "y"}))).message
    assert from_dm.forward_origin == ForwardOrigin("hidden_user")


def attachment(filename: str, content_type: str | None, **extra) -> dict:
    url = f"https://cdn.discordapp.com/attachments/10/1/{filename}"
    return {
        "id": "1",
        "filename": filename,
        "size": 1,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
        **extra,
    }


@pytest.mark.parametrize(
    ("attachments", "kind"),
    [
        ([attachment("a.png", "image/png")], "photo"),
        ([attachment("a.gif", "image/gif")], "animation"),
        ([attachment("a.mp4", "video/mp4")], "video"),
        ([attachment("a.mp3", "audio/mpeg")], "audio"),
        (
            [attachment("voice-message.ogg", "audio/ogg", duration_secs=2.0, waveform="AAAA")],
            "voice",
        ),
        ([attachment("offer.pdf", "application/pdf")], "document"),
        ([attachment("photo.jpg", None)], "photo"),
        ([attachment("blob", None)], "document"),
    ],
)
async def test_media_kind(dc, client, attachments, kind):
    msg = (await event_of(dc, client, "", extra={"attachments": attachments})).message
    assert msg.media == kind


async def test_sticker_is_media(dc, client):
    stickers = [{"id": "5", "name": "wave", "format_type": 1}]
    msg = (await event_of(dc, client, "", extra={"sticker_items": stickers})).message
    assert msg.media == "sticker"


async def test_edit_carries_the_same(dc, client):
    msg = await expect(client, "message", dc.user_says(CHANNEL, ALICE, "hello"))
    at = datetime(2026, 1, 5, 8, 1, tzinfo=UTC)
    before, after = await expect(
        client,
        "message_edit",
        dc.user_edits(CHANNEL, str(msg.id), "hello [friends](https://late.example) @late_seller", at),
    )
    event = edit_to_event(before, after, SELF)
    assert event is not None
    assert event.message.links == (MessageLink("https://late.example", "friends"),)
    assert event.message.usernames == ("late_seller",)


def test_text_helpers():
    assert text_links("") == [] and text_usernames("") == []
    assert text_links("see https://a.example/x)") == [MessageLink("https://a.example/x")]
    assert text_links('[t](https://a.example "title")') == [MessageLink("https://a.example", "t")]
    assert text_usernames("@a @ab @ab.") == ["ab", "ab"]

