"""The anonymous web chat: a page, its script and one WebSocket, on aiohttp.

No external assets, no cookies, no trackers; a strict Content-Security-Policy.
The browser keeps a random session token in sessionStorage (gone with the tab);
the server knows the conversation only by the token's HMAC pseudonym and keeps
the live sockets in memory.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import OrderedDict, defaultdict
from pathlib import Path
from typing import Any, Optional

from aiohttp import WSMsgType, web

from bot.conversation import ConversationEngine, Reply, Turn

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
CHANNEL = "web"
#: Frames larger than this are refused politely (the engine cuts texts at 2,000 characters).
MAX_FRAME_CHARS = 20_000
#: Message ids remembered per socket, to refuse replayed frames.
REMEMBERED_IDS = 256
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
ERRORS = {
    "json": "Sorry, I could not read that message. Please send it again.",
    "binary": "Sorry, I can only read text messages.",
    "too_long": "That message is too long for me. Please send it in shorter parts.",
    "replayed": "That message was already received.",
    "unknown": "Sorry, I did not understand that request.",
}


def reply_frame(reply: Reply) -> dict[str, Any]:
    return {"type": "reply", "text": reply.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons]}


class WebChat:
    def __init__(self, engine: ConversationEngine) -> None:
        self.engine = engine
        self._sockets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        engine.register_channel(CHANNEL, self.deliver)

    async def deliver(self, conversation_id: str, replies: list[Reply]) -> None:
        for socket in list(self._sockets.get(conversation_id, ())):
            for reply in replies:
                await socket.send_json(reply_frame(reply))

    # -- HTTP -----------------------------------------------------------------
    @web.middleware
    async def security_headers(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        if not isinstance(response, web.WebSocketResponse):
            response.headers.update(SECURITY_HEADERS)
        return response

    async def index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "index.html")

    async def exit_page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "exit.html")

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    # -- WebSocket ----------------------------------------------------------------
    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(heartbeat=30, max_msg_size=4 * MAX_FRAME_CHARS)
        await socket.prepare(request)
        session: Optional[str] = None
        language: Optional[str] = None
        seen: OrderedDict[str, None] = OrderedDict()
        try:
            async for message in socket:
                if message.type == WSMsgType.BINARY:
                    await self._error(socket, "binary")
                    continue
                if message.type != WSMsgType.TEXT:
                    continue
                frame = self._parse(message.data)
                if frame is None:
                    await self._error(socket, "too_long" if len(message.data) > MAX_FRAME_CHARS else "json")
                    continue
                if frame.get("type") == "hello":
                    session, language = await self._hello(frame, socket, session)
                    continue
                if session is None:
                    session, language = await self._hello({}, socket, None)
                frame_id = str(frame.get("id", ""))
                if frame_id:
                    if frame_id in seen:
                        await self._error(socket, "replayed")
                        continue
                    seen[frame_id] = None
                    if len(seen) > REMEMBERED_IDS:
                        seen.popitem(last=False)
                text = frame.get("text") if frame.get("type") == "message" else frame.get("payload")
                if frame.get("type") not in ("message", "button") or not isinstance(text, str):
                    await self._error(socket, "unknown")
                    continue
                await socket.send_json({"type": "typing"})
                turn = await self.engine.handle_message(CHANNEL, session, text, language)
                await self._send_turn(socket, turn)
                if turn.deleted:  # a fresh, unlinkable conversation from here on
                    session, language = await self._hello({"language": language}, socket, session)
        finally:
            if session is not None:
                self._sockets[self.engine.conversation_id(CHANNEL, session)].discard(socket)
        return socket

    def _parse(self, data: str) -> Optional[dict]:
        if len(data) > MAX_FRAME_CHARS:
            return None
        try:
            frame = json.loads(data)
        except ValueError:
            return None
        return frame if isinstance(frame, dict) else None

    async def _hello(self, frame: dict, socket: web.WebSocketResponse,
               previous: Optional[str]) -> tuple[str, Optional[str]]:
        session = frame.get("session")
        if not isinstance(session, str) or not (20 <= len(session) <= 64):
            session = secrets.token_urlsafe(32)
        if previous is not None:
            self._sockets[self.engine.conversation_id(CHANNEL, previous)].discard(socket)
        self._sockets[self.engine.conversation_id(CHANNEL, session)].add(socket)
        language = frame.get("language") if isinstance(frame.get("language"), str) else None
        await socket.send_json({"type": "session", "session": session})
        return session, (language or "")[:2].lower() or None

    async def _send_turn(self, socket: web.WebSocketResponse, turn: Turn) -> None:
        if turn.deleted:
            await socket.send_json({"type": "deleted"})
        for reply in turn.replies:
            await socket.send_json(reply_frame(reply))

    async def _error(self, socket: web.WebSocketResponse, kind: str) -> None:
        await socket.send_json({"type": "error", "text": ERRORS[kind]})

    def routes(self, app: web.Application) -> None:
        app.middlewares.append(self.security_headers)
        app.router.add_get("/", self.index)
        app.router.add_get("/exit", self.exit_page)
        app.router.add_get("/healthz", self.health)
        app.router.add_get("/ws", self.socket)
        app.router.add_static("/static/", STATIC, show_index=False)
