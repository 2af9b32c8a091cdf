"""Every group message is matched: ``#name`` shows that note; otherwise the group's keywords,
then the global ones, are matched and the first match answers, unless that keyword answered in
this group within the cooldown. Each message is remembered for a while, for an admin who saves
it as an answer by replying to it."""

from __future__ import annotations

from bot import Context, MessageCreated
from plugins.autoreply import plugin
from plugins.autoreply.note_names import valid_name
from plugins.autoreply.service import Keywords, answer_to_reply

__all__ = ["reply_to_keyword"]


@plugin.on(MessageCreated)
async def reply_to_keyword(ctx: Context, event: MessageCreated) -> None:
    user, message = event.user, event.message
    if ctx.group is None or user is None or user.is_bot or message.text.startswith("/"):
        return
    keywords = ctx.service(Keywords)
    if message.text or message.media:
        channel = event.channel.id if event.channel else ctx.group.id
        text = message.text
        if message.media:
            note = "[" + ctx.t(f"autoreply.media.{message.media}") + "]"
            text = f"{text}\n{note}" if text else note
        source = {
            "platform": ctx.platform, "channel": channel, "message": message.id,
            "buttons": [{"label": b.text or b.url, "url": b.url} for b in message.buttons],
        }
        keywords.remember((ctx.platform, channel, message.id), (text, source))
    if not message.text:
        return
    if message.text.startswith("#"):
        name = valid_name(message.text.split(maxsplit=1)[0])
        shown = await keywords.call_note(ctx.group, name) if name else None
        if shown is not None:
            await ctx.reply(answer_to_reply(ctx, shown))
            return
    answer = await keywords.answer(ctx.group, message.text)
    if answer is not None:
        await ctx.reply(answer)
