"""qunbot Outgoing → what discord.py sends. Pure functions (no network).

Safety first: text from plugins often embeds user input (names, form answers, ad text), so Text
is markdown-escaped and nothing pings unless a Mention explicitly asks to (``notify=True``), and
then only that user: never @everyone, never roles.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import discord

from bot.message import (
    Bold,
    Button,
    Code,
    Content,
    CopyOf,
    File,
    Image,
    Link,
    Mention,
    Outgoing,
    Text,
    as_outgoing,
)

__all__ = [
    "BUTTON_LABEL_LIMIT",
    "CUSTOM_ID_LIMIT",
    "MESSAGE_LIMIT",
    "allowed_mentions_for",
    "components_for",
    "copy_parts",
    "files_for",
    "parts_for",
    "render_text",
    "split_text",
]

MESSAGE_LIMIT = 2000
CUSTOM_ID_LIMIT = 100
BUTTON_LABEL_LIMIT = 80
MAX_BUTTON_ROWS = 5
MAX_BUTTONS_PER_ROW = 5


def _escape(text: str) -> str:
    return discord.utils.escape_markdown(text)


def _render_mention(mention: Mention) -> str:
    if mention.notify:
        return f"<@{mention.user_id}>"
    # escape_mentions keeps a user named "everyone" from reading as @everyone.
    return _escape(discord.utils.escape_mentions(f"@{mention.name}"))


def _render_link(link: Link) -> str:
    """Bare URLs stay bare (Discord autolinks them); titled links become masked links with
    the URL in angle brackets, which also suppresses the preview embed."""
    if not link.text or link.text == link.url:
        return link.url
    label = _escape(link.text).replace("[", "\\[").replace("]", "\\]")
    url = link.url.replace(">", "%3E").replace(" ", "%20")
    return f"[{label}](<{url}>)"


def _render_element(element: object) -> str:
    if isinstance(element, Text):
        return _escape(element.text)
    if isinstance(element, Bold):
        return f"**{_escape(element.text)}**" if element.text else ""
    if isinstance(element, Code):
        # A zero-width space keeps user text from closing the block early.
        return "```\n" + element.text.replace("```", "`\u200b``") + "\n```"
    if isinstance(element, Mention):
        return _render_mention(element)
    if isinstance(element, Link):
        return _render_link(element)
    if isinstance(element, Image):
        # Discord's attachment description is alt text nobody sees: a caption goes in the text.
        return _escape(element.caption)
    if isinstance(element, File):
        return ""
    if isinstance(element, CopyOf):
        return "".join(_render_element(e) for e in element.fallback)
    plain = getattr(element, "plain", None)
    return _escape(plain()) if callable(plain) else ""


def render_text(outgoing: Content) -> str:
    """Discord markdown for the message text (attachments are sent separately)."""
    return "".join(_render_element(e) for e in as_outgoing(outgoing).elements)


def _cut_point(text: str, limit: int) -> tuple[int, int]:
    """Where to cut ``text`` (longer than ``limit``) and how many separator chars to drop.

    A newline in the second half of the window wins, then a space there, then any newline or
    space, then a hard cut (moved back so it never splits a backslash escape)."""
    window = text[: limit + 1]
    newline, space = window.rfind("\n"), window.rfind(" ")
    half = limit // 2
    for position in (newline, space):
        if position >= half:
            return position, 1
    best = max(newline, space)
    if best > 0:
        return best, 1
    cut = limit
    while cut > 1 and text[cut - 1] == "\\":
        cut -= 1
    return cut, 0


def split_text(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split into messages of at most ``limit`` characters, on line (then word) boundaries where
    possible. Whitespace-only pieces are dropped: Discord rejects empty messages."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut, skip = _cut_point(rest, limit)
        chunks.append(rest[:cut])
        rest = rest[cut + skip :]
    chunks.append(rest)
    return [chunk for chunk in chunks if chunk.strip()]


def allowed_mentions_for(outgoing: Content) -> discord.AllowedMentions:
    """Only the users of ``Mention(notify=True)`` elements may be pinged; nothing otherwise."""
    user_ids = dict.fromkeys(m.user_id for m in as_outgoing(outgoing).mentions)
    if not user_ids:
        return discord.AllowedMentions.none()
    users = [discord.Object(id=int(user_id)) for user_id in user_ids]
    return discord.AllowedMentions(everyone=False, roles=False, users=users, replied_user=False)


def _button_item(button: Button, row: int) -> discord.ui.Button:
    label = button.label
    if len(label) > BUTTON_LABEL_LIMIT:
        label = label[: BUTTON_LABEL_LIMIT - 1] + "…"
    if button.url:
        return discord.ui.Button(label=label, url=button.url, row=row)
    if not button.id:
        raise ValueError(f"button {button.label!r} has no id (the core assigns one before sending)")
    if len(button.id) > CUSTOM_ID_LIMIT:
        raise ValueError(f"button id longer than {CUSTOM_ID_LIMIT} characters: {button.id!r}")
    return discord.ui.Button(
        label=label, custom_id=button.id, style=discord.ButtonStyle.primary, row=row
    )


def components_for(outgoing: Content) -> discord.ui.View | None:
    """A view with one action row per button row, or None without buttons.

    The view is stopped before it is returned: clicks reach the adapter through
    ``on_interaction`` by custom_id, so discord.py must not keep the view in its view store
    (that would leak one entry per message and dispatch each click twice). Call it inside the
    event loop, where ``stop()`` takes effect."""
    rows: Sequence[Sequence[Button]] = as_outgoing(outgoing).buttons
    if not any(rows):
        return None
    if len(rows) > MAX_BUTTON_ROWS or any(len(r) > MAX_BUTTONS_PER_ROW for r in rows):
        raise ValueError(
            f"Discord allows at most {MAX_BUTTON_ROWS} rows of {MAX_BUTTONS_PER_ROW} buttons"
        )
    view = discord.ui.View(timeout=15 * 60)
    for index, row in enumerate(r for r in rows if r):
        for button in row:
            view.add_item(_button_item(button, index))
    view.stop()
    return view


def files_for(outgoing: Content) -> list[discord.File]:
    """Images and files as discord.File uploads (a caption doubles as alt text)."""
    files = []
    for item in as_outgoing(outgoing).attachments:
        description = item.caption or None if isinstance(item, Image) else None
        files.append(discord.File(io.BytesIO(item.data), item.filename, description=description))
    return files


def parts_for(message: Outgoing) -> list[dict[str, Any]]:
    """The message as Discord sends it: text in pieces of ≤ 2000 characters, files with the
    first piece, buttons under the last."""
    chunks: list[dict[str, Any]] = [{"content": c} for c in split_text(render_text(message))]
    files = files_for(message)
    view = components_for(message)
    if not chunks and (files or view is not None):
        chunks = [{}]
    if files:
        chunks[0]["files"] = files
    if view is not None:
        chunks[-1]["view"] = view
    return chunks


def copy_parts(
    message: Outgoing, content: str, embeds: list[discord.Embed], files: list[discord.File],
    links: list[str],
) -> list[dict[str, Any]]:
    """A copied Discord message as it is sent again: its own markdown (not escaped: it is
    Discord's already), links to attachments that could not be uploaded, its rich embeds and
    files with the first piece, and ``message``'s buttons under the last."""
    text = "\n".join([content, *links]) if content else "\n".join(links)
    chunks: list[dict[str, Any]] = [{"content": c} for c in split_text(text)]
    view = components_for(message)
    if not chunks and (files or embeds or view is not None):
        chunks = [{}]
    if files:
        chunks[0]["files"] = files
    if embeds:
        chunks[0]["embeds"] = embeds[:10]
    if view is not None:
        chunks[-1]["view"] = view
    return chunks
