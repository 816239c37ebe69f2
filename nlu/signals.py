"""Escalation signals learned from examples: does this message by itself call for a person?

The cue lexicon (cues.py) catches what is said in so many words; customers also say it in ways
nobody listed — sarcasm, "I'm so done with you people", "my daughter's fingers blistered", "could
a colleague ring me back". This component reads the message's multilingual-e5 sentence
embedding (E5Featurizer must come before it) with a logistic regression trained on
`nlu/signals.yml` (single messages by reason: explicit_request, anger, severe, repeat_contact,
none), the last messages of the labelled development cases of the escalation policy
(tests/escalation/dev.yml, by the reason each was labelled with), and the assistant's own
routine examples as `none`, and adds to the ``analysis`` block
the likeliest reason and its probability, and the reason itself when it is sure enough:

    analysis["signal"] = "anger"  # or None below the threshold
    analysis["signal_reason"] = "anger"; analysis["signal_confidence"] = 0.83

The escalation policy (actions/escalation.py) weighs it beside the lexicon's findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from nlu.analysis import ANALYSIS
from nlu.embedding import E5Featurizer
from nlu.learned import LearnedComponent

MODEL_FILE = "escalation_signals.joblib"
DEV_CASES = Path(__file__).resolve().parent.parent / "tests" / "escalation" / "dev.yml"
NONE = "none"
# intents whose examples are complaints or requests for a person: not "none" by default
NOT_NONE_INTENTS = frozenset({"complaint", "contact_human_agent"})


def read_examples(path: Path) -> tuple[list[str], list[str]]:
    """Texts and their signal labels from signals.yml ({language: {label: [texts]}})."""
    raw: dict[str, dict[str, list[str]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts, labels = [], []
    for by_label in raw.values():
        for label, examples in by_label.items():
            texts += [str(t) for t in examples]
            labels += [label] * len(examples)
    return texts, labels


# the reason a labelled escalation case called for a person, from the start of its "why":
# (label, words that say it), first match wins; cases decided by the conversation rather than
# by their last message (still upset, repeated fallback) teach the signal nothing
CASE_REASONS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (
        None,
        (
            "still upset",
            "still dis",
            "unhappy with the bot",
            "对机器人",
            "fallback",
            "misunderstanding",
            "unintelligible",
            "无法理解",
            "hard negative",
        ),
    ),
    (
        "explicit_request",
        (
            "request for a",
            "request to be",
            "put through",
            "call-back",
            "callback",
            "transfer",
            "请求",
            "要求人工",
            "要求真人",
            "回电",
            "转人工",
            "真人",
        ),
    ),
    (
        "repeat_contact",
        (
            "repeat contact",
            "contact about",
            "third contact",
            "重复反馈",
            "多次联系",
            "联系同一",
            "第三次",
            "再次联系",
        ),
    ),
    (
        "severe",
        (
            "safety",
            "injur",
            "hazard",
            "legal",
            "regulator",
            "media",
            "consumer",
            "threat",
            "swallow",
            "burn",
            "shock",
            "smoke",
            "误吞",
            "12315",
            "威胁",
            "受伤",
            "allerg",
            "烫",
            "冒烟",
            "过敏",
            "触电",
            "割伤",
            "安全",
        ),
    ),
    (
        "anger",
        (
            "anger",
            "angry",
            "sarcas",
            "rage",
            "insult",
            "fury",
            "furious",
            "愤怒",
            "反讽",
            "辱骂",
            "money wrongly",
            "charged after",
            "double charge",
            "扣款",
            "讽刺",
            "强烈不满",
            "最差",
        ),
    ),
)


def case_label(outcome: str, why: str) -> str | None:
    """The signal a labelled case's last message teaches: its reason, "none", or nothing."""
    if outcome != "human":
        return NONE
    lowered = why.lower()
    for label, words in CASE_REASONS:
        if any(w in lowered for w in words):
            return label
    return None


def read_cases(path: Path) -> tuple[list[str], list[str]]:
    """Last messages and their signal labels from labelled escalation cases
    (tests/escalation/dev.yml: [{turns, outcome, why}])."""
    texts, labels = [], []
    for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        label = case_label(str(case["outcome"]), str(case.get("why") or ""))
        if label is not None:
            texts.append(str(case["turns"][-1]))
            labels.append(label)
    return texts, labels


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EscalationSignals(LearnedComponent):
    """Reads the reason a message calls for a person (or none) from its e5 embedding."""

    MODEL_FILE = MODEL_FILE
    INPUT_FILES = ("examples", "cases")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "examples": str(Path(__file__).with_name("signals.yml")),
            # the labelled development cases of the escalation policy (never the held-out set)
            "cases": str(DEV_CASES),
            "C": 4.0,
            # below this probability the signal is not reported
            "threshold": 0.8,
            # per reason, where one needs more certainty than the rest
            "thresholds": {},
            "max_iter": 3000,
            # where the e5 vectors of the examples are cached (shared with E5Featurizer)
            "cache_path": E5Featurizer.get_default_config()["cache_path"],
        }

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = read_examples(Path(self._config["examples"]))
        if self._config.get("cases"):
            case_texts, case_labels = read_cases(Path(self._config["cases"]))
            texts += case_texts
            labels += case_labels
        routine = [
            m.get(TEXT)
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT) not in NOT_NONE_INTENTS
        ]
        texts += routine
        labels += [NONE] * len(routine)
        featurizer = E5Featurizer(E5Featurizer.get_default_config(), "escalation_signals")
        vectors = featurizer.vectors(texts, self._config["cache_path"])
        features = normalize(np.vstack([vectors[t] for t in texts]))
        model = LogisticRegression(
            C=float(self._config["C"]),
            max_iter=int(self._config["max_iter"]),
            class_weight="balanced",
        )
        model.fit(features, labels)
        return self.keep(model)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            _, dense = message.get_dense_features(TEXT)
            if not message.get(TEXT) or dense is None:
                continue
            row = self._model.predict_proba(normalize(dense.features.reshape(1, -1)))[0]
            names = [str(c) for c in self._model.classes_]
            # the likeliest reason to call a person, and how likely it is
            best = max((i for i, n in enumerate(names) if n != NONE), key=lambda i: row[i])
            confidence = float(row[best])
            analysis = dict(message.get(ANALYSIS) or {})
            needed = (self._config.get("thresholds") or {}).get(names[best])
            sure = confidence >= float(needed or self._config["threshold"])
            analysis["signal"] = names[best] if sure else None
            analysis["signal_reason"] = names[best]
            analysis["signal_confidence"] = round(confidence, 3)
            message.set(ANALYSIS, analysis, add_to_output=True)
        return messages
