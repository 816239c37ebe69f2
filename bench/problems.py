"""How well the customer's problem is read: the lexicon, the learned reader, and the two combined.

    make bench-problems     (or: .venv-rasa/bin/python -m bench.problems)

Five-fold cross-validation over `nlu/problems.yml` plus the routine examples of `data/nlu` as
"none" (the learned reader never sees the fold it is scored on). Prints, per language, the
accuracy of the problem and of its category for each reader, the hazard recall and the false
hazard rate on routine messages, and the combination's accuracy for a grid of thresholds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from nlu.cues import Lexicon, analyse
from nlu.embedding import E5Featurizer
from nlu.problems import HAZARD_SURE, NONE, PROBLEM_INTENTS, combine, fit, read, read_problems

ROOT = Path(__file__).resolve().parent.parent


def routine_examples() -> tuple[list[str], list[str]]:
    texts, langs = [], []
    for path in sorted((ROOT / "data" / "nlu").glob("*/*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if block.get("intent") and block["intent"] not in PROBLEM_INTENTS:
                for line in str(block["examples"]).splitlines():
                    if line.strip().startswith("- "):
                        texts.append(line.strip()[2:])
                        langs.append(path.parent.name)
    return texts, langs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--routine-share", type=float, default=0.5, help="share of routine kept")
    parser.add_argument("--c", type=float, default=4.0, help="inverse regularisation strength")
    args = parser.parse_args()
    categories, hazards, texts, labels = read_problems()
    raw = yaml.safe_load((ROOT / "nlu" / "problems.yml").read_text(encoding="utf-8"))
    langs = [lang for lang, by in raw["examples"].items() for ex in by.values() for _ in ex]
    routine, routine_langs = routine_examples()
    keep = np.random.default_rng(0).random(len(routine)) < args.routine_share
    texts += [t for t, k in zip(routine, keep, strict=True) if k]
    langs += [t for t, k in zip(routine_langs, keep, strict=True) if k]
    labels += [NONE] * int(keep.sum())
    lexicon = Lexicon(yaml.safe_load((ROOT / "nlu" / "lexicon.yml").read_text(encoding="utf-8")))
    read_ = [analyse(t, lexicon) for t in texts]
    featurizer = E5Featurizer(E5Featurizer.get_default_config(), "bench")
    vectors = featurizer.vectors(texts, E5Featurizer.get_default_config()["cache_path"])
    y = np.array(labels)
    present = np.zeros(len(texts))
    learned = [NONE] * len(texts)
    confidence = np.zeros(len(texts))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y):
        model = fit([texts[i] for i in train], [labels[i] for i in train], vectors, args.c)
        for i in test:
            present[i], learned[i], confidence[i] = read(model, vectors[texts[i]])

    def cat(problem: str | None) -> str | None:
        return categories.get(problem) if problem and problem != NONE else None

    for lang in ("en", "zh"):
        idx = [i for i, lg in enumerate(langs) if lg == lang]
        problems = [i for i in idx if labels[i] != NONE]
        routine_idx = [i for i in idx if labels[i] == NONE]
        hazard = [i for i in problems if labels[i] in hazards]
        print(f"{lang}.problem_examples: {len(problems)}  routine: {len(routine_idx)}")
        answered = np.mean([read_[i].problem is not None for i in problems])
        print(f"{lang}.lexicon_answers: {answered:.3f}")
        print(
            f"{lang}.lexicon_category_accuracy: "
            f"{np.mean([cat(read_[i].problem) == cat(labels[i]) for i in problems]):.3f}"
        )
        print(
            f"{lang}.lexicon_problem_on_routine: "
            f"{np.mean([read_[i].problem is not None for i in routine_idx]):.3f}"
        )
        print(
            f"{lang}.learned_problem_accuracy (which problem, given one): "
            f"{np.mean([learned[i] == labels[i] for i in problems]):.3f}"
        )
        print(
            f"{lang}.learned_category_accuracy (given one): "
            f"{np.mean([cat(learned[i]) == cat(labels[i]) for i in problems]):.3f}"
        )
        print(
            f"{lang}.learned_hazard_recall: "
            f"{np.mean([learned[i] in hazards and present[i] >= 0.5 for i in hazard]):.3f}"
        )
        for threshold in (0.5, 0.6, 0.7, 0.8):
            for veto in (0.2, 0.3, 0.4):
                got = {
                    i: combine(read_[i].problem, present[i], learned[i], threshold, veto)
                    for i in idx
                }
                acc = np.mean([cat(got[i]) == cat(labels[i]) for i in problems])
                exact = np.mean([got[i] == labels[i] for i in problems])
                alone = np.mean([got[i] is None for i in routine_idx])
                false_hazard = np.mean(
                    [got[i] in hazards and confidence[i] >= HAZARD_SURE for i in routine_idx]
                )
                print(
                    f"  {lang} threshold {threshold} veto {veto}: problem {exact:.3f}, "
                    f"category {acc:.3f}, routine left alone {alone:.3f}, "
                    f"false hazard {false_hazard:.4f}"
                )


if __name__ == "__main__":
    main()
