"""Concepts shared by all eight languages ("passport", "locked", "debt", "now").

``nlu/lexicon/<lang>.yml`` maps each concept to the words that express it in
that language. The screener sees a concept as one feature whatever the
language, so evidence learned from Danish messages also serves Thai ones; that
matters with a few hundred examples per indicator and language.

Entries are matched on folded text (lower case, no diacritics) at the start of
a word ("confiscat" matches "confiscated"); ``=pas`` matches the whole word
only; Thai entries match anywhere, since Thai has no spaces.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import regex
import yaml

from nlu.text import fold

LEXICON_DIR = Path(__file__).resolve().parent / "lexicon"
_THAI = regex.compile(r"\p{Thai}")


def _pattern(entry: str) -> str:
    exact = entry.startswith("=")
    words = fold(entry.lstrip("=").strip()).split()
    body = r"\s+".join(regex.escape(word) for word in words)
    if _THAI.search(body):
        return body
    return rf"(?<![\w]){body}" + (r"(?![\w])" if exact else "")


class ConceptLexicon:
    def __init__(self, entries: dict[str, Sequence[str]]) -> None:
        self.concepts = sorted(entries)
        self._patterns = {
            concept: regex.compile("|".join(_pattern(e) for e in sorted(set(words), key=len, reverse=True)))
            for concept, words in entries.items() if words
        }

    def match(self, words: Sequence[str]) -> list[tuple[str, int]]:
        """(concept, index of the word where it starts) for folded ``words``."""
        if not words:
            return []
        starts, position = [], 0
        for word in words:
            starts.append(position)
            position += len(word) + 1
        joined = " ".join(words)
        found = []
        for concept, pattern in self._patterns.items():
            for hit in pattern.finditer(joined):
                found.append((concept, bisect_right(starts, hit.start()) - 1))
        return found


@lru_cache(maxsize=1)
def default_lexicon() -> ConceptLexicon:
    merged: dict[str, list[str]] = {}
    for path in sorted(LEXICON_DIR.glob("*.yml")):
        for concept, words in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            merged.setdefault(concept, []).extend(str(w) for w in words or [] if str(w).strip())
    return ConceptLexicon(merged)
