"""Language identification for udvej's eight languages, trained on our own data.

lingua alone fails on exactly the texts our users send (Bulgarian and Ukrainian
typed in Latin letters, Vietnamese without tone marks), so it is one input of a
multinomial logistic regression over character n-grams (accents kept: they are
evidence) rather than the detector itself.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
from scipy import sparse

from nlu.features import FeatureConfig, LinearModel, NgramVectorizer, softmax
from nlu.text import letter_count, normalize
from nlu.vocabulary import LANGUAGES

#: Fewer letters than this and nobody can tell the language ("ok", "555", "🙏").
MIN_LETTERS = 3
#: A short text must be this sure to count; otherwise it keeps the conversation's.
SHORT_TEXT_LETTERS = 12
SHORT_TEXT_CONFIDENCE = 0.6
LINGUA_WEIGHT_SCALE = 1.0


@lru_cache(maxsize=1)
def _lingua_detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()


def lingua_confidences(texts: Sequence[str]) -> np.ndarray:
    """lingua's confidence for each of our languages, (texts, languages)."""
    detector = _lingua_detector()
    values = np.zeros((len(texts), len(LANGUAGES)), dtype=np.float32)
    for row, text in enumerate(texts):
        for result in detector.compute_language_confidence_values(text):
            code = result.language.iso_code_639_1.name.lower()
            if code in LANGUAGES:
                values[row, LANGUAGES.index(code)] = result.value
    return values


class LanguageIdentifier:
    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self.lingua_weights = np.array(model.extra["lingua_weights"], dtype=np.float32)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        scores = self.model.scores(texts) + lingua_confidences(texts) @ self.lingua_weights
        return softmax(scores)

    def identify(self, texts: Sequence[str]) -> list[tuple[Optional[str], float]]:
        """(language or None, confidence) per text."""
        texts = [normalize(t) for t in texts]
        probabilities = self.probabilities(texts)
        results = []
        for text, row in zip(texts, probabilities):
            letters = letter_count(text)
            best = int(row.argmax())
            confidence = float(row[best])
            if letters < MIN_LETTERS or (letters < SHORT_TEXT_LETTERS and confidence < SHORT_TEXT_CONFIDENCE):
                results.append((None, confidence))
            else:
                results.append((LANGUAGES[best], confidence))
        return results

    def save(self, directory: Path) -> None:
        self.model.save(directory)

    @classmethod
    def load(cls, directory: Path) -> "LanguageIdentifier":
        return cls(LinearModel.load(directory))


def train_language_identifier(texts: Sequence[str], languages: Sequence[str], seed: int = 42,
                              regularization: float = 10.0) -> LanguageIdentifier:
    from sklearn.linear_model import LogisticRegression

    texts = [normalize(t) for t in texts]
    vectorizer = NgramVectorizer(FeatureConfig(char_min=1, char_max=4, fold_accents=False,
                                               word_features=True, concepts=False,
                                               negation_marks=False, min_df=2))
    ngram_features = vectorizer.fit_transform(texts)
    lingua = lingua_confidences(texts) * LINGUA_WEIGHT_SCALE
    features = sparse.hstack([ngram_features, sparse.csr_matrix(lingua)]).tocsr()
    target = np.array([LANGUAGES.index(code) for code in languages])
    classifier = LogisticRegression(C=regularization, max_iter=2000, random_state=seed)
    classifier.fit(features, target)
    weights = np.zeros((features.shape[1], len(LANGUAGES)), dtype=np.float32)
    bias = np.zeros(len(LANGUAGES), dtype=np.float32)
    weights[:, classifier.classes_] = classifier.coef_.T
    bias[classifier.classes_] = classifier.intercept_
    columns = ngram_features.shape[1]
    model = LinearModel(vectorizer, list(LANGUAGES), weights[:columns], bias,
                        {"lingua_weights": (weights[columns:] * LINGUA_WEIGHT_SCALE).tolist(), "seed": seed})
    return LanguageIdentifier(model)
