"""Screening quality on the dev set, with 95% Wilson intervals, and a baseline.

The keyword baseline is derived from the training data (the words that most
reliably mark each indicator there), so it is a fair "plain keyword matcher"
rather than a straw man written to lose.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Sequence

from nlu.datafiles import LabelledText
from nlu.text import fold, normalize, tokenize
from nlu.vocabulary import INDICATORS, LANGUAGES, URGENT_RISKS, needs_handoff, risk_level

Predict = Callable[[Sequence[str]], list[dict]]
Z95 = 1.959964


@dataclass
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> Optional[float]:
        return self.hits / self.total if self.total else None

    def wilson(self) -> tuple[float, float]:
        """95% Wilson score interval."""
        if not self.total:
            return (0.0, 1.0)
        n, p = self.total, self.hits / self.total
        centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
        return (max(0.0, centre - half), min(1.0, centre + half))

    def __str__(self) -> str:
        if not self.total:
            return "   n/a            "
        low, high = self.wilson()
        return f"{self.value:.3f} [{low:.2f},{high:.2f}] n={self.total}"


@dataclass
class Report:
    urgent_recall: Rate
    immediate_recall: Rate
    false_alarm: Rate
    indicator_precision: Rate
    indicator_recall: Rate
    language_accuracy: Rate
    handoff_accuracy: Rate

    @property
    def indicator_f1(self) -> float:
        p, r = self.indicator_precision.value or 0.0, self.indicator_recall.value or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "urgent_recall": self.urgent_recall.value,
            "urgent_count": self.urgent_recall.total,
            "immediate_count": self.immediate_recall.total,
            "calm_count": self.false_alarm.total,
            "immediate_recall": self.immediate_recall.value,
            "false_alarm_rate": self.false_alarm.value,
            "indicator_precision": self.indicator_precision.value,
            "indicator_recall": self.indicator_recall.value,
            "indicator_f1": self.indicator_f1,
            "language_accuracy": self.language_accuracy.value,
            "handoff_accuracy": self.handoff_accuracy.value,
        }


def evaluate(gold: Sequence[LabelledText], predicted: Sequence[dict]) -> Report:
    counts = Counter()
    for example, guess in zip(gold, predicted):
        urgent_gold = example.risk in URGENT_RISKS
        urgent_guess = guess["risk"] in URGENT_RISKS
        counts["urgent"] += urgent_gold
        counts["urgent_hit"] += urgent_gold and urgent_guess
        counts["immediate"] += example.immediate
        counts["immediate_hit"] += example.immediate and guess["risk"] == "immediate"
        counts["calm"] += not urgent_gold
        counts["false_alarm"] += (not urgent_gold) and urgent_guess
        gold_set, guess_set = set(example.indicators), set(guess["indicators"])
        counts["tp"] += len(gold_set & guess_set)
        counts["predicted"] += len(guess_set)
        counts["actual"] += len(gold_set)
        counts["language_hit"] += guess.get("language") == example.language
        counts["handoff_hit"] += bool(guess["handoff"]) == example.handoff
        counts["n"] += 1
    return Report(
        urgent_recall=Rate(counts["urgent_hit"], counts["urgent"]),
        immediate_recall=Rate(counts["immediate_hit"], counts["immediate"]),
        false_alarm=Rate(counts["false_alarm"], counts["calm"]),
        indicator_precision=Rate(counts["tp"], counts["predicted"]),
        indicator_recall=Rate(counts["tp"], counts["actual"]),
        language_accuracy=Rate(counts["language_hit"], counts["n"]),
        handoff_accuracy=Rate(counts["handoff_hit"], counts["n"]),
    )


def evaluate_by_language(gold: Sequence[LabelledText], predicted: Sequence[dict]) -> dict[str, Report]:
    groups: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(gold):
        groups[example.language].append(index)
    reports = {lang: evaluate([gold[i] for i in groups[lang]], [predicted[i] for i in groups[lang]])
               for lang in LANGUAGES if lang in groups}
    reports["all"] = evaluate(gold, predicted)
    return reports


def format_reports(title: str, reports: dict[str, Report]) -> str:
    rows = [f"== {title}",
            f"{'lang':4} {'urgent recall':26} {'immediate recall':26} {'false alarms':26} "
            f"{'ind P':7} {'ind R':7} {'ind F1':7} {'language acc':26} {'handoff acc':26}"]
    for language, r in reports.items():
        rows.append(
            f"{language:4} {str(r.urgent_recall):26} {str(r.immediate_recall):26} {str(r.false_alarm):26} "
            f"{r.indicator_precision.value or 0:7.3f} {r.indicator_recall.value or 0:7.3f} "
            f"{r.indicator_f1:7.3f} {str(r.language_accuracy):26} {str(r.handoff_accuracy):26}")
    return "\n".join(rows)


# -- keyword baseline -----------------------------------------------------------

def _words(text: str) -> set[str]:
    return {fold(t.text) for t in tokenize(normalize(text)) if len(t.text) > 2}


class KeywordBaseline:
    """Flags an indicator when any of its training-data keywords appears."""

    def __init__(self, training: Iterable[LabelledText], min_count: int = 3,
                 min_precision: float = 0.7, per_label: int = 25) -> None:
        examples = list(training)
        document_frequency: Counter = Counter()
        label_frequency: dict[str, Counter] = defaultdict(Counter)
        for example in examples:
            words = _words(example.text)
            document_frequency.update(words)
            labels = list(example.indicators) + (["immediate"] if example.immediate else [])
            for label in labels:
                label_frequency[label].update(words)
        self.keywords: dict[str, set[str]] = {}
        for label in list(INDICATORS) + ["immediate"]:
            candidates = [(n, w) for w, n in label_frequency[label].items()
                          if n >= min_count and n / document_frequency[w] >= min_precision]
            self.keywords[label] = {w for _, w in sorted(candidates, reverse=True)[:per_label]}

    def predict(self, texts: Sequence[str]) -> list[dict]:
        from nlu.language import lingua_confidences

        confidences = lingua_confidences(texts)
        results = []
        for text, row in zip(texts, confidences):
            words = _words(text)
            indicators = [name for name in INDICATORS if words & self.keywords[name]]
            immediate = bool(words & self.keywords["immediate"])
            risk = risk_level(indicators, immediate)
            language = LANGUAGES[int(row.argmax())] if row.max() > 0 else None
            results.append({"language": language, "indicators": indicators, "risk": risk,
                            "handoff": needs_handoff(risk)})
        return results


# -- dev/train separation -----------------------------------------------------

def char_shingles(text: str, size: int = 5) -> set[str]:
    folded = " ".join(fold(t.text) for t in tokenize(normalize(text)))
    return {folded[i:i + size] for i in range(max(1, len(folded) - size + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_copies(dev: Sequence[str], training: Sequence[str], threshold: float = 0.6) -> list[tuple[str, str, float]]:
    """Dev texts whose character 5-gram Jaccard with a training text reaches ``threshold``."""
    index: dict[str, list[int]] = defaultdict(list)
    train_shingles = [char_shingles(t) for t in training]
    for position, shingles in enumerate(train_shingles):
        for shingle in shingles:
            index[shingle].append(position)
    found = []
    for text in dev:
        shingles = char_shingles(text)
        overlap: Counter = Counter()
        for shingle in shingles:
            overlap.update(index.get(shingle, ()))
        for position, shared in overlap.most_common(3):
            union = len(shingles) + len(train_shingles[position]) - shared
            score = shared / union if union else 1.0
            if score >= threshold:
                found.append((text, training[position], score))
    return found
