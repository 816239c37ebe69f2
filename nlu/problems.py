"""What went wrong, learned from examples: the customer's problem, its category, and whether it
is a hazard — also when it is told without the words the cue lexicon knows.

Three logistic regressions on the message's multilingual-e5 embedding (E5Featurizer must come
before it) — is a problem reported, is it a hazard that happened, which problem is it — trained
on `nlu/problems.yml` (single messages by problem, in both languages), the assistant's routine
examples (no problem), and the last messages of the labelled escalation cases in
`tests/escalation/dev.yml` (a ticket reports a problem, the bot's cases none, a hand-off for a
hazard a hazard). It is combined with the lexicon's reading (cues.py) in the ``analysis`` block:

- two regressions: is a problem reported at all, and which one (trained on the problems
  alone); at least `threshold` sure that one is reported, the learned problem wins; below
  `veto`, there is none (a cue word out of context, "how late are you open?", is overruled);
  in between, the lexicon's reading stands;
- the category follows the problem (`categories` in problems.yml is the one table of them);
- a hazard that happened (not a question or a worry about one) that the hazard head is at least
  `hazard_threshold` sure of adds the ``safety`` cue, so the escalation policy hands it to a
  person at the top severity; a hazard nothing confirms ("it gets hot") is read as a fault.

    analysis["problem"] = "coupon_problem"; analysis["problem_category"] = "billing"
    analysis["problem_learned"] = "coupon_problem"; analysis["problem_confidence"] = 0.91
"""

from __future__ import annotations

from dataclasses import dataclass
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

MODEL_FILE = "problems.joblib"
DEV_CASES = Path(__file__).resolve().parent.parent / "tests" / "escalation" / "dev.yml"
EXAMPLES = Path(__file__).with_name("problems.yml")
NONE = "none"
# a hazard neither the lexicon's safety cues nor a sure learned reading confirms
DOWNGRADED = "defective"
# a hazard that happened, when it is not clear which: said back without naming it
GENERIC_HAZARD = "safety_hazard"
HAZARD_KIND_SHARE = 0.7
# a learned problem less sure than this among the problems is not named; its category is, when
# the problems of that category together are at least CATEGORY_CONFIDENCE likely
NAME_CONFIDENCE = 0.4
CATEGORY_CONFIDENCE = 0.6
# how sure of which problem it is the reply must be to say back a problem the decision did not
# act on
GUESS_CONFIDENCE = 0.75
# intents whose examples report problems: not "none"
# (a request for a person reports no problem by itself: its examples count as none)
PROBLEM_INTENTS = frozenset({"complaint", "nlu_fallback"})


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


# what a labelled case's "why" says when its last message reports a hazard that happened
HAZARD_WHY = (
    "safety",
    "injur",
    "hazard",
    "burn",
    "shock",
    "smok",
    "swallow",
    "allerg",
    "fire",
    "melt",
    "rash",
    "poison",
    "gas",
    "chok",
    "受伤",
    "烫",
    "冒烟",
    "过敏",
    "触电",
    "割伤",
    "安全",
    "误吞",
    "着火",
    "中毒",
    "起火",
)


def read_cases(path: Path) -> tuple[list[str], list[bool], list[bool]]:
    """The last messages of labelled escalation cases (tests/escalation/dev.yml), whether each
    reports a problem (a ticket or a hazard: yes; the bot's: no; other hand-offs are left out —
    a request for a person may report nothing), and whether it reports a hazard that happened."""
    texts, present, hazard = [], [], []
    for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        why = str(case.get("why") or "").lower()
        danger = case["outcome"] == "human" and any(w in why for w in HAZARD_WHY)
        danger = danger and "hard negative" not in why and "hypothetical" not in why
        if case["outcome"] == "human" and not danger:
            continue
        texts.append(str(case["turns"][-1]))
        present.append(case["outcome"] == "ticket" or danger)
        hazard.append(danger)
    return texts, present, hazard


def combine(
    lexicon: str | None,
    present: float,
    learned: str,
    confidence: float,
    threshold: float,
    veto: float,
    sure: float = 0.5,
) -> str | None:
    """The problem the reply and the ticket go by. `present` is the learned probability that
    the message reports a problem at all, `learned` the likeliest problem if it does and
    `confidence` its probability. At least `threshold` sure there is one: the learned problem,
    unless the lexicon named one and the learned reading is less than `sure` of its own; below
    `veto`: none at all, which overrules a cue word read out of context ("how late are you
    open?"); in between the lexicon's reading stands."""
    if present >= threshold and (lexicon is None or confidence >= sure):
        return learned
    if present < veto:
        return None
    return lexicon


@dataclass
class Examples:
    """What the reader learns from: problem examples (by problem), routine messages (none),
    and labelled cases (problem or not, hazard or not)."""

    texts: list[str]
    labels: list[str]  # the problem, or NONE
    present: list[bool]
    hazard: list[bool]
    which: list[bool]  # whether the example teaches which problem it is


def examples(
    problem_texts: list[str],
    problem_labels: list[str],
    hazards: frozenset[str],
    routine: list[str],
    cases: tuple[list[str], list[bool], list[bool]] = ([], [], []),
) -> Examples:
    case_texts, case_present, case_hazard = cases
    return Examples(
        texts=problem_texts + routine + case_texts,
        labels=problem_labels + [NONE] * (len(routine) + len(case_texts)),
        present=[True] * len(problem_texts) + [False] * len(routine) + case_present,
        hazard=[label in hazards for label in problem_labels]
        + [False] * len(routine)
        + case_hazard,
        which=[True] * len(problem_texts) + [False] * (len(routine) + len(case_texts)),
    )


def fit(data: Examples, vectors: dict[str, np.ndarray], c: float) -> dict[str, Any]:
    """Three regressions on the e5 embedding: is a problem reported, is it a hazard that
    happened, and which problem it is (trained on the problems alone, so a rare one is not
    drowned by routine talk)."""
    x = normalize(np.vstack([vectors[t] for t in data.texts]))
    which = np.array(data.which)
    heads = {}
    for name, target in (("detector", data.present), ("hazard", data.hazard)):
        head = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        head.fit(x, np.array(target))
        heads[name] = head
    classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    classifier.fit(x[which], np.array(data.labels)[which])
    return {**heads, "classifier": classifier}


@dataclass(frozen=True)
class Reading:
    present: float  # how likely a problem is reported at all
    hazard: float  # how likely it is a hazard that happened
    problem: str  # the likeliest problem, if one is reported
    confidence: float  # its probability among the problems
    likeliest_hazard: str  # the likeliest of the hazards, or GENERIC_HAZARD when unclear
    category: str | None = None  # the likeliest category, summing its problems
    category_confidence: float = 0.0


def read(
    model: dict[str, Any],
    features: np.ndarray,
    hazards: frozenset[str],
    categories: dict[str, str] | None = None,
) -> Reading:
    x = normalize(features.reshape(1, -1))

    def yes(head: LogisticRegression) -> float:
        return float(head.predict_proba(x)[0][list(head.classes_).index(True)])

    classifier: LogisticRegression = model["classifier"]
    row = classifier.predict_proba(x)[0]
    names = [str(c) for c in classifier.classes_]
    best = int(np.argmax(row))
    dangers = [i for i, n in enumerate(names) if n in hazards]
    danger = max(dangers, key=lambda i: row[i])
    # which hazard it is, when the reading is clear enough to name it
    share = float(row[danger] / max(1e-9, sum(row[i] for i in dangers)))
    kind = names[danger] if share >= HAZARD_KIND_SHARE else GENERIC_HAZARD
    mass: dict[str, float] = {}
    for i, name in enumerate(names):
        key = (categories or {}).get(name)
        if key:
            mass[key] = mass.get(key, 0.0) + float(row[i])
    category = max(mass, key=mass.__getitem__) if mass else None
    return Reading(
        yes(model["detector"]),
        yes(model["hazard"]),
        names[best],
        float(row[best]),
        kind,
        category,
        mass.get(category, 0.0) if category else 0.0,
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ProblemReader(LearnedComponent):
    """Reads the customer's problem from its e5 embedding and settles it with the lexicon's."""

    MODEL_FILE = MODEL_FILE
    INPUT_FILES = ("examples", "cases")

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "examples": str(EXAMPLES),
            "C": 4.0,
            # the labelled development cases of the escalation policy (never a held-out set)
            "cases": str(DEV_CASES),
            "threshold": 0.6,
            "veto": 0.3,
            "hazard_threshold": 0.5,
            "cache_path": E5Featurizer.get_default_config()["cache_path"],
        }

    def train(self, training_data: TrainingData) -> Resource:
        categories, hazards, texts, labels = read_problems(Path(self._config["examples"]))
        routine = [
            m.get(TEXT)
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT) not in PROBLEM_INTENTS
        ]
        cases = read_cases(Path(self._config["cases"])) if self._config.get("cases") else None
        data = examples(texts, labels, hazards, routine, cases or ([], [], []))
        featurizer = E5Featurizer(E5Featurizer.get_default_config(), "problem_reader")
        vectors = featurizer.vectors(data.texts, self._config["cache_path"])
        return self.keep(
            {
                **fit(data, vectors, float(self._config["C"])),
                "categories": categories,
                "hazards": hazards,
            }
        )

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        categories: dict[str, str] = self._model["categories"]
        hazards: frozenset[str] = self._model["hazards"]
        threshold, veto = float(self._config["threshold"]), float(self._config["veto"])
        hazard_threshold = float(self._config["hazard_threshold"])
        for message in messages:
            _, dense = message.get_dense_features(TEXT)
            if not message.get(TEXT) or dense is None:
                continue
            analysis = dict(message.get(ANALYSIS) or {})
            if analysis.get("unintelligible"):
                continue  # nothing anyone could read: no problem, no hazard
            reading = read(self._model, dense.features, hazards, categories)
            lexicon = analysis.get("problem")
            problem = combine(
                lexicon, reading.present, reading.problem, reading.confidence, threshold, veto
            )
            unsure = problem == reading.problem != lexicon and reading.confidence < NAME_CONFIDENCE
            if unsure:
                # reported, but which problem is unclear: the category when that is clear
                problem = None
                if reading.category_confidence >= CATEGORY_CONFIDENCE:
                    analysis["category"] = reading.category
            analysis["problem_learned"] = reading.problem
            # a likely problem the decision does not act on, for the reply's words
            likely = reading.present >= veto and reading.confidence >= GUESS_CONFIDENCE
            analysis["problem_guess"] = reading.problem if likely else None
            analysis["problem_present"] = round(reading.present, 3)
            analysis["problem_confidence"] = round(reading.confidence, 3)
            analysis["hazard"] = round(reading.hazard, 3)
            cues = list(analysis.get("cues") or [])
            if reading.hazard >= hazard_threshold and not analysis.get("hypothetical"):
                # a hazard that happened, also when told without the usual words
                if lexicon in hazards:
                    problem = lexicon  # the lexicon's words say which hazard ("smoke", "shock")
                elif problem not in hazards:
                    problem = reading.likeliest_hazard
                if "safety" not in cues:
                    cues.insert(0, "safety")
            elif (problem in hazards or problem == GENERIC_HAZARD) and "safety" not in cues:
                problem = DOWNGRADED  # "it gets hot": a fault, until it is shown a hazard
            analysis["cues"] = cues
            analysis["problem"] = problem
            if problem:
                analysis["problem_category"] = categories.get(problem, "product_quality")
                analysis["category"] = categories.get(problem) or analysis.get("category")
            message.set(ANALYSIS, analysis, add_to_output=True)
        return messages
