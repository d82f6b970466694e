"""Screening with the trained model: the contract's answer for many texts at once."""

from __future__ import annotations

from typing import Any, Sequence

from bot import rasa_runtime
from nlu.components import LANGUAGE, SCREENING

NO_SCREENING = {"indicators": [], "risk": "none", "handoff": False, "triggers": {}}


class Screener:
    """Loads the model once and screens batches through Rasa's NLU graph."""

    def __init__(self, agent: Any = None) -> None:
        self.agent = agent or rasa_runtime.load_agent()

    def parse(self, texts: Sequence[str]) -> list[dict]:
        return rasa_runtime.parse_batch(self.agent, texts) if texts else []

    def screen(self, texts: Sequence[str]) -> list[dict]:
        """Per text: language, indicators, risk, handoff, triggers and intent."""
        results = []
        for parsed in self.parse(texts):
            screening = parsed.get(SCREENING) or NO_SCREENING
            results.append({
                "language": parsed.get(LANGUAGE),
                **screening,
                "intent": (parsed.get("intent") or {}).get("name"),
            })
        return results
