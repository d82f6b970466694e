"""Sparse n-gram features with provenance, and linear models over them.

The screener owns its vectorizer instead of reusing Rasa's CountVectorsFeaturizer:
accent folding, sublinear TF-IDF, negation-marked word features, and, for every
feature, the token it came from, so a prediction can name the words behind it.
Inference is one sparse-dense matrix product (the RASA-NOTES measured 13 separate
sklearn calls at ~1.4 ms a message, one product at < 0.1 ms).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

from nlu.lexicon import default_lexicon
from nlu.text import Token, fold, normalize, tokenize

#: Words that negate what follows, per language (folded forms). A token in the
#: scope of one of these gets an extra negated word feature; the model learns
#: which negations cancel an indicator ("does not keep my passport") and which
#: express one ("cannot leave").
NEGATION_CUES: frozenset[str] = frozenset(
    """
    not no never dont doesnt didnt isnt arent wasnt werent cant cannot couldnt wont nobody nothing
    n't ikke ingen aldrig intet ik ikk
    nu nici niciodata nimeni nimic n
    ne ni nikoga nyama niama nito nikoi
    nunca jamas nadie nada tampoco
    ไม่ มิ ไม่ได้ ไม่เคย ไม่มี
    khong ko k chang cha chua dau kg hok
    nikoly nemaye nema nihto nichoho
    не ни никога няма нито никой ні ніколи немає нема ніхто нічого
    """.split()
)
NEGATION_SCOPE = 3
_SCOPE_BREAKERS = frozenset({"but", "men", "dar", "pero", "но", "але", "nhung", "แต่", "ale"})
#: "Or" inside a negation carries it on to the next item: "no one locks us or forbids us to go out".
_SCOPE_CARRIERS = frozenset(
    "or nor eller heller sau nici или ili нито nito o ni u หรือ hay hoac або чи abo chy".split())


@dataclass
class FeatureConfig:
    char_min: int = 2
    char_max: int = 5
    fold_accents: bool = True
    word_features: bool = True
    concepts: bool = True
    #: Words closely after a negation cue get their own features ("~pas" is not "pas").
    negation_marks: bool = True
    #: Concept features stand for many words in eight languages: weigh them up.
    concept_scale: float = 3.0
    min_df: int = 2


class NgramVectorizer:
    """Character n-grams inside word boundaries, word uni/bigrams, TF-IDF."""

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config or FeatureConfig()
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)

    # -- raw features -------------------------------------------------------
    @staticmethod
    def _negation_scope(words: Sequence[str]) -> list[bool]:
        """Whether each word follows a negation cue closely, within its clause."""
        scope, negated_until = [], -1
        for index, word in enumerate(words):
            if word in _SCOPE_BREAKERS:
                negated_until = -1
            scope.append(index <= negated_until)
            if (word in NEGATION_CUES or word.endswith("n't")
                    or (word in _SCOPE_CARRIERS and index <= negated_until)):
                negated_until = index + NEGATION_SCOPE
        return scope

    def token_features(self, text: str) -> tuple[list[Token], list[tuple[str, int]]]:
        """Tokens of ``text`` and (feature, token index) pairs."""
        tokens = tokenize(normalize(text))
        config = self.config
        words = [fold(t.text) if config.fold_accents else t.text.lower() for t in tokens]
        pairs: list[tuple[str, int]] = []
        negated = self._negation_scope(words) if config.negation_marks else [False] * len(words)
        for index, word in enumerate(words):
            padded = f" {word} "
            for n in range(config.char_min, config.char_max + 1):
                for start in range(0, len(padded) - n + 1):
                    pairs.append((padded[start:start + n], index))
                    if negated[index]:
                        pairs.append(("~" + padded[start:start + n], index))
        if config.word_features:
            previous = "<s>"
            for index, word in enumerate(words):
                marker = "~" if negated[index] else ""
                pairs.append((f"w:{marker}{word}", index))
                pairs.append((f"b:{previous}_{word}", index))
                previous = word
        if config.concepts:
            concepts = default_lexicon().match(words)
            for concept, index in concepts:
                pairs.append((f"k:{'~' if negated[index] else ''}{concept}", index))
            present = sorted({concept for concept, _ in concepts})
            first_index = {concept: index for concept, index in reversed(concepts)}
            for i, left in enumerate(present):
                for right in present[i + 1:]:
                    pairs.append((f"kk:{left}|{right}", first_index[right]))
        if not pairs:
            pairs.append(("<empty>", -1))
        return tokens, pairs

    # -- fitting ------------------------------------------------------------
    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learn the vocabulary and IDF, and return the texts' features (one pass)."""
        featured = [self.token_features(text)[1] for text in texts]
        document_frequency: dict[str, int] = {}
        for pairs in featured:
            for feature in {f for f, _ in pairs}:
                document_frequency[feature] = document_frequency.get(feature, 0) + 1
        kept = sorted(f for f, n in document_frequency.items() if n >= self.config.min_df)
        self.vocabulary = {feature: column for column, feature in enumerate(kept)}
        documents = len(texts)
        self.idf = np.array(
            [math.log((1 + documents) / (1 + document_frequency[f])) + 1 for f in kept],
            dtype=np.float32,
        ) * self._feature_scale()
        return self.matrix([self.weighted_row(pairs) for pairs in featured])

    def _feature_scale(self) -> np.ndarray:
        return np.array([self.config.concept_scale if f.startswith("k") else 1.0 for f in self.vocabulary],
                        dtype=np.float32)

    # -- transforming -------------------------------------------------------
    def weighted_row(self, pairs: Iterable[tuple[str, int]]) -> dict[int, float]:
        """One text's sublinear TF-IDF weights, L2-normalized, by column."""
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for feature, _ in pairs:
            column = vocabulary.get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        weights = {c: (1.0 + math.log(n)) * float(self.idf[c]) for c, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {c: w / norm for c, w in weights.items()}

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.matrix([self.weighted_row(self.token_features(text)[1]) for text in texts])

    def matrix(self, weighted_rows: Sequence[dict[int, float]]) -> sparse.csr_matrix:
        """Rows from :meth:`weighted_row` as one sparse matrix."""
        rows, columns, values = [], [], []
        for row, weighted in enumerate(weighted_rows):
            rows.extend([row] * len(weighted))
            columns.extend(weighted.keys())
            values.extend(weighted.values())
        return sparse.csr_matrix(
            (np.array(values, dtype=np.float32), (rows, columns)),
            shape=(len(weighted_rows), len(self.vocabulary)),
        )

    def explain(self, tokens: Sequence[Token], pairs: Sequence[tuple[str, int]],
                weighted: dict[int, float], weights: np.ndarray) -> list[tuple[Token, np.ndarray]]:
        """Per token, its contribution to each column of ``weights``.

        ``tokens`` and ``pairs`` come from :meth:`token_features`, ``weighted``
        from :meth:`weighted_row` of the same pairs.
        """
        contribution = np.zeros((len(tokens), weights.shape[1]), dtype=np.float32)
        vocabulary = self.vocabulary
        found = {(vocabulary[feature], index) for feature, index in pairs
                 if index >= 0 and feature in vocabulary}
        if found:
            columns, indices = (np.fromiter(values, dtype=np.int64) for values in zip(*found))
            values = np.array([weighted[column] for column in columns], dtype=np.float32)
            np.add.at(contribution, indices, values[:, None] * weights[columns])
        return list(zip(tokens, contribution))

    # -- persistence --------------------------------------------------------
    def to_dict(self) -> dict:
        return {"config": self.config.__dict__, "features": list(self.vocabulary)}

    @classmethod
    def from_dict(cls, data: dict, idf: np.ndarray) -> "NgramVectorizer":
        vectorizer = cls(FeatureConfig(**data["config"]))
        vectorizer.vocabulary = {f: i for i, f in enumerate(data["features"])}
        vectorizer.idf = idf.astype(np.float32)
        return vectorizer


@dataclass
class LinearModel:
    """A vectorizer and one weight column per output; saved as JSON + npz."""

    vectorizer: NgramVectorizer
    labels: list[str]
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    extra: dict = field(default_factory=dict)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Raw linear scores, (texts, labels)."""
        return self.scores_of(self.vectorizer.transform(texts))

    def scores_of(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(matrix @ self.weights) + self.bias

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"vectorizer": self.vectorizer.to_dict(), "labels": self.labels, "extra": self.extra}
        (directory / "model.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(directory / "arrays.npz", weights=self.weights, bias=self.bias,
                            idf=self.vectorizer.idf)

    @classmethod
    def load(cls, directory: Path) -> "LinearModel":
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        arrays = np.load(directory / "arrays.npz")
        vectorizer = NgramVectorizer.from_dict(meta["vectorizer"], arrays["idf"])
        return cls(vectorizer, meta["labels"], arrays["weights"], arrays["bias"], meta["extra"])


def sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)
