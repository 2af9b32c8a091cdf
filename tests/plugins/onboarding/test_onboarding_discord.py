"""The form as paged modals on Discord: the real discord.py client against the fake server."""

from __future__ import annotations

from bot.testing.discord import CHANNEL, GUILD, discord_bot, eventually, settle
from plugins.onboarding.models import FormSession, Profile

DAVE = "104"
PAGE_1 = {"name": "Dave", "company": "Acme", "role": "engineer", "city": "berlin", "expertise": "Rust"}


def components(message_or_data) -> list[dict]:
    data = getattr(message_or_data, "payload", message_or_data)
    return [c for row in data.get("components") or [] for c in row.get("components", [])]


def button(data, label: str) -> str:
    return next(c["custom_id"] for c in components(data) if c.get("label") == label)


def welcomes(dc) -> list:
    return [m for m in dc.sent(CHANNEL) if f"<@{DAVE}>" in m.payload.get("content", "")]


async def test_restrict_form_in_two_modal_pages_then_timeout_lifted():
    config = {"plugins": {"onboarding": {"gate": "restrict"}}}
    async with discord_bot(["onboarding"], config) as (app, dc):
        await dc.member_joins(GUILD, DAVE, "dave")
        welcome = await eventually(lambda: welcomes(dc))
        assert (await eventually(lambda: (dc.member(GUILD, DAVE) or {}).get("communication_disabled_until")))
        message = welcome[-1]
        click = await dc.click(GUILD, message.channel_id, DAVE, message.id, button(message, "填写资料"))
        modal = await eventually(lambda: [c for c in dc.callbacks(click) if c.type == 9])
        form_id = modal[0].data["custom_id"]
        assert [c["custom_id"] for c in components(modal[0].data)] == list(PAGE_1)

        bad = dict(PAGE_1, city="http://x")
        submit = await dc.submit_modal(GUILD, CHANNEL, DAVE, form_id, bad)
        reply = await eventually(lambda: [c for c in dc.callbacks(submit) if c.type == 4])
        assert reply[0].ephemeral and "城市" in reply[0].data["content"]
        session = await FormSession.get(user_id=DAVE)
        assert session.step == 3  # the answers before the refused one are kept

        click = await dc.click(GUILD, CHANNEL, DAVE, message.id, button(reply[0].data, "继续"))
        modal = await eventually(lambda: [c for c in dc.callbacks(click) if c.type == 9])
        keys = [c["custom_id"] for c in components(modal[0].data)]
        assert keys == ["city", "expertise", "needs", "interests"]
        page_2 = {"city": "berlin", "expertise": "Rust", "needs": "a designer", "interests": ""}
        submit = await dc.submit_modal(GUILD, CHANNEL, DAVE, modal[0].data["custom_id"], page_2)
        await eventually(lambda: [c for c in dc.callbacks(submit) if c.type == 4])
        await settle(app)
        profile = await Profile.get(user_id=DAVE)
        assert profile.answers["city"] == "Berlin" and profile.answers["needs"] == "a designer"
        assert not (dc.member(GUILD, DAVE) or {}).get("communication_disabled_until")
