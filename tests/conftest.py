"""Shared fixtures: one trained model per test session, loaded once."""

from __future__ import annotations

import pytest

from bot import rasa_runtime

rasa_runtime.prepare_environment()


@pytest.fixture(scope="session")
def trained_model():
    """The project's model, trained (or kept, when up to date) once per session."""
    return rasa_runtime.train()


@pytest.fixture(scope="session")
def agent(trained_model):
    """Loaded as `udvej run` loads it: with the bounded in-memory tracker store."""
    from bot.tracker_store import BoundedInMemoryTrackerStore

    return rasa_runtime.load_agent(trained_model, tracker_store=BoundedInMemoryTrackerStore(None))


@pytest.fixture(scope="session")
def screener(agent):
    from bot.screening import Screener

    return Screener(agent)
