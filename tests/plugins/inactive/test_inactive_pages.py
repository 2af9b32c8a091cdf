"""A long preview in the chat: the first page with the whole list as a file, then Previous /
Next, each page replacing the page view it was asked from."""

import pytest

from plugins.inactive import plugin

EN = {"bot": {"locale": "en"}}
pytestmark = [pytest.mark.plugins(plugin), pytest.mark.bot_config(EN)]
LURKERS = [f"m{n:02d}" for n in range(1, 46)]  # 45: three pages of 20


async def big_preview(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", *[f"{name}: hello" for name in LURKERS])
    await fake.wait("40d")
    await fake.say("alice: still here")
    [preview] = await fake.play(["alice: /inactive preview"])
    return preview


async def test_pages_of_a_long_preview(fake):
    preview = await big_preview(fake)
    assert "45 would be removed in this run" in preview.text
    assert "1. m01 — not seen for 40 days" in preview.text and "20. m20" in preview.text
    assert "21. m21" not in preview.text
    assert "Page 1 of 3 (Next ▶ for the others); the whole list is in the attached file." in preview.text
    assert preview.attachments == ("inactive-1.csv",)
    assert preview.buttons == ("Next ▶", "Confirm", "Cancel")
    [two] = await fake.play(["alice click Next ▶"])
    assert "21. m21" in two.text and "40. m40" in two.text and "20. m20" not in two.text
    assert "Page 2 of 3 (45 in this run)" in two.text
    assert two.buttons == ("◀ Previous", "Next ▶", "Confirm", "Cancel")
    [three] = await fake.play(["alice click Next ▶"])
    assert "41. m41" in three.text and "45. m45" in three.text and "46." not in three.text
    assert three.buttons == ("◀ Previous", "Confirm", "Cancel")
    assert two.deleted and not preview.deleted  # the page view goes, the preview and its file stay
    [back] = await fake.play(["alice click ◀ Previous"])
    assert "21. m21" in back.text and three.deleted
    # Confirm from a page: the whole run is warned.
    fake.console.dm_closed.update(LURKERS)
    out = await fake.play(["alice click Confirm"])
    assert any("these 45 members will be removed" in o.text for o in out)


async def test_only_admins_turn_pages(fake):
    await big_preview(fake)
    assert await fake.say("m01 click Next ▶") == []
    assert fake.console.toasts[-1] == ("m01", "Only an admin who may remove members can do this.")


async def test_a_short_preview_has_one_page_and_no_file(fake):
    fake.admin("alice")
    await fake.say(":locale en", "alice: hi", "bob: hello")
    await fake.wait("40d")
    [preview] = await fake.play(["alice: /inactive preview"])
    assert preview.buttons == ("Confirm", "Cancel") and preview.attachments == ()
    assert "Page" not in preview.text


async def test_pages_in_chinese(fake):
    await big_preview(fake)
    await fake.say(":locale zh")
    [two] = await fake.say("alice click Next ▶")
    assert "第 2/3 页（本轮共 45 人）" in two
