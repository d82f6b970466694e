"""Batch screening I/O exactly as ``shared/SCREENING.md`` defines it.

JSON Lines in, one line out per line in, in the same order. A bad line yields an
error object and the run goes on. The screening itself is a callable, so this
module knows nothing of how the model is loaded.
"""

from __future__ import annotations

import json
from typing import Callable, Iterable, Iterator, Optional, Sequence

#: Screens texts in order; returns, per text, the contract's result keys.
ScreenTexts = Callable[[Sequence[str]], list[dict]]

RESULT_KEYS = ("language", "indicators", "risk", "handoff")
#: Longer texts are screened on their first this many characters.
MAX_TEXT_CHARS = 20_000


def _parse_line(line: str) -> tuple[Optional[object], Optional[str], Optional[str]]:
    """(id, text, error) for one input line."""
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return None, None, f"line is not valid JSON ({error.msg if hasattr(error, 'msg') else error})"
    if not isinstance(row, dict):
        return None, None, "line must be a JSON object like {\"id\": \"m1\", \"text\": \"...\"}"
    identifier = row.get("id")
    if "text" not in row:
        return identifier, None, "missing \"text\""
    if not isinstance(row["text"], str):
        return identifier, None, f"\"text\" must be a string, not {type(row['text']).__name__}"
    return identifier, row["text"][:MAX_TEXT_CHARS], None


def screen_lines(lines: Iterable[str], screen: ScreenTexts, batch_size: int = 256) -> Iterator[dict]:
    """Contract output objects for JSONL input lines, in order."""
    pending: list[tuple[object, Optional[str], Optional[str]]] = []

    def flush() -> Iterator[dict]:
        texts = [text for _, text, error in pending if error is None]
        results = iter(screen(texts)) if texts else iter(())
        for identifier, _, error in pending:
            if error is not None:
                yield {"id": identifier, "error": error}
            else:
                result = next(results)
                yield {"id": identifier, **{key: result[key] for key in RESULT_KEYS}}
        pending.clear()

    for line in lines:
        line = line.rstrip("\r\n")
        pending.append(_parse_line(line) if line.strip() else (None, None, "empty line"))
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def dump(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
