"""Outbound calls answered from memory, so the benchmark measures the bot and not a network.

- :class:`MemoryRequest`: a python-telegram-bot request object (``telegram.request.BaseRequest``)
  that answers the Bot API methods a message path uses (sendMessage, edits, deletes, callback
  answers, chat actions) with complete Bot API objects, built in memory. PTB still builds every
  call's parameters and parses every answer (``de_json``), as it does against Telegram. Any
  other method goes to ``fallback`` (the project's fake Bot API server over HTTP) when one is
  given; both are counted.
- :func:`discord_memory_http`: the same for discord.py's ``HTTPClient.request``: posting,
  editing and deleting channel messages answer from memory; the rest goes to the fake server.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram.request import BaseRequest, RequestData

__all__ = ["MemoryRequest", "discord_memory_http"]

_ANSWER_TRUE = frozenset(
    {
        "deletemessage",
        "deletemessages",
        "answercallbackquery",
        "sendchataction",
        "setmycommands",
        "deletemycommands",
        "deletewebhook",
        "setmessagereaction",
        "pinchatmessage",
        "unpinchatmessage",
    }
)
_SENDS = frozenset({"sendmessage", "sendphoto", "senddocument", "sendanimation", "sendvideo"})
_EDITS = frozenset({"editmessagetext", "editmessagecaption", "editmessagereplymarkup"})


class MemoryRequest(BaseRequest):
    """Answers the message path's Bot API calls from memory (see the module docstring)."""

    def __init__(
        self,
        bot_user: dict[str, Any],
        now: Callable[[], datetime],
        fallback: BaseRequest | None = None,
    ) -> None:
        self.bot_user = bot_user
        self.now = now
        self.fallback = fallback
        self.calls: Counter[str] = Counter()
        self.forwarded: Counter[str] = Counter()
        self._message_ids = itertools.count(1_000_000)

    @property
    def read_timeout(self) -> float | None:
        return self.fallback.read_timeout if self.fallback is not None else None

    async def initialize(self) -> None:
        if self.fallback is not None:
            await self.fallback.initialize()

    async def shutdown(self) -> None:
        if self.fallback is not None:
            await self.fallback.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        name = endpoint.lower()
        params = request_data.parameters if request_data is not None else {}
        result = self._answer(name, params)
        if result is None:
            if self.fallback is None:
                raise RuntimeError(f"bench stub: no answer for {endpoint} and no fallback")
            self.forwarded[endpoint] += 1
            return await self.fallback.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        self.calls[endpoint] += 1
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, name: str, params: dict[str, Any]) -> Any:
        if name in _SENDS:
            return self._message(params)
        if name in _EDITS:
            if "inline_message_id" in params:
                return True
            return self._message(params, message_id=int(params["message_id"]), edited=True)
        if name in _ANSWER_TRUE:
            return True
        if name == "getme":
            return {
                **self.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": True,
                "supports_inline_queries": False,
            }
        if name == "getupdates":
            return []
        return None

    def _message(
        self, params: dict[str, Any], message_id: int | None = None, edited: bool = False
    ) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        date = int(self.now().timestamp())
        chat: dict[str, Any] = (
            {"id": chat_id, "type": "supergroup", "title": "Bench group"}
            if chat_id < 0
            else {"id": chat_id, "type": "private", "first_name": "member"}
        )
        message: dict[str, Any] = {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            "from": self.bot_user,
            "chat": chat,
            "date": date,
        }
        if edited:
            message["edit_date"] = date
        if "text" in params:
            message["text"] = str(params["text"])
        elif "caption" in params:
            message["caption"] = str(params["caption"])
        else:
            message["text"] = ""
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message


# -- Discord -------------------------------------------------------------------------------------


def discord_memory_http(client: Any, bot_user: dict[str, Any]) -> Counter[str]:
    """Make ``client.http.request`` answer channel-message posts, edits and deletes from
    memory (everything else still goes to the fake server). Returns the call counter; raises
    AttributeError when discord.py's HTTP client no longer looks like this."""
    http = client.http
    real = http.request
    calls: Counter[str] = Counter()
    ids = itertools.count(400_000_000_000_000_000)

    def message(route: Any, body: dict[str, Any], message_id: str | None = None) -> dict[str, Any]:
        return {
            "id": message_id or str(next(ids)),
            "channel_id": str(route.channel_id),
            "author": bot_user,
            "content": body.get("content") or "",
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 19 if body.get("message_reference") else 0,
            "flags": 0,
            "components": body.get("components") or [],
        }

    async def request(route: Any, **kwargs: Any) -> Any:
        path, verb = route.path, route.method
        body = kwargs.get("json")
        if body is None:
            form = kwargs.get("form") or []
            payload = next((f.get("value") for f in form if f.get("name") == "payload_json"), None)
            body = json.loads(payload) if isinstance(payload, str) else {}
        if path == "/channels/{channel_id}/messages" and verb == "POST":
            calls["POST message"] += 1
            return message(route, body)
        if path == "/channels/{channel_id}/messages/{message_id}":
            if verb == "DELETE":
                calls["DELETE message"] += 1
                return None
            if verb == "PATCH":
                calls["PATCH message"] += 1
                return message(route, body, route.url.rsplit("/", 1)[-1])
        calls[f"forwarded {verb} {path}"] += 1
        return await real(route, **kwargs)

    http.request = request
    return calls
