"""udvej's Rasa graph components: tokenizer, language identifier, screener.

Each trainable component stores its model in Rasa's model storage, so one
trained model archive serves chat and batch screening alike. Rasa's cache keys
on the component's *configured* options, not its source: ``udvej train`` adds a
``code_version`` (a hash of this package) to each of these in the config it
trains with, so changed code is never served from a stale cache.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier as RasaIntentClassifier
from rasa.nlu.tokenizers.tokenizer import Token as RasaToken
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.intents import IntentModel, train_intents
from nlu.language import LanguageIdentifier, train_language_identifier
from nlu.screener import EARLIER_MESSAGE, IndicatorScreener, train_screener
from nlu.text import normalize, tokenize

logger = logging.getLogger(__name__)

#: Keys our components add to a parsed message (and so to Rasa's parse output).
LANGUAGE = "language"
LANGUAGE_CONFIDENCE = "language_confidence"
SCREENING = "screening"
REQUEST_HUMAN_INTENT = "request_human"


def _earlier_message(message: Message) -> Optional[str]:
    earlier = (message.get(METADATA) or {}).get(EARLIER_MESSAGE)
    return earlier if isinstance(earlier, str) and earlier.strip() else None


def _example_metadata(message: Message) -> dict:
    return (message.get("metadata") or {}).get("example") or {}


def _intent_metadata(message: Message) -> dict:
    return (message.get("metadata") or {}).get("intent") or {}


def _training_texts(training_data: TrainingData) -> list[Message]:
    return [m for m in training_data.intent_examples if m.get(TEXT)]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class UdvejTokenizer(Tokenizer):
    """The pipeline's one tokenizer: all eight languages, Thai segmented."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent_tokenization_flag": False, "intent_split_symbol": "_",
                "token_pattern": None, "prefix_separator_symbol": None, "code_version": None}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "UdvejTokenizer":
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[RasaToken]:
        text = normalize(message.get(attribute) or "")
        tokens = [RasaToken(t.text, t.start, t.end) for t in tokenize(text)]
        if not tokens:
            # Emoji-only or empty: Rasa still needs one token.
            tokens = [RasaToken(text or "∅", 0, len(text))]
        return self._apply_token_pattern(tokens)


class _StoredModelComponent(GraphComponent):
    """A trainable component whose model is a directory in Rasa's model storage."""

    model_class: Any = None

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"random_seed": 42, "code_version": None}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Any = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "_StoredModelComponent":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "_StoredModelComponent":
        try:
            with model_storage.read_from(resource) as directory:
                model = cls.model_class.load(directory)
        except ValueError:
            logger.warning("%s has no trained model; run `udvej train`.", cls.__name__)
            model = None
        return cls(config, model_storage, resource, model)

    def _persist(self) -> Resource:
        with self._model_storage.write_to(self._resource) as directory:
            self.model.save(directory)
        return self._resource


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentClassifier(_StoredModelComponent, RasaIntentClassifier):
    """Sets ``intent`` and ``intent_ranking`` for the dialogue."""

    model_class = IntentModel
    RANKING_LENGTH = 5

    def train(self, training_data: TrainingData) -> Resource:
        examples = _training_texts(training_data)
        self.model = train_intents([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples],
                                   seed=self.config["random_seed"])
        return self._persist()

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None or not messages:
            return messages
        for message, ranking in zip(messages, self.model.rank([m.get(TEXT) or "" for m in messages])):
            ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranked[:self.RANKING_LENGTH], add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LanguageClassifier(_StoredModelComponent):
    """Sets ``language`` (ISO 639-1 or None) and ``language_confidence``."""

    model_class = LanguageIdentifier

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in _training_texts(training_data) if _intent_metadata(m).get("lang")]
        self.model = train_language_identifier(
            [m.get(TEXT) for m in examples], [_intent_metadata(m)["lang"] for m in examples],
            seed=self.config["random_seed"])
        return self._persist()

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None or not messages:
            return messages
        for message, (language, confidence) in zip(
                messages, self.model.identify([m.get(TEXT) or "" for m in messages])):
            message.set(LANGUAGE, language, add_to_output=True)
            message.set(LANGUAGE_CONFIDENCE, round(confidence, 4), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IndicatorClassifier(_StoredModelComponent):
    """Sets ``screening``: indicators, risk, handoff and the words behind them.

    Runs after the intent classifier, so asking for a human counts for handoff.
    """

    model_class = IndicatorScreener

    def train(self, training_data: TrainingData) -> Resource:
        examples = _training_texts(training_data)
        metadata = [_example_metadata(m) for m in examples]
        self.model = train_screener(
            [m.get(TEXT) for m in examples],
            [meta.get("indicators") or [] for meta in metadata],
            [bool(meta.get("immediate")) for meta in metadata],
            seed=self.config["random_seed"])
        return self._persist()

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None or not messages:
            return messages
        asks_for_human = [(m.get(INTENT) or {}).get("name") == REQUEST_HUMAN_INTENT for m in messages]
        texts = [m.get(TEXT) or "" for m in messages]
        earlier = [_earlier_message(m) for m in messages]
        alone = [i for i, text in enumerate(earlier) if text is None]
        screenings = dict(zip(alone, self.model.screen([texts[i] for i in alone],
                                                       [asks_for_human[i] for i in alone])))
        for index, message in enumerate(messages):
            if index not in screenings:
                screenings[index] = self.model.screen_in_context(texts[index], earlier[index],
                                                                 asks_for_human[index])
            message.set(SCREENING, screenings[index].as_dict(), add_to_output=True)
        return messages

