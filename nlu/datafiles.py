"""Reading and checking udvej's labelled data files.

Training data lives in Rasa's NLU YAML (``data/nlu/<lang>.yml``): every intent
block carries ``metadata: {lang: xx}`` and every ``describe_situation`` example
carries ``metadata: {indicators: [...], immediate: bool}``. Rasa fingerprints
these files, so a label change always retrains. The dev set lives apart in
``data/eval/<lang>.jsonl``.

``python -m nlu.datafiles data/nlu/da.yml`` prints a summary and every problem.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import yaml

from nlu.vocabulary import INDICATORS, LANGUAGES, needs_handoff, risk_level, sort_indicators

INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "ask_what_is_this",
    "ask_anonymity",
    "ask_rights",
    "request_human",
    "affirm",
    "deny",
    "describe_situation",
    "delete_my_data",
    "out_of_scope",
)
#: Intents that buttons send (/skip, /set_language{...}); a few typed examples, no floor.
BUTTON_INTENTS: tuple[str, ...] = ("set_language", "skip")

#: Minimum counts per language file (the issue's floor, with a margin).
MIN_PER_INDICATOR = 10
MIN_IMMEDIATE = 18
MIN_NEGATED = 12
MIN_CLEAN_SITUATIONS = 25
MIN_PER_OTHER_INTENT = 10


class DataFileError(ValueError):
    """A data file does not follow the format described in this module."""


@dataclass(frozen=True)
class LabelledText:
    """One message with its gold labels."""

    text: str
    language: str
    intent: str
    indicators: tuple[str, ...] = ()
    immediate: bool = False
    negated: bool = False
    asks_for_human: bool = False
    id: Optional[str] = None

    @property
    def risk(self) -> str:
        return risk_level(self.indicators, self.immediate)

    @property
    def handoff(self) -> bool:
        return needs_handoff(self.risk, self.asks_for_human or self.intent == "request_human")


@dataclass
class Summary:
    total: int = 0
    intents: Counter = field(default_factory=Counter)
    indicators: Counter = field(default_factory=Counter)
    immediate: int = 0
    negated: int = 0
    clean_situations: int = 0


def load_nlu_file(path: Path) -> list[LabelledText]:
    """Read one ``data/nlu/<lang>.yml`` file into labelled texts."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DataFileError(f"{path}: not valid YAML ({error}); quote texts with ':' or '#'")
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise DataFileError(f"{path}: expected a mapping with an 'nlu' list")
    examples: list[LabelledText] = []
    for block in document["nlu"]:
        intent = block.get("intent")
        if intent not in INTENTS + BUTTON_INTENTS:
            raise DataFileError(f"{path}: unknown intent {intent!r}; use one of {INTENTS + BUTTON_INTENTS}")
        language = (block.get("metadata") or {}).get("lang")
        if language not in LANGUAGES:
            raise DataFileError(f"{path}: intent {intent} needs metadata: {{lang: <one of {LANGUAGES}>}}")
        for item in block.get("examples") or []:
            examples.append(_labelled_example(path, intent, language, item))
    return examples


def _labelled_example(path: Path, intent: str, language: str, item: object) -> LabelledText:
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
        raise DataFileError(f"{path}: {intent}: each example needs a non-empty 'text'")
    metadata = item.get("metadata") or {}
    indicators = metadata.get("indicators", [])
    if intent == "describe_situation" and "indicators" not in metadata:
        raise DataFileError(f"{path}: {item['text']!r} needs metadata: {{indicators: [...]}}")
    try:
        indicators = tuple(sort_indicators(indicators))
    except ValueError as error:
        raise DataFileError(f"{path}: {item['text']!r}: {error}")
    return LabelledText(
        text=item["text"].strip(),
        language=language,
        intent=intent,
        indicators=indicators,
        immediate=bool(metadata.get("immediate", False)),
        negated=bool(metadata.get("negated", False)),
    )


def load_eval_file(path: Path) -> list[LabelledText]:
    """Read one ``data/eval/<lang>.jsonl`` dev file."""
    examples = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            examples.append(
                LabelledText(
                    id=str(row["id"]),
                    text=row["text"],
                    language=row["language"],
                    intent="request_human" if row.get("asks_for_human") else "describe_situation",
                    indicators=tuple(sort_indicators(row["indicators"])),
                    immediate=bool(row.get("immediate", False)),
                    negated=bool(row.get("negated", False)),
                    asks_for_human=bool(row.get("asks_for_human", False)),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise DataFileError(f"{path}:{number}: {error!r}")
    return examples


def summarize(examples: Iterable[LabelledText]) -> Summary:
    summary = Summary()
    for example in examples:
        summary.total += 1
        summary.intents[example.intent] += 1
        summary.indicators.update(example.indicators)
        summary.immediate += example.immediate
        summary.negated += example.negated
        if example.intent == "describe_situation" and not example.indicators and not example.immediate:
            summary.clean_situations += 1
    return summary


def problems(summary: Summary) -> list[str]:
    """What a language's training file still lacks against the floors above."""
    found = []
    for name in INDICATORS:
        if summary.indicators[name] < MIN_PER_INDICATOR:
            found.append(f"indicator {name}: {summary.indicators[name]} < {MIN_PER_INDICATOR}")
    for intent in INTENTS:
        if intent != "describe_situation" and summary.intents[intent] < MIN_PER_OTHER_INTENT:
            found.append(f"intent {intent}: {summary.intents[intent]} < {MIN_PER_OTHER_INTENT}")
    if summary.immediate < MIN_IMMEDIATE:
        found.append(f"immediate: {summary.immediate} < {MIN_IMMEDIATE}")
    if summary.negated < MIN_NEGATED:
        found.append(f"negated: {summary.negated} < {MIN_NEGATED}")
    if summary.clean_situations < MIN_CLEAN_SITUATIONS:
        found.append(f"hard negatives (describe_situation, no indicator): {summary.clean_situations} < {MIN_CLEAN_SITUATIONS}")
    return found


def main(paths: list[str]) -> int:
    failed = False
    for path in paths:
        try:
            examples = load_eval_file(Path(path)) if path.endswith(".jsonl") else load_nlu_file(Path(path))
        except DataFileError as error:
            print(f"ERROR {error}")
            failed = True
            continue
        summary = summarize(examples)
        risks = Counter(example.risk for example in examples)
        print(f"{path}: {summary.total} examples; intents {dict(summary.intents)}")
        print(f"  indicators {dict(summary.indicators)}")
        print(f"  immediate {summary.immediate}, negated {summary.negated}, "
              f"hard negatives {summary.clean_situations}, risks {dict(risks)}")
        supplement = "-" in Path(path).stem  # e.g. da-2.yml adds to da.yml
        compared = examples
        if supplement:
            main_file = Path(path).with_name(Path(path).stem.split("-")[0] + ".yml")
            compared = examples + (load_nlu_file(main_file) if main_file.exists() else [])
        duplicates = [t for t, n in Counter(e.text.lower() for e in compared).items() if n > 1]
        if duplicates:
            print(f"  duplicate texts: {duplicates[:5]}")
        if not path.endswith(".jsonl") and not supplement:
            for problem in problems(summary):
                print(f"  MISSING {problem}")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
