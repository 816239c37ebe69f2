"""Intent classifier: multinomial logistic regression over the message's sentence features.

It takes every sentence-level feature the featurizers produced — the dense e5 embedding and the
sparse character n-gram counts — scales each block, and fits one linear model. Trains in seconds
on a few thousand examples, and gives calibrated confidences for the fallback threshold.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from nlu.learned import LearnedComponent

logger = logging.getLogger(__name__)
MODEL_FILE = "linear_intent_classifier.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LearnedComponent, IntentClassifier):
    """Logistic regression on [dense sentence features ; weighted sparse sentence features]."""

    MODEL_FILE = MODEL_FILE

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 10.0,  # inverse regularisation strength
            "sparse_weight": 0.3,  # weight of the L2-normalised n-gram block beside e5's
            "max_iter": 3000,
            "ranking_length": 10,
        }

    def features(self, messages: list[Message]) -> scipy.sparse.csr_matrix:
        """One row per message: the dense block, then the weighted sparse block."""
        rows = []
        for message in messages:
            _, dense = message.get_dense_features(TEXT)
            _, sparse = message.get_sparse_features(TEXT)
            blocks = []
            if dense is not None:
                blocks.append(scipy.sparse.csr_matrix(dense.features.reshape(1, -1)))
            if sparse is not None:
                block = normalize(scipy.sparse.csr_matrix(sparse.features.reshape(1, -1)))
                blocks.append(block * float(self._config["sparse_weight"]))
            if not blocks:
                raise ValueError(
                    "LinearIntentClassifier needs sentence features: put a featurizer "
                    "before it in the pipeline."
                )
            rows.append(scipy.sparse.hstack(blocks, format="csr"))
        return scipy.sparse.vstack(rows, format="csr")

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [m.get(INTENT) for m in examples]
        if len(set(labels)) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents; not trained.")
            return self._resource
        model = LogisticRegression(
            C=float(self._config["C"]), max_iter=int(self._config["max_iter"])
        )
        model.fit(self.features(examples), labels)
        return self.keep(model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return messages
        probabilities = self._model.predict_proba(self.features(with_text))
        names = self._model.classes_
        length = int(self._config["ranking_length"])
        for message, row in zip(with_text, probabilities, strict=True):
            order = np.argsort(row)[::-1]
            ranking = [{"name": str(names[i]), "confidence": float(row[i])} for i in order[:length]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
