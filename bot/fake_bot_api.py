"""A fake Telegram Bot API server on 127.0.0.1, for tests and benchmarks.

It speaks the HTTP methods python-telegram-bot uses (getMe, getUpdates with long
polling, sendMessage, deleteMessages, ...), records what the bot sends, and
lets a test or benchmark play the users: push a text, a button press, a voice
message, an edit or a group message, then wait for the bot's replies.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Optional

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Chat", "username": "udvej_test_bot"}


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str
    buttons: list[dict] = field(default_factory=list)
    sent_at: float = field(default_factory=time.monotonic)


class FakeBotApi:
    def __init__(self, token: str = "123456:TEST") -> None:
        self.token = token
        self.updates: list[dict] = []
        self.sent: dict[int, list[SentMessage]] = defaultdict(list)
        self.deleted: dict[int, list[int]] = defaultdict(list)
        self.chat_actions: list[tuple[int, str]] = []
        self.left_chats: list[int] = []
        self.commands: dict[Optional[str], list[dict]] = {}  # language_code (None: default) -> menu
        self.calls: list[str] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Condition()
        self._new_message = asyncio.Condition()
        self._runner: Optional[web.AppRunner] = None
        self.base_url = ""

    # -- server -----------------------------------------------------------------
    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/bot"
        return self.base_url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append(method)
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.json_response({"ok": True, "result": await handler(params)})

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params = {}
        for key, value in form.items():
            try:
                params[key] = json.loads(value)
            except (TypeError, ValueError):
                params[key] = value
        return params

    # -- Bot API methods ------------------------------------------------------------
    async def api_getMe(self, params: dict) -> dict:
        return BOT_USER

    async def api_deleteWebhook(self, params: dict) -> bool:
        return True

    async def api_setWebhook(self, params: dict) -> bool:
        return True

    async def api_setMyCommands(self, params: dict) -> bool:
        self.commands[params.get("language_code")] = params.get("commands", [])
        return True

    async def api_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 10.0)
        deadline = time.monotonic() + timeout
        async with self._new_update:
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset]
                remaining = deadline - time.monotonic()
                if pending or remaining <= 0:
                    self.updates = pending
                    return pending[:100]
                try:
                    await asyncio.wait_for(self._new_update.wait(), remaining)
                except asyncio.TimeoutError:
                    pass

    async def api_sendMessage(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup") or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
        message = SentMessage(chat_id, next(self._message_ids), params["text"], buttons)
        async with self._new_message:
            self.sent[chat_id].append(message)
            self._new_message.notify_all()
        return self._message_json(chat_id, message.message_id, message.text, from_bot=True)

    async def api_sendChatAction(self, params: dict) -> bool:
        self.chat_actions.append((int(params["chat_id"]), params["action"]))
        return True

    async def api_deleteMessages(self, params: dict) -> bool:
        self.deleted[int(params["chat_id"])].extend(int(i) for i in params["message_ids"])
        return True

    async def api_leaveChat(self, params: dict) -> bool:
        self.left_chats.append(int(params["chat_id"]))
        return True

    async def api_answerCallbackQuery(self, params: dict) -> bool:
        return True

    async def api_editMessageReplyMarkup(self, params: dict) -> Any:
        return True

    # -- playing the users ------------------------------------------------------------
    def _message_json(self, chat_id: int, message_id: int, text: Optional[str], from_bot: bool = False,
                      user_id: Optional[int] = None, language_code: str = "en", chat_type: str = "private") -> dict:
        sender = BOT_USER if from_bot else {"id": user_id or chat_id, "is_bot": False, "first_name": "Person",
                                             "language_code": language_code}
        message: dict[str, Any] = {"message_id": message_id, "date": int(time.time()),
                                   "chat": {"id": chat_id, "type": chat_type, "first_name": "Person"},
                                   "from": sender}
        if chat_type != "private":
            message["chat"]["title"] = "A group"
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return message

    async def _push(self, update: dict) -> int:
        async with self._new_update:
            update["update_id"] = next(self._update_ids)
            self.updates.append(update)
            self._new_update.notify_all()
        return update["update_id"]

    async def push_text(self, chat_id: int, text: str, language_code: str = "en",
                        chat_type: str = "private") -> int:
        """The person types ``text``; returns the message id of their message."""
        message_id = next(self._message_ids)
        await self._push({"message": self._message_json(chat_id, message_id, text, language_code=language_code,
                                                        chat_type=chat_type)})
        return message_id

    async def push_button(self, chat_id: int, payload: str, language_code: str = "en") -> None:
        """The person presses the inline button whose callback data is ``payload``."""
        last = self.sent[chat_id][-1] if self.sent[chat_id] else None
        await self._push({"callback_query": {
            "id": str(next(self._message_ids)), "chat_instance": str(chat_id), "data": payload,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Person", "language_code": language_code},
            "message": self._message_json(chat_id, last.message_id if last else 1, last.text if last else "",
                                          from_bot=True)}})

    async def push_media(self, chat_id: int, kind: str, language_code: str = "en") -> None:
        """A voice message, photo, sticker, location or document instead of text."""
        message = self._message_json(chat_id, next(self._message_ids), None, language_code=language_code)
        message.update({
            "voice": {"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 4}},
            "sticker": {"sticker": {"file_id": "s1", "file_unique_id": "s1u", "type": "regular", "width": 512,
                                    "height": 512, "is_animated": False, "is_video": False}},
            "photo": {"photo": [{"file_id": "p1", "file_unique_id": "p1u", "width": 90, "height": 90}]},
            "location": {"location": {"latitude": 55.68, "longitude": 12.57}},
            "document": {"document": {"file_id": "d1", "file_unique_id": "d1u", "file_name": "a.pdf"}},
        }[kind])
        await self._push({"message": message})

    async def push_edit(self, chat_id: int, message_id: int, text: str, language_code: str = "en") -> None:
        message = self._message_json(chat_id, message_id, text, language_code=language_code)
        message["edit_date"] = int(time.time())
        await self._push({"edited_message": message})

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 30.0) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to ``chat_id`` in all."""
        deadline = time.monotonic() + timeout
        async with self._new_message:
            while len(self.sent[chat_id]) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"chat {chat_id}: {len(self.sent[chat_id])} of {count} messages")
                try:
                    await asyncio.wait_for(self._new_message.wait(), remaining)
                except asyncio.TimeoutError:
                    pass
            return list(self.sent[chat_id])
