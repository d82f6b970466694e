"""Text normalisation and tokenisation shared by every udvej NLU component.

One tokenizer must serve all eight languages (Rasa allows one per pipeline):
words are runs of the ``regex`` module's ``\\w`` (which, unlike ``re``, keeps Thai
vowel and tone marks), Thai runs are segmented with pythainlp's ``newmm``, and
every token keeps its offsets into the NFC-normalised text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

import regex

_WORD = regex.compile(r"[\w']+", regex.UNICODE)
_THAI_RUN = regex.compile(r"[\p{Thai}]+")
_LETTER = regex.compile(r"\p{L}")
_THAI = regex.compile(r"\p{Thai}")


class Token(NamedTuple):
    text: str
    start: int
    end: int


def normalize(text: str) -> str:
    """NFC form: Vietnamese often arrives decomposed."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case and strip diacritics, so 'pașaport' and 'pasaport' meet.

    Thai marks are kept: they are letters of the word, not accents.
    """
    lowered = word.lower().replace("đ", "d").replace("ø", "o").replace("æ", "ae")
    if _THAI.search(lowered):
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _thai_words(run: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return [w for w in word_tokenize(run, engine="newmm", keep_whitespace=False) if w.strip()]


def tokenize(text: str) -> list[Token]:
    """Word tokens with offsets into ``text`` (which should already be NFC)."""
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        if not _THAI.search(word):
            tokens.append(Token(word, start, match.end()))
            continue
        position = 0
        for part in _split_thai(word):
            offset = word.index(part, position)
            tokens.append(Token(part, start + offset, start + offset + len(part)))
            position = offset + len(part)
    return tokens


def _split_thai(word: str) -> list[str]:
    """Split a word that contains Thai into Thai words and non-Thai runs."""
    parts: list[str] = []
    position = 0
    for run in _THAI_RUN.finditer(word):
        if run.start() > position:
            parts.append(word[position:run.start()])
        parts.extend(_thai_words(run.group()))
        position = run.end()
    if position < len(word):
        parts.append(word[position:])
    return parts


def letter_count(text: str) -> int:
    return len(_LETTER.findall(text))
