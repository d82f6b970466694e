"""The bot's texts in eight languages, kept as data (``data/responses/<lang>.yml``).

Rasa's own conditional responses pick at random among matches and live in the
domain; here each language is a file with the same keys, placeholders come
from ``data/help/denmark.yml`` (reviewed by a human), and the channels use the
same texts for what Rasa never sees (stickers, floods, group chats).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from bot import paths
from nlu.vocabulary import LANGUAGES

RESPONSES_DIR = paths.PROJECT_ROOT / "data" / "responses"
HELP_FILE = paths.PROJECT_ROOT / "data" / "help" / "denmark.yml"
DEFAULT_LANGUAGE = "en"


class ResponseError(KeyError):
    """A response key or language is missing from data/responses."""


@dataclass
class Button:
    title: str
    payload: str


@dataclass
class Response:
    key: str
    text: str
    buttons: list[Button] = field(default_factory=list)
    review: Optional[str] = None

    def as_rasa(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": [b.__dict__ for b in self.buttons]}


class Responses:
    def __init__(self, texts: dict[str, dict[str, dict]], contacts: dict[str, str]) -> None:
        self._texts = texts
        self._contacts = contacts

    @property
    def keys(self) -> set[str]:
        return set(self._texts.get(DEFAULT_LANGUAGE, {}))

    def languages(self) -> list[str]:
        return [language for language in LANGUAGES if language in self._texts]

    def raw(self, key: str, language: str) -> dict:
        try:
            return self._texts[language][key]
        except KeyError:
            raise ResponseError(f"no response {key!r} in data/responses/{language}.yml")

    def render(self, key: str, language: Optional[str]) -> Response:
        """The response in ``language`` (English when unknown), placeholders filled."""
        chosen = language if language in self._texts and key in self._texts[language] else DEFAULT_LANGUAGE
        entry = self.raw(key, chosen)
        buttons = [Button(b["title"], b["payload"]) for b in entry.get("buttons") or []]
        return Response(key, entry["text"].format(**self._contacts), buttons, entry.get("review"))


def load_responses(directory: Path = RESPONSES_DIR, help_file: Path = HELP_FILE) -> Responses:
    texts = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
             for path in sorted(directory.glob("*.yml"))}
    contacts = yaml.safe_load(help_file.read_text(encoding="utf-8"))["contacts"]
    return Responses(texts, {k: str(v) for k, v in contacts.items()})


@lru_cache(maxsize=1)
def default_responses() -> Responses:
    return load_responses()


def localized_nlg(responses: Optional[Responses] = None):
    """A Rasa NaturalLanguageGenerator that answers in the ``language`` slot's language
    (or the ``language`` an action passes with ``utter_message``)."""
    from rasa.core.nlg.generator import NaturalLanguageGenerator

    class LocalizedNLG(NaturalLanguageGenerator):
        def __init__(self, source: Responses) -> None:
            self.source = source

        async def generate(self, utter_action: str, tracker: Any, output_channel: str,
                           **kwargs: Any) -> Optional[dict[str, Any]]:
            if utter_action not in self.source.keys:
                return None
            language = kwargs.get("language") or tracker.get_slot("language")
            return self.source.render(utter_action, language).as_rasa()

    return LocalizedNLG(responses or default_responses())
