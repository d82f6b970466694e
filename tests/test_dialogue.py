"""The dialogue: Rasa's own data validation, the test stories through the real
model, every response in all eight languages, and a bounded tracker."""

import asyncio
import re
import subprocess
import sys

import pytest
import yaml

from bot import paths, rasa_runtime
from bot.responses import default_responses
from nlu.vocabulary import LANGUAGES

RESPONSES = default_responses()
INTERNAL_ACTIONS = {"action_listen", "action_extract_slots", "action_session_start"}


def test_every_response_exists_in_every_language_with_the_same_buttons_and_placeholders():
    english = {key: RESPONSES.raw(key, "en") for key in RESPONSES.keys}
    assert RESPONSES.languages() == list(LANGUAGES)
    for language in LANGUAGES:
        for key, source in english.items():
            entry = RESPONSES.raw(key, language)
            assert set(re.findall(r"\{(\w+)\}", entry["text"])) == set(re.findall(r"\{(\w+)\}", source["text"])), (language, key)
            assert [b["payload"] for b in entry.get("buttons") or []] == [b["payload"] for b in source.get("buttons") or []]
            assert entry.get("review") == source.get("review"), (language, key)
            rendered = RESPONSES.render(key, language)
            assert rendered.text.strip() and "{" not in rendered.text


def test_safety_critical_texts_carry_a_review_mark():
    for key in ("utter_welcome", "utter_immediate_danger", "utter_rights", "utter_help_contacts",
                "utter_no_counsellor", "utter_safe_no"):
        assert RESPONSES.raw(key, "en").get("review") == "safety"
        assert "112" in RESPONSES.render(key, "da").text or key in ("utter_rights", "utter_anonymity")
    help_data = yaml.safe_load((paths.PROJECT_ROOT / "data" / "help" / "denmark.yml").read_text())
    assert help_data["review"] == "required" and help_data["contacts"]["emergency"] == "112"


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_lines_are_harmless_in_a_notification_preview(language):
    alarming = re.compile(r"traffick|exploit|police|polit|danger|112|violence|abuse|menneskehandel", re.I)
    for key in RESPONSES.keys:
        first = RESPONSES.render(key, language).text.splitlines()[0]
        assert not alarming.search(first), (language, key, first)


def test_telegram_command_menu_in_every_language():
    from bot.conversation import COMMANDS
    from bot.telegram_channel import command_menus

    menus = command_menus()
    assert set(menus) == set(LANGUAGES)
    for language, menu in menus.items():
        assert set(menu) == set(COMMANDS), language
        assert all(0 < len(description) <= 256 for description in menu.values()), language


def test_unknown_language_falls_back_to_english():
    assert RESPONSES.render("utter_goodbye", "xx").text == RESPONSES.render("utter_goodbye", "en").text


def test_every_utterance_in_rules_and_stories_has_a_response():
    used = set()
    for path in (paths.PROJECT_ROOT / "data" / "rules.yml", paths.PROJECT_ROOT / "data" / "stories.yml",
                 paths.STORY_TESTS):
        used |= set(re.findall(r"action: (utter_\w+)", path.read_text()))
    assert used <= RESPONSES.keys


@pytest.mark.integration
def test_rasa_data_validate_is_clean():
    domain = rasa_runtime.training_domain()
    config = rasa_runtime.training_config()
    completed = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings", "--domain", str(domain),
         "--config", str(config), "--data", *[str(p) for p in paths.TRAINING_DATA]],
        capture_output=True, text=True, timeout=600, env={**__import__("os").environ, "RASA_TELEMETRY_ENABLED": "false"})
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]


STORIES = yaml.safe_load(paths.STORY_TESTS.read_text(encoding="utf-8"))["stories"]


@pytest.mark.integration
@pytest.mark.parametrize("story", STORIES, ids=[s["story"] for s in STORIES])
def test_story(agent, story):
    """Like `rasa test --fail-on-prediction-errors`: every intent and action as written."""
    sender = f"story-{abs(hash(story['story']))}"

    async def run():
        turns = []  # [expected intent, intent, actions run, expected actions]
        for step in story["steps"]:
            if "user" in step:
                await agent.handle_text(step["user"].strip(), sender_id=sender)
                events = list((await agent.tracker_store.retrieve(sender)).events)
                new = events[max(i for i, e in enumerate(events) if e.type_name == "user"):]
                intent = next(e.intent["name"] for e in new if e.type_name == "user")
                actions = [e.action_name for e in new
                           if e.type_name == "action" and e.action_name not in INTERNAL_ACTIONS]
                turns.append([step["intent"], intent, actions, []])
            elif "action" in step:
                turns[-1][3].append(step["action"])
        return turns

    for expected_intent, intent, actions, expected_actions in asyncio.run(run()):
        assert intent == expected_intent
        assert actions == expected_actions


@pytest.mark.integration
def test_turn_cost_is_bounded_and_slots_survive(agent):
    from bot.tracker_store import BoundedInMemoryTrackerStore, KEPT_EVENTS

    store = BoundedInMemoryTrackerStore(agent.domain)
    original = agent.tracker_store
    agent.tracker_store = agent.processor.tracker_store = store
    try:
        async def run():
            await agent.handle_text("my boss keeps my passport and I owe him for the flight", sender_id="long")
            for i in range(60):
                await agent.handle_text("ok", sender_id="long")
            return await store.retrieve("long")

        tracker = asyncio.run(run())
    finally:
        agent.tracker_store = agent.processor.tracker_store = original
    assert len(tracker.events) <= KEPT_EVENTS + 20
    assert "document_retention" in tracker.get_slot("indicators")
    assert tracker.get_slot("risk") == "high"
