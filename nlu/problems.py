"""What went wrong, learned from examples: the customer's problem, its category, and whether it
is a hazard — also when it is told without the words the cue lexicon knows.

A logistic regression on the message's multilingual-e5 embedding (E5Featurizer must come
before it), trained on `nlu/problems.yml` (single messages by problem, in both languages) and
the assistant's routine examples as "none". It is combined with the lexicon's reading
(cues.py) in the ``analysis`` block:

- two regressions: is a problem reported at all, and which one (trained on the problems
  alone); at least `threshold` sure that one is reported, the learned problem wins; below
  `veto`, there is none (a cue word out of context, "how late are you open?", is overruled);
  in between, the lexicon's reading stands;
- the category follows the problem (`categories` in problems.yml is the one table of them);
- a hazard that happened (not a question or a worry about one) that the learned reading is sure
  of adds the ``safety`` cue, so the escalation policy hands it to a person at the top
  severity; a hazard nothing confirms ("it gets hot") is read as a fault.

    analysis["problem"] = "coupon_problem"; analysis["problem_category"] = "billing"
    analysis["problem_learned"] = "coupon_problem"; analysis["problem_confidence"] = 0.91
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from nlu.analysis import ANALYSIS
from nlu.embedding import E5Featurizer
from nlu.storage import file_fingerprint, load_estimator, save_estimator

MODEL_FILE = "problems.joblib"
EXAMPLES = Path(__file__).with_name("problems.yml")
NONE = "none"
# a hazard neither the lexicon's safety cues nor a sure learned reading confirms
DOWNGRADED = "defective"
# how sure the learned reader must be of a hazard nothing else confirms
HAZARD_SURE = 0.6
# intents whose examples report problems: not "none"
PROBLEM_INTENTS = frozenset({"complaint", "contact_human_agent", "nlu_fallback"})


def read_problems(
    path: Path = EXAMPLES,
) -> tuple[dict[str, str], frozenset[str], list[str], list[str]]:
    """The category of each problem, the hazards, and the example texts with their labels."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = {str(k): str(v) for k, v in raw["categories"].items()}
    hazards = frozenset(str(h) for h in raw["hazards"])
    texts, labels = [], []
    for by_label in raw["examples"].values():
        for label, examples in by_label.items():
            if label not in categories:
                raise ValueError(f"{path}: problem {label!r} has no category")
            texts += [str(t) for t in examples]
            labels += [str(label)] * len(examples)
    return categories, hazards, texts, labels


def combine(
    lexicon: str | None, present: float, learned: str, threshold: float, veto: float
) -> str | None:
    """The problem the reply and the ticket go by. `present` is the learned probability that
    the message reports a problem at all, `learned` the likeliest problem if it does. At least
    `threshold` sure there is one: the learned problem; below `veto`: none at all, which
    overrules a cue word read out of context ("how late are you open?"); in between the
    lexicon's reading stands."""
    if present >= threshold:
        return learned
    if present < veto:
        return None
    return lexicon


def fit(
    texts: list[str], labels: list[str], vectors: dict[str, np.ndarray], c: float
) -> dict[str, Any]:
    """Two regressions on the e5 embedding: is a problem reported (problem or none), and which
    problem (trained on the problems alone, so a rare one is not drowned by routine talk)."""
    x = normalize(np.vstack([vectors[t] for t in texts]))
    y = np.array(labels)
    detector = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    detector.fit(x, y != NONE)
    classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    classifier.fit(x[y != NONE], y[y != NONE])
    return {"detector": detector, "classifier": classifier}


def read(model: dict[str, Any], features: np.ndarray) -> tuple[float, str, float]:
    """The probability a problem is reported, the likeliest problem and its probability."""
    x = normalize(features.reshape(1, -1))
    detector: LogisticRegression = model["detector"]
    classifier: LogisticRegression = model["classifier"]
    present = float(detector.predict_proba(x)[0][list(detector.classes_).index(True)])
    row = classifier.predict_proba(x)[0]
    best = int(np.argmax(row))
    return present, str(classifier.classes_[best]), float(row[best])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ProblemReader(GraphComponent):
    """Reads the customer's problem from its e5 embedding and settles it with the lexicon's."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "examples": str(EXAMPLES),
            "C": 4.0,
            "threshold": 0.6,
            "veto": 0.3,
            "cache_path": E5Featurizer.get_default_config()["cache_path"],
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: dict[str, Any] | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ProblemReader:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return file_fingerprint(
            Path(config.get("examples") or cls.get_default_config()["examples"])
        )

    def train(self, training_data: TrainingData) -> Resource:
        categories, hazards, texts, labels = read_problems(Path(self._config["examples"]))
        routine = [
            m.get(TEXT)
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT) not in PROBLEM_INTENTS
        ]
        texts += routine
        labels += [NONE] * len(routine)
        featurizer = E5Featurizer(E5Featurizer.get_default_config(), "problem_reader")
        vectors = featurizer.vectors(texts, self._config["cache_path"])
        self._model = {
            **fit(texts, labels, vectors, float(self._config["C"])),
            "categories": categories,
            "hazards": hazards,
        }
        save_estimator(self._model_storage, self._resource, MODEL_FILE, self._model)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ProblemReader:
        model = load_estimator(model_storage, resource, MODEL_FILE, cls.__name__)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        categories: dict[str, str] = self._model["categories"]
        hazards: frozenset[str] = self._model["hazards"]
        threshold, veto = float(self._config["threshold"]), float(self._config["veto"])
        for message in messages:
            _, dense = message.get_dense_features(TEXT)
            if not message.get(TEXT) or dense is None:
                continue
            present, learned, confidence = read(self._model, dense.features)
            analysis = dict(message.get(ANALYSIS) or {})
            problem = combine(analysis.get("problem"), present, learned, threshold, veto)
            analysis["problem_learned"] = learned
            analysis["problem_present"] = round(present, 3)
            analysis["problem_confidence"] = round(confidence, 3)
            cues = list(analysis.get("cues") or [])
            if problem in hazards and "safety" not in cues:
                sure = problem == learned and present >= threshold and confidence >= HAZARD_SURE
                if sure and not analysis.get("hypothetical"):
                    cues.insert(0, "safety")  # a hazard told without the usual words
                else:
                    problem = DOWNGRADED  # "it gets hot": a fault, until it is shown a hazard
            analysis["cues"] = cues
            analysis["problem"] = problem
            if problem:
                analysis["problem_category"] = categories.get(problem)
                analysis["category"] = categories.get(problem) or analysis.get("category")
            message.set(ANALYSIS, analysis, add_to_output=True)
        return messages
