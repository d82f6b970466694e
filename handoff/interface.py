"""The one interface between the bot and the counsellors.

The bot side asks for a handoff, forwards what the person writes while a human
has the chat, and reads the counsellors' replies from the outbox. The counsellor
side (console) lists the queue by priority, takes a conversation, replies, hands
it back or closes it. ``handoff`` never imports ``bot``: replies travel back
through the outbox, which the bot's channels drain.

Implementations: :class:`handoff.memory.InMemoryHandoff` (no disk at all) until
the encrypted store lands behind this same interface.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Optional

#: Queue order: acute danger first, then urgent risk, then people who asked.
PRIORITIES: tuple[str, ...] = ("immediate", "high", "requested")

#: States of a conversation on the handoff side.
BOT, QUEUED, HUMAN = "bot", "queued", "human"

#: Outbox kinds, for the bot to relay to the person.
REPLY, JOINED, RELEASED, CLOSED = "reply", "joined", "released", "closed"


@dataclass(frozen=True)
class HandoffRequest:
    conversation_id: str
    priority: str
    language: Optional[str]
    indicators: tuple[str, ...] = ()
    channel: str = "web"

    def __post_init__(self) -> None:
        if self.priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}, not {self.priority!r}")


@dataclass(frozen=True)
class OutboxMessage:
    conversation_id: str
    kind: str
    text: str = ""


@dataclass
class QueueEntry:
    request: HandoffRequest
    requested_at: float
    state: str = QUEUED
    counsellor: Optional[str] = None
    messages: list[tuple[str, str]] = field(default_factory=list)  # (who, text)


class Handoff(abc.ABC):
    # -- bot side -------------------------------------------------------------
    @abc.abstractmethod
    async def request(self, request: HandoffRequest) -> bool:
        """Queue the conversation (or raise its priority); True if a counsellor is online."""

    @abc.abstractmethod
    async def state(self, conversation_id: str) -> str:
        """BOT, QUEUED or HUMAN."""

    @abc.abstractmethod
    async def forward(self, conversation_id: str, text: str) -> None:
        """What the person wrote, for the counsellor (never through Rasa)."""

    @abc.abstractmethod
    async def next_outbox(self) -> OutboxMessage:
        """Wait for the next message for a person (reply, joined, released, closed)."""

    @abc.abstractmethod
    async def delete(self, conversation_id: str) -> None:
        """Forget the conversation entirely (the person asked to delete their data)."""

    # -- counsellor side --------------------------------------------------------
    @abc.abstractmethod
    async def set_online(self, counsellor: str, online: bool) -> None: ...

    @abc.abstractmethod
    async def online_count(self) -> int: ...

    @abc.abstractmethod
    async def queue(self) -> list[QueueEntry]:
        """Waiting and active conversations, most urgent and oldest first."""

    @abc.abstractmethod
    async def take(self, conversation_id: str, counsellor: str) -> None: ...

    @abc.abstractmethod
    async def reply(self, conversation_id: str, counsellor: str, text: str) -> None: ...

    @abc.abstractmethod
    async def release(self, conversation_id: str, counsellor: str) -> None:
        """Hand the chat back to the bot."""

    @abc.abstractmethod
    async def close(self, conversation_id: str, counsellor: str) -> None: ...


class HandoffError(RuntimeError):
    """A counsellor action that does not fit the conversation's state."""
