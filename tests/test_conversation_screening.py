"""Screening across a conversation: what two messages show only together, and
two mild indicators in two messages, count as the contract says."""

import asyncio

import pytest

from bot.conversation import ConversationEngine
from bot.pseudonyms import Pseudonymizer
from handoff.memory import InMemoryHandoff

pytestmark = pytest.mark.integration


def converse(agent, user, *texts):
    engine = ConversationEngine(agent, InMemoryHandoff(), Pseudonymizer(b"k" * 32))

    async def run():
        for text in texts:
            await engine.handle_message("web", user, text)
        return await agent.tracker_store.retrieve(engine.conversation_id("web", user))

    tracker = asyncio.run(run())
    return tracker.get_slot("indicators") or [], tracker.get_slot("risk")


@pytest.mark.parametrize("earlier, text, indicator", [
    ("It's about my passport.", "They took it on the first day.", "document_retention"),
    ("Det handler om mit pas.", "De tog det den første dag.", "document_retention"),
    ("Es sobre mi pasaporte.", "Me lo quitaron el primer día.", "document_retention"),
    ("Vreau să vă întreb de pașaport.", "Mi l-au luat din prima zi.", "document_retention"),
])
def test_an_indicator_split_over_two_messages_is_found(agent, screener, earlier, text, indicator):
    # Neither message alone shows it.
    assert [s["indicators"] for s in screener.screen([earlier, text])] == [[], []]
    indicators, risk = converse(agent, f"split-{indicator}", earlier, text)
    assert indicator in indicators and risk == "high"


def test_two_mild_indicators_in_two_messages_make_high_risk(agent, screener):
    first, second = "I work 16 hours every day, no day off since March.", "And we sleep eight people in a wet cellar full of mould."
    assert [s["risk"] for s in screener.screen([first, second])] == ["low", "low"]
    indicators, risk = converse(agent, "two-mild", first, second)
    assert len(indicators) == 2 and risk == "high"


def test_a_calm_follow_up_adds_nothing(agent):
    indicators, risk = converse(agent, "calm", "It's about my passport.", "I lost it on the train, where do I get a new one?")
    assert indicators == [] and risk == "none"
