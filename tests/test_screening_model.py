"""The trained model on clear cases in every language: acute danger, negation,
confiscated documents, and plain questions. Integration: a real trained model."""

import json
from pathlib import Path

import pytest

from nlu.vocabulary import LANGUAGES

pytestmark = pytest.mark.integration

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "fixtures" / "screening_cases.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def results(screener):
    return dict(zip([c["id"] for c in CASES], screener.screen([c["text"] for c in CASES])))


def test_fixture_covers_every_language():
    for language in LANGUAGES:
        assert {c["expect"] for c in CASES if c["lang"] == language} == {"immediate", "negated", "documents", "none"}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case, results):
    result = results[case["id"]]
    assert result["language"] == case["lang"]
    if case["expect"] == "immediate":
        assert result["risk"] == "immediate" and result["handoff"] is True
        assert result["triggers"].get("immediate"), "acute danger must name the words behind it"
    elif case["expect"] == "negated":
        assert "document_retention" not in result["indicators"]
        assert result["risk"] in ("none", "low")
    elif case["expect"] == "documents":
        assert "document_retention" in result["indicators"]
        assert result["risk"] == "high" and result["handoff"] is True
        assert result["triggers"]["document_retention"]
    else:
        assert result["risk"] == "none" and result["indicators"] == []


def test_triggers_are_words_of_the_message(results):
    for case in CASES:
        for words in results[case["id"]]["triggers"].values():
            for word in words:
                assert word in case["text"]


@pytest.mark.parametrize("which, urgent", [("dev", 447), ("test", 256)])
def test_eval_reads_the_chosen_held_out_set(trained_model, which, urgent):
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(cli, ["eval", "--set", which, "--json-output"])
    assert result.exit_code == 0, result.output[-2000:]
    figures = json.loads(result.stdout)
    assert set(figures["model"]) == set(LANGUAGES) | {"all"}
    assert figures["model"]["all"]["urgent_count"] == urgent
    assert figures["model"]["all"]["urgent_recall"] > figures["baseline"]["all"]["urgent_recall"]
