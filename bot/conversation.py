"""The conversation engine every channel talks to (Telegram, web chat).

It turns a channel's user into a pseudonymous conversation id, keeps a flood
limit, sends text through Rasa while the bot has the chat and to the handoff
queue while a human has it (never both), carries out the commands Rasa's actions
ask for (handoff, delete), and relays the counsellors' outbox to the channels.
Nothing here writes conversation text anywhere but Rasa's in-memory tracker
store and the handoff interface.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional

from bot.actions import DELETE, HANDOFF
from bot.pseudonyms import Pseudonymizer
from bot.responses import Button, Responses, default_responses
from handoff.interface import CLOSED, HUMAN, JOINED, RELEASED, REPLY, Handoff, HandoffRequest
from nlu.screener import EARLIER_MESSAGE
from nlu.vocabulary import LANGUAGES

logger = logging.getLogger(__name__)

#: Longer messages are cut here (Telegram allows 4096 characters).
MAX_MESSAGE_CHARS = 2000
#: Flood limit per conversation: a burst of this many messages...
FLOOD_BURST = 8
#: ...then one more every this many seconds.
FLOOD_REFILL_SECONDS = 3.0
COMMANDS = ("start", "help", "language", "delete", "stop")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PAYLOAD = re.compile(r"^/[a-z_]+(\{.*\})?$", re.S)


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    key: Optional[str] = None  # the response key, None for a counsellor's words


@dataclass
class Turn:
    """What a channel must do after a message: send replies; maybe wipe the chat."""

    replies: list[Reply] = field(default_factory=list)
    deleted: bool = False
    language: Optional[str] = None  # set with ``deleted``: the conversation's language is gone


Deliver = Callable[[str, list[Reply]], Awaitable[None]]


class FloodLimit:
    """A token bucket per conversation."""

    def __init__(self, burst: int = FLOOD_BURST, refill_seconds: float = FLOOD_REFILL_SECONDS) -> None:
        self.burst, self.refill = burst, refill_seconds
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: Optional[float] = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - last) / self.refill)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)
        return allowed


def clean_text(text: str) -> tuple[str, bool]:
    """NFC, no control characters, at most MAX_MESSAGE_CHARS; (text, was cut)."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text)).strip()
    return text[:MAX_MESSAGE_CHARS], len(text) > MAX_MESSAGE_CHARS


class ConversationEngine:
    def __init__(self, agent: Any, handoff: Handoff, pseudonymize: Pseudonymizer,
                 responses: Optional[Responses] = None) -> None:
        self.agent = agent
        self.handoff = handoff
        self.pseudonymize = pseudonymize
        self.responses = responses or default_responses()
        self.flood = FloodLimit()
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._channel_of: dict[str, str] = {}
        self._deliver: dict[str, Deliver] = {}
        self._known_intents = set(agent.domain.intents)
        # Rasa wraps the store in a FailSafeTrackerStore, which cannot delete.
        self._store = getattr(agent.tracker_store, "_tracker_store", agent.tracker_store)

    # -- channels -----------------------------------------------------------------
    def register_channel(self, channel: str, deliver: Deliver) -> None:
        """``deliver(conversation_id, replies)`` sends counsellor-side messages."""
        self._deliver[channel] = deliver

    def conversation_id(self, channel: str, user_ref: object) -> str:
        return self.pseudonymize(channel, user_ref)

    async def render(self, key: str, conversation_id: str, fallback_language: Optional[str] = None) -> Reply:
        """A response in the conversation's language, else ``fallback_language`` (a hint)."""
        language = await self.language_of(conversation_id) or fallback_language
        response = self.responses.render(key, language)
        return Reply(response.text, response.buttons, key)

    async def language_of(self, conversation_id: str) -> Optional[str]:
        tracker = await self.agent.tracker_store.retrieve(conversation_id)
        return tracker.get_slot("language") if tracker else None

    # -- a message from a person ----------------------------------------------------------
    async def handle_message(self, channel: str, user_ref: object, text: str,
                             language_hint: Optional[str] = None) -> Turn:
        conversation_id = self.conversation_id(channel, user_ref)
        self._channel_of[conversation_id] = channel
        async with self._locks[conversation_id]:
            if not self.flood.allow(conversation_id):
                return Turn([await self.render("utter_slow_down", conversation_id)])
            text, was_cut = clean_text(text)
            if not text:
                return Turn([await self.render("utter_fallback", conversation_id, language_hint)])
            if await self.handoff.state(conversation_id) == HUMAN:
                await self.handoff.forward(conversation_id, text)
                return Turn()
            words = text[1:].split("@")[0].split() if text.startswith("/") else []
            command = words[0].lower() if words else None
            if command in COMMANDS:
                return await self._command(conversation_id, command, language_hint)
            if text.startswith("/") and not self._is_intent_payload(text):
                text = text.lstrip("/") or text
            turn = await self._through_rasa(conversation_id, channel, text, language_hint)
            if was_cut:
                turn.replies.insert(0, await self.render("utter_too_long", conversation_id))
            return turn

    async def handle_unsupported(self, channel: str, user_ref: object, language_hint: Optional[str] = None) -> Turn:
        """Voice, photo, sticker, location, video, file: a polite answer, nothing stored."""
        conversation_id = self.conversation_id(channel, user_ref)
        return Turn([await self.render("utter_unsupported_media", conversation_id, language_hint)])

    def _is_intent_payload(self, text: str) -> bool:
        return bool(_PAYLOAD.match(text)) and text[1:].split("{")[0] in self._known_intents

    async def _command(self, conversation_id: str, command: str, language_hint: Optional[str]) -> Turn:
        if command == "start":
            await self._prepare_turn(conversation_id, language_hint)
            return Turn([await self.render("utter_welcome", conversation_id)])
        if command == "help":
            return Turn([await self.render("utter_help", conversation_id, language_hint)])
        if command == "language":
            return Turn([await self.render("utter_choose_language", conversation_id, language_hint)])
        if command == "stop":
            reply = await self.render("utter_stopped", conversation_id, language_hint)
            await self._store.delete(conversation_id)
            return Turn([reply])
        return await self._delete(conversation_id, language_hint)

    async def _delete(self, conversation_id: str, language_hint: Optional[str] = None) -> Turn:
        language = await self.language_of(conversation_id) or language_hint
        reply = await self.render("utter_deleted", conversation_id, language_hint)
        await self.handoff.delete(conversation_id)
        await self._store.delete(conversation_id)
        return Turn([reply], deleted=True, language=language)

    async def _prepare_turn(self, conversation_id: str, language_hint: Optional[str]) -> Optional[str]:
        """Apply the channel's language guess (Telegram app or browser language) until
        detection; return the person's previous message, which the screener reads
        with the next one (it stays in Rasa's in-memory tracker, nowhere else).
        """
        from rasa.shared.core.events import SlotSet

        store = self.agent.tracker_store
        tracker = await store.get_or_create_tracker(conversation_id)
        if language_hint in LANGUAGES and tracker.get_slot("language_source") is None:
            tracker.update(SlotSet("language", language_hint))
            tracker.update(SlotSet("language_source", "hint"))
            await store.save(tracker)
        earlier = (tracker.latest_message.text if tracker.latest_message else None) or ""
        return None if earlier.startswith("/") or not earlier.strip() else earlier

    async def _through_rasa(self, conversation_id: str, channel: str, text: str,
                            language_hint: Optional[str]) -> Turn:
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

        earlier = await self._prepare_turn(conversation_id, language_hint)
        output = CollectingOutputChannel()
        metadata = {EARLIER_MESSAGE: earlier} if earlier else None
        await self.agent.handle_message(UserMessage(text, output, conversation_id, input_channel=channel,
                                                    metadata=metadata))
        turn = Turn()
        for message in output.messages:
            custom = message.get("custom")
            if isinstance(custom, dict) and "command" in custom:
                if custom["command"] == HANDOFF:
                    turn.replies.append(await self._request_handoff(conversation_id, channel, custom["priority"]))
                elif custom["command"] == DELETE:
                    deleted = await self._delete(conversation_id)
                    turn.replies.extend(deleted.replies)
                    turn.deleted, turn.language = True, deleted.language
                continue
            buttons = [Button(b["title"], b["payload"]) for b in message.get("buttons") or []]
            turn.replies.append(Reply(message.get("text") or "", buttons, message.get("utter_action")))
        return turn

    async def _request_handoff(self, conversation_id: str, channel: str, priority: str) -> Reply:
        tracker = await self.agent.tracker_store.retrieve(conversation_id)
        language = tracker.get_slot("language") if tracker else None
        indicators = tuple(tracker.get_slot("indicators") or []) if tracker else ()
        online = await self.handoff.request(
            HandoffRequest(conversation_id, priority, language, indicators, channel))
        return await self.render("utter_handoff_started" if online else "utter_no_counsellor",
                                 conversation_id, language)

    # -- counsellors' outbox ------------------------------------------------------------
    async def relay_outbox(self) -> None:
        """Forever: deliver counsellor replies and state changes to the person."""
        keys = {JOINED: "utter_counsellor_joined", RELEASED: "utter_bot_back", CLOSED: "utter_conversation_closed"}
        while True:
            message = await self.handoff.next_outbox()
            channel = self._channel_of.get(message.conversation_id)
            deliver = self._deliver.get(channel) if channel else None
            if deliver is None:
                logger.warning("outbox message for a conversation with no live channel dropped")
                continue
            if message.kind == REPLY:
                replies = [Reply(message.text)]
            else:
                replies = [await self.render(keys[message.kind], message.conversation_id)]
            try:
                await deliver(message.conversation_id, replies)
            except Exception as error:  # a channel failure must not stop the relay
                logger.warning("delivering an outbox message failed: %s", type(error).__name__)
