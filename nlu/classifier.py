"""Intent classifier: multinomial logistic regression over the message's e5 sentence embedding
and its character n-grams.

The n-grams (1 to 4 characters within words: they need no word segmentation for Chinese) are
counted by the classifier's own vectorizer, so that it knows which column is which n-gram:
training starts from the last trained model's weights (kept beside the embedding cache), each
column where it was. The problem is convex, so the start changes how soon the solver is done,
not where it ends; after a small edit it is done in seconds instead of minutes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from nlu.learned import LearnedComponent

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intent_classifier.joblib"


@dataclass
class IntentModel:
    """What the classifier keeps in the model: its n-gram vocabulary and the regression."""

    vectorizer: CountVectorizer
    regression: LogisticRegression


def warm_weights(
    warm: dict[str, Any] | None, terms: list[str], classes: list[str], dense: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """The last model's weights laid out for this training's columns and classes (new
    n-grams and intents start at zero), or None when there is nothing to start from."""
    if not warm or warm.get("dense") != dense or len(classes) < 3:
        return None
    old_column = {term: i for i, term in enumerate(warm["terms"])}
    old_class = {name: i for i, name in enumerate(warm["classes"])}
    kept = [(dense + i, dense + old_column[t]) for i, t in enumerate(terms) if t in old_column]
    new_at = np.array([new for new, _ in kept], dtype=int)
    old_at = np.array([old for _, old in kept], dtype=int)
    coef = np.zeros((len(classes), dense + len(terms)))
    intercept = np.zeros(len(classes))
    for row, name in enumerate(classes):
        if name in old_class:
            old = warm["coef"][old_class[name]]
            coef[row, :dense] = old[:dense]
            coef[row, new_at] = old[old_at]
            intercept[row] = warm["intercept"][old_class[name]]
    return coef, intercept


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LearnedComponent, IntentClassifier):
    """Logistic regression on [dense sentence features ; weighted n-gram counts]."""

    MODEL_FILE = MODEL_FILE

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 10.0,  # inverse regularisation strength
            "sparse_weight": 0.3,  # weight of the L2-normalised n-gram block beside e5's
            "max_iter": 3000,
            "ranking_length": 10,
            "min_ngram": 1,
            "max_ngram": 4,
            # the last trained weights, where the next training starts (relative to the
            # working directory; None: every training starts from zero)
            "warm_start_path": ".cache/intent-warm-start.joblib",
        }

    def _features(self, vectorizer: CountVectorizer, messages: list[Message]) -> Any:
        """One row per message: the dense sentence features (when a featurizer made them),
        then the weighted n-gram counts."""
        counts = vectorizer.transform([m.get(TEXT) for m in messages]).astype(np.float64)
        blocks = [normalize(counts) * float(self._config["sparse_weight"])]
        dense = [m.get_dense_features(TEXT)[1] for m in messages]
        if all(d is not None for d in dense):
            rows = np.vstack([d.features.reshape(-1) for d in dense if d is not None])
            blocks.insert(0, scipy.sparse.csr_matrix(rows))
        return scipy.sparse.hstack(blocks, format="csr")

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; not trained.")
            return self._resource
        vectorizer = CountVectorizer(
            analyzer="char_wb",
            ngram_range=(int(self._config["min_ngram"]), int(self._config["max_ngram"])),
            lowercase=True,
            dtype=np.float64,
        ).fit([m.get(TEXT) for m in examples])
        features = self._features(vectorizer, examples)
        terms = list(vectorizer.get_feature_names_out())
        classes = sorted(set(labels))
        dense = features.shape[1] - len(terms)
        warm_path = self._config.get("warm_start_path")
        start = warm_weights(self._warm(warm_path), terms, classes, dense)
        regression = LogisticRegression(
            C=float(self._config["C"]),
            max_iter=int(self._config["max_iter"]),
            warm_start=start is not None,
        )
        if start is not None:
            regression.coef_, regression.intercept_ = start
        regression.fit(features, labels)
        logger.info(
            "LinearIntentClassifier: %s iterations%s",
            int(regression.n_iter_.max()),
            " from the last weights" if start is not None else "",
        )
        if warm_path:
            self._keep_warm(warm_path, terms, regression, dense)
        return self.keep(IntentModel(vectorizer, regression))

    @staticmethod
    def _warm(path: str | None) -> dict[str, Any] | None:
        if not path or not Path(path).is_file():
            return None
        try:
            warm: dict[str, Any] = joblib.load(path)
        except Exception:  # a damaged or foreign file: start from zero
            logger.warning("LinearIntentClassifier: %s unreadable, starting from zero", path)
            return None
        return warm

    @staticmethod
    def _keep_warm(path: str, terms: list[str], regression: LogisticRegression, dense: int) -> None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        aside = target.with_suffix(".partial")
        joblib.dump(
            {
                "terms": terms,
                "classes": [str(c) for c in regression.classes_],
                "coef": regression.coef_,
                "intercept": regression.intercept_,
                "dense": dense,
            },
            aside,
        )
        aside.replace(target)

    def process(self, messages: list[Message]) -> list[Message]:
        if not isinstance(self._model, IntentModel):
            return messages
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return messages
        model = self._model
        probabilities = model.regression.predict_proba(self._features(model.vectorizer, with_text))
        names = model.regression.classes_
        length = int(self._config["ranking_length"])
        for message, row in zip(with_text, probabilities, strict=True):
            order = np.argsort(row)[::-1]
            ranking = [{"name": str(names[i]), "confidence": float(row[i])} for i in order[:length]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
