"""The screening vocabulary: one module that mirrors ``shared/SCREENING.md``.

Code, training data, tests and statistics use these names. Change them only
together with the contract.
"""

from __future__ import annotations

from typing import Iterable, Optional

INDICATORS: tuple[str, ...] = (
    "debt_bondage",
    "document_retention",
    "restricted_movement",
    "isolation",
    "violence",
    "threats",
    "withheld_wages",
    "deception",
    "excessive_hours",
    "abusive_conditions",
    "online_control",
    "forced_criminality",
    "sexual_exploitation",
)

#: Any one of these alone makes the risk ``high``.
SEVERE_INDICATORS: frozenset[str] = frozenset(
    {
        "debt_bondage",
        "document_retention",
        "restricted_movement",
        "violence",
        "threats",
        "online_control",
        "forced_criminality",
        "sexual_exploitation",
    }
)

#: Exactly one of these and nothing else makes the risk ``low``.
MILD_INDICATORS: frozenset[str] = frozenset(INDICATORS) - SEVERE_INDICATORS

RISK_LEVELS: tuple[str, ...] = ("none", "low", "high", "immediate")
URGENT_RISKS: frozenset[str] = frozenset({"high", "immediate"})

LANGUAGES: tuple[str, ...] = ("da", "en", "ro", "bg", "es", "th", "vi", "uk")

LANGUAGE_NAMES: dict[str, str] = {
    "da": "Dansk",
    "en": "English",
    "ro": "Română",
    "bg": "Български",
    "es": "Español",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "uk": "Українська",
}

#: The guided check asks one yes/no question per topic; a "yes" is evidence of
#: the indicator named here (the same names the screener uses).
GUIDED_CHECK_TOPICS: dict[str, str] = {
    "documents": "document_retention",
    "debt": "debt_bondage",
    "leave": "restricted_movement",
    "pay": "withheld_wages",
    "threats": "threats",
    "online": "online_control",
}


def sort_indicators(indicators: Iterable[str]) -> list[str]:
    """Return known indicators, deduplicated, in contract order."""
    wanted = set(indicators)
    unknown = wanted - set(INDICATORS)
    if unknown:
        raise ValueError(
            f"unknown indicator(s) {sorted(unknown)}; the names are listed in "
            "shared/SCREENING.md and nlu/vocabulary.py"
        )
    return [name for name in INDICATORS if name in wanted]


def risk_level(indicators: Iterable[str], immediate: bool = False) -> str:
    """The contract's risk policy: ``immediate`` wins, then high, low, none."""
    found = set(sort_indicators(indicators))
    if immediate:
        return "immediate"
    if found & SEVERE_INDICATORS or len(found) >= 2:
        return "high"
    if len(found) == 1:
        return "low"
    return "none"


def needs_handoff(risk: str, asks_for_human: bool = False) -> bool:
    """A counsellor takes over for urgent risk or when the writer asks for one."""
    if risk not in RISK_LEVELS:
        raise ValueError(f"unknown risk level {risk!r}; expected one of {RISK_LEVELS}")
    return risk in URGENT_RISKS or asks_for_human


def highest_risk(*risks: Optional[str]) -> str:
    """The highest of several risk levels (``None`` counts as ``none``)."""
    return max((r or "none" for r in risks), key=RISK_LEVELS.index, default="none")
