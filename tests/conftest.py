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
    return rasa_runtime.load_agent(trained_model)


@pytest.fixture(scope="session")
def screener(agent):
    from bot.screening import Screener

    return Screener(agent)
