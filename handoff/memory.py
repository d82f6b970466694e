"""An in-memory handoff queue: nothing touches the disk; a restart forgets it."""

from __future__ import annotations

import asyncio
import time

from handoff.interface import (BOT, CLOSED, HUMAN, JOINED, PRIORITIES, RELEASED, REPLY, Handoff,
                               HandoffError, HandoffRequest, OutboxMessage, QueueEntry)


class InMemoryHandoff(Handoff):
    def __init__(self) -> None:
        self._entries: dict[str, QueueEntry] = {}
        self._online: set[str] = set()
        self._outbox: asyncio.Queue[OutboxMessage] = asyncio.Queue()

    async def request(self, request: HandoffRequest) -> bool:
        entry = self._entries.get(request.conversation_id)
        if entry is None:
            self._entries[request.conversation_id] = QueueEntry(request, time.monotonic())
        elif PRIORITIES.index(request.priority) < PRIORITIES.index(entry.request.priority):
            entry.request = request
        return bool(self._online)

    async def state(self, conversation_id: str) -> str:
        entry = self._entries.get(conversation_id)
        return entry.state if entry else BOT

    async def forward(self, conversation_id: str, text: str) -> None:
        self._entry(conversation_id).messages.append(("person", text))

    async def next_outbox(self) -> OutboxMessage:
        return await self._outbox.get()

    async def delete(self, conversation_id: str) -> None:
        self._entries.pop(conversation_id, None)

    async def set_online(self, counsellor: str, online: bool) -> None:
        (self._online.add if online else self._online.discard)(counsellor)

    async def online_count(self) -> int:
        return len(self._online)

    async def queue(self) -> list[QueueEntry]:
        return sorted(self._entries.values(),
                      key=lambda e: (PRIORITIES.index(e.request.priority), e.requested_at))

    async def take(self, conversation_id: str, counsellor: str) -> None:
        entry = self._entry(conversation_id)
        if entry.state == HUMAN and entry.counsellor != counsellor:
            raise HandoffError("another counsellor already has this conversation")
        entry.state, entry.counsellor = HUMAN, counsellor
        await self._outbox.put(OutboxMessage(conversation_id, JOINED))

    async def reply(self, conversation_id: str, counsellor: str, text: str) -> None:
        entry = self._owned(conversation_id, counsellor)
        entry.messages.append(("counsellor", text))
        await self._outbox.put(OutboxMessage(conversation_id, REPLY, text))

    async def release(self, conversation_id: str, counsellor: str) -> None:
        self._owned(conversation_id, counsellor)
        del self._entries[conversation_id]
        await self._outbox.put(OutboxMessage(conversation_id, RELEASED))

    async def close(self, conversation_id: str, counsellor: str) -> None:
        self._owned(conversation_id, counsellor)
        del self._entries[conversation_id]
        await self._outbox.put(OutboxMessage(conversation_id, CLOSED))

    def _entry(self, conversation_id: str) -> QueueEntry:
        try:
            return self._entries[conversation_id]
        except KeyError:
            raise HandoffError("no such conversation in the handoff queue") from None

    def _owned(self, conversation_id: str, counsellor: str) -> QueueEntry:
        entry = self._entry(conversation_id)
        if entry.state != HUMAN or entry.counsellor != counsellor:
            raise HandoffError("take the conversation before replying, releasing or closing it")
        return entry


