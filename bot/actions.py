"""Custom actions, run in process by rasa_sdk's executor.

Actions decide what to say; what must happen outside Rasa (hand the chat to a
counsellor, delete the conversation) they ask of the conversation engine with
a custom message ``{"command": ...}``, which the engine carries out and never
shows to the user.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from nlu.vocabulary import GUIDED_CHECK_TOPICS, LANGUAGES, highest_risk, risk_level, sort_indicators

#: A detected language is trusted from this confidence on; below it, a hint or
#: the conversation's language stays.
LANGUAGE_CONFIDENCE = 0.7
HANDOFF = "handoff"
DELETE = "delete"


def command(dispatcher: CollectingDispatcher, name: str, **arguments: Any) -> None:
    """Ask the conversation engine to do something outside Rasa."""
    dispatcher.utter_message(json_message={"command": name, **arguments})


def _risk_of(tracker: Tracker) -> str:
    return tracker.get_slot("risk") or "none"


def request_handoff(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Ask for a counsellor with the conversation's priority; 112 first when acute."""
    risk = _risk_of(tracker)
    if risk == "immediate":
        dispatcher.utter_message(response="utter_immediate_danger")
    command(dispatcher, HANDOFF, priority=risk if risk in ("immediate", "high") else "requested")
    return [SlotSet("pending_question", None)]


class ActionUpdateScreening(Action):
    """Every user turn: accumulate indicators and the highest risk; settle the language."""

    def name(self) -> str:
        return "action_update_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        latest = tracker.latest_message or {}
        events: list[EventType] = []
        language = latest.get("language")
        if (language in LANGUAGES and (latest.get("language_confidence") or 0) >= LANGUAGE_CONFIDENCE
                and tracker.get_slot("language_source") not in ("detected", "chosen")):
            events += [SlotSet("language", language), SlotSet("language_source", "detected")]
        screening = latest.get("screening")
        if screening:
            # Two mild indicators in two messages are "two or more indicators": high.
            indicators = sort_indicators([*(tracker.get_slot("indicators") or []), *screening["indicators"]])
            events += [
                SlotSet("indicators", indicators),
                SlotSet("risk", highest_risk(_risk_of(tracker), screening["risk"], risk_level(indicators))),
                SlotSet("latest_risk", screening["risk"]),
            ]
        return events


class ActionRespondToSituation(Action):
    """Answer what the person described, by the risk of that message."""

    def name(self) -> str:
        return "action_respond_to_situation"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        latest_risk = tracker.get_slot("latest_risk") or "none"
        if latest_risk == "immediate":
            dispatcher.utter_message(response="utter_immediate_danger")
            command(dispatcher, HANDOFF, priority="immediate")
            return [SlotSet("pending_question", None)]
        if latest_risk == "high" or (latest_risk == "low" and _risk_of(tracker) in ("high", "immediate")):
            if not tracker.get_slot("safety_asked"):
                dispatcher.utter_message(response="utter_vanish_chat")
                dispatcher.utter_message(response="utter_ask_safe_now")
                return [SlotSet("safety_asked", True), SlotSet("pending_question", "safe_now")]
            dispatcher.utter_message(response="utter_offer_counsellor")
            return [SlotSet("pending_question", "counsellor")]
        if latest_risk == "low":
            dispatcher.utter_message(response="utter_low_risk")
            return [SlotSet("pending_question", "guided_check")]
        dispatcher.utter_message(response="utter_tell_more")
        return [SlotSet("pending_question", None)]


class ActionAnswerPending(Action):
    """Yes or no, read as the answer to the question the bot asked last."""

    def name(self) -> str:
        return "action_answer_pending"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        pending = tracker.get_slot("pending_question")
        yes = (tracker.latest_message.get("intent") or {}).get("name") == "affirm"
        cleared = [SlotSet("pending_question", None)]
        if pending == "safe_now":
            if yes:
                dispatcher.utter_message(response="utter_offer_counsellor")
                return [SlotSet("pending_question", "counsellor")]
            dispatcher.utter_message(response="utter_safe_no")
            return cleared
        if pending == "counsellor" and yes:
            return request_handoff(dispatcher, tracker)
        if pending == "guided_check" and yes:
            return cleared + [FollowupAction("guided_check_form")]
        dispatcher.utter_message(response="utter_acknowledge")
        return cleared


class ActionRequestHandoff(Action):
    """Hand the chat to a counsellor, with the conversation's priority."""

    def name(self) -> str:
        return "action_request_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        return request_handoff(dispatcher, tracker)


class ActionRequestDeletion(Action):
    def name(self) -> str:
        return "action_request_deletion"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        command(dispatcher, DELETE)
        return []


class ActionSetLanguage(Action):
    """The language chosen with /language or its buttons: always wins."""

    def name(self) -> str:
        return "action_set_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        chosen = next(tracker.get_latest_entity_values("language"), None)
        if chosen not in LANGUAGES:
            dispatcher.utter_message(response="utter_choose_language")
            return []
        # Say it in the new language: the slot changes only after this action.
        dispatcher.utter_message(response="utter_language_set", language=chosen)
        return [SlotSet("language", chosen), SlotSet("language_source", "chosen")]


def _guided_check_question(topic: str) -> type:
    """The form asks for slot ``check_<topic>`` with action ``action_ask_check_<topic>``."""

    class AskGuidedCheckQuestion(Action):
        def name(self) -> str:
            return f"action_ask_check_{topic}"

        async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: dict[str, Any]) -> list[EventType]:
            dispatcher.utter_message(response=f"utter_ask_check_{topic}")
            return []

    return AskGuidedCheckQuestion


GUIDED_CHECK_QUESTIONS = [_guided_check_question(topic) for topic in GUIDED_CHECK_TOPICS]


class ActionGuidedCheckResult(Action):
    """Map the guided check's answers to indicators, through the shared vocabulary."""

    def name(self) -> str:
        return "action_guided_check_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        found = [indicator for topic, indicator in GUIDED_CHECK_TOPICS.items()
                 if tracker.get_slot(f"check_{topic}") == "yes"]
        indicators = sort_indicators([*(tracker.get_slot("indicators") or []), *found])
        risk = highest_risk(_risk_of(tracker), risk_level(found))
        events: list[EventType] = [SlotSet("indicators", indicators), SlotSet("risk", risk),
                                   SlotSet("latest_risk", risk_level(found))]
        events += [SlotSet(f"check_{topic}", None) for topic in GUIDED_CHECK_TOPICS]
        if risk in ("high", "immediate"):
            dispatcher.utter_message(response="utter_offer_counsellor")
            events.append(SlotSet("pending_question", "counsellor"))
        else:
            dispatcher.utter_message(response="utter_check_clear")
        return events
