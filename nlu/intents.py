"""The dialogue's intent classifier: a multinomial logistic regression over the
screener's kind of features (folded character n-grams, words, shared concepts).

Rasa's LogisticRegressionClassifier over raw CountVectorsFeaturizer counts was
both slow to train here (minutes) and under-confident (a clear "he is beating me
right now" fell below the fallback threshold).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from nlu.features import FeatureConfig, LinearModel, NgramVectorizer, softmax


class IntentModel:
    def __init__(self, model: LinearModel) -> None:
        self.model = model

    def rank(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """Per text, (intent, confidence) from most to least likely."""
        probabilities = softmax(self.model.scores(texts))
        labels = self.model.labels
        return [[(labels[i], float(row[i])) for i in np.argsort(-row)] for row in probabilities]

    def save(self, directory: Path) -> None:
        self.model.save(directory)

    @classmethod
    def load(cls, directory: Path) -> "IntentModel":
        return cls(LinearModel.load(directory))


#: describe_situation has ~12k examples (written for the screener), the other
#: intents ~130 each. An evenly spaced subset of this many trains three times
#: faster; on the dev set 847 of 862 messages stay describe_situation (852
#: with all examples), none below the fallback.
MAX_EXAMPLES_PER_INTENT = 4500


def _evenly_thinned(texts: Sequence[str], intents: Sequence[str]) -> tuple[list[str], list[str]]:
    positions: dict[str, list[int]] = {}
    for index, intent in enumerate(intents):
        positions.setdefault(intent, []).append(index)
    kept: list[int] = []
    for indices in positions.values():
        count = min(len(indices), MAX_EXAMPLES_PER_INTENT)
        kept += [indices[k * len(indices) // count] for k in range(count)]
    kept.sort()
    return [texts[i] for i in kept], [intents[i] for i in kept]


def train_intents(texts: Sequence[str], intents: Sequence[str], seed: int = 42,
                  regularization: float = 10.0) -> IntentModel:
    from sklearn.linear_model import LogisticRegression

    texts, intents = _evenly_thinned(texts, intents)
    vectorizer = NgramVectorizer(FeatureConfig())
    features = vectorizer.fit_transform(texts)
    labels = sorted(set(intents))
    target = np.array([labels.index(intent) for intent in intents])
    classifier = LogisticRegression(C=regularization, max_iter=500, random_state=seed)
    classifier.fit(features, target)
    return IntentModel(LinearModel(vectorizer, labels, classifier.coef_.T.astype(np.float32),
                                   classifier.intercept_.astype(np.float32), {"seed": seed}))
