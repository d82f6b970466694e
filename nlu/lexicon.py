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


class ConceptLexicon:
    """Matches entries word by word through an index of their first words.

    One big regular expression per concept cost seconds per thousand messages;
    looking up each word's prefixes in a dict costs microseconds.
    """

    def __init__(self, entries: dict[str, Sequence[str]]) -> None:
        self.concepts = sorted(entries)
        # first word -> [(concept, entry words, exact)]; Thai entries apart.
        self._by_first_word: dict[str, list[tuple[str, tuple[str, ...], bool]]] = {}
        self._thai: list[tuple[str, str]] = []
        for concept, words in entries.items():
            for entry in set(words):
                exact = entry.startswith("=")
                folded = tuple(fold(entry.lstrip("=").strip()).split())
                if not folded:
                    continue
                if _THAI.search(folded[0]):
                    self._thai.append((concept, "".join(folded)))
                else:
                    self._by_first_word.setdefault(folded[0], []).append((concept, folded, exact))
        self._longest = max((len(w) for w in self._by_first_word), default=0)

    def match(self, words: Sequence[str]) -> list[tuple[str, int]]:
        """(concept, index of the word where it starts) for folded ``words``."""
        found: set[tuple[str, int]] = set()
        for index, word in enumerate(words):
            for length in range(1, min(len(word), self._longest) + 1):
                for concept, entry, exact in self._by_first_word.get(word[:length], ()):
                    if self._matches_at(words, index, entry, exact):
                        found.add((concept, index))
        if self._thai and any(_THAI.search(word) for word in words):
            found.update(self._match_thai(words))
        return sorted(found, key=lambda pair: (pair[1], pair[0]))

    @staticmethod
    def _matches_at(words: Sequence[str], index: int, entry: tuple[str, ...], exact: bool) -> bool:
        """Each entry word starts the text word at its place (equals it, if exact)."""
        if index + len(entry) > len(words):
            return False
        for offset, part in enumerate(entry):
            word = words[index + offset]
            if (word != part) if exact else not word.startswith(part):
                return False
        return True

    def _match_thai(self, words: Sequence[str]) -> list[tuple[str, int]]:
        joined, starts = "", []
        for word in words:
            starts.append(len(joined))
            joined += word
        found = []
        for concept, entry in self._thai:
            position = joined.find(entry)
            while position >= 0:
                found.append((concept, bisect_right(starts, position) - 1))
                position = joined.find(entry, position + 1)
        return found


def lexicon_entries(language: str) -> dict[str, list[str]]:
    """One language's concepts and their entries, as written in its file."""
    path = LEXICON_DIR / f"{language}.yml"
    concepts = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {concept: [str(w) for w in words or [] if str(w).strip()] for concept, words in concepts.items()}


@lru_cache(maxsize=1)
def default_lexicon() -> ConceptLexicon:
    """All languages merged: the vectorizer does not take a language (the intent
    model uses it before language ID runs, and messages mix languages)."""
    merged: dict[str, list[str]] = {}
    for path in sorted(LEXICON_DIR.glob("*.yml")):
        for concept, words in lexicon_entries(path.stem).items():
            merged.setdefault(concept, []).extend(words)
    return ConceptLexicon(merged)
