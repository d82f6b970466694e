"""The risk policy and the vocabulary, checked against shared/SCREENING.md."""

import re

import pytest

from bot.paths import PROJECT_ROOT
from nlu.vocabulary import INDICATORS, LANGUAGES, highest_risk, needs_handoff, risk_level, sort_indicators

CONTRACT = PROJECT_ROOT.parent / "shared" / "SCREENING.md"


@pytest.mark.parametrize(
    "indicators, immediate, risk",
    [
        ([], False, "none"),
        ([], True, "immediate"),
        (["withheld_wages"], True, "immediate"),
        (["withheld_wages"], False, "low"),
        (["excessive_hours"], False, "low"),
        (["deception"], False, "low"),
        (["abusive_conditions"], False, "low"),
        (["isolation"], False, "low"),
        (["withheld_wages", "deception"], False, "high"),
        (["excessive_hours", "isolation"], False, "high"),
        (["debt_bondage"], False, "high"),
        (["document_retention"], False, "high"),
        (["restricted_movement"], False, "high"),
        (["violence"], False, "high"),
        (["threats"], False, "high"),
        (["online_control"], False, "high"),
        (["forced_criminality"], False, "high"),
        (["sexual_exploitation"], False, "high"),
        (["violence", "restricted_movement"], True, "immediate"),
    ],
)
def test_risk_policy(indicators, immediate, risk):
    assert risk_level(indicators, immediate) == risk


@pytest.mark.parametrize(
    "risk, asks, handoff",
    [("none", False, False), ("low", False, False), ("high", False, True),
     ("immediate", False, True), ("none", True, True), ("low", True, True)],
)
def test_handoff_rule(risk, asks, handoff):
    assert needs_handoff(risk, asks) is handoff


def test_unknown_indicator_is_refused_with_a_hint():
    with pytest.raises(ValueError, match="SCREENING.md"):
        risk_level(["passport_taken"])


def test_indicators_sorted_in_contract_order_without_duplicates():
    assert sort_indicators(["violence", "debt_bondage", "violence"]) == ["debt_bondage", "violence"]


def test_highest_risk():
    assert highest_risk(None, "low", "immediate", "high") == "immediate"
    assert highest_risk() == "none"


@pytest.mark.skipif(not CONTRACT.exists(), reason="shared/ is not beside the project")
def test_vocabulary_mirrors_the_contract():
    text = CONTRACT.read_text(encoding="utf-8")
    table = text.split("## Indicators")[1].split("## Risk levels")[0]
    assert tuple(re.findall(r"^\| `(\w+)` \|", table, re.M)) == INDICATORS
    languages = text.split("## Languages")[1]
    assert set(re.findall(r"`([a-z]{2})`", languages)) == set(LANGUAGES)
