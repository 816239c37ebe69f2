"""How well the customer's problem is read: the lexicon, the learned reader, and the two combined.

    make bench-problems     (or: .venv-rasa/bin/python -m bench.problems)

Five-fold cross-validation over what the reader learns from (`nlu/problems.yml`, routine
examples of `data/nlu`, the labelled cases of `tests/escalation/dev.yml`); the reader never
sees the fold it is scored on. Prints, per language, the category accuracy of a named problem
for the lexicon and the learned reader, and precision and recall of "a problem is reported"
and "a hazard happened" for a grid of thresholds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from nlu.cues import Lexicon, analyse, detect_language
from nlu.embedding import E5Featurizer
from nlu.problems import (
    DEV_CASES,
    NONE,
    PROBLEM_INTENTS,
    Examples,
    Reading,
    examples,
    fit,
    read,
    read_cases,
    read_problems,
)

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
    routine = [t for t, k in zip(routine, keep, strict=True) if k]
    langs += [t for t, k in zip(routine_langs, keep, strict=True) if k]
    cases = read_cases(DEV_CASES)
    langs += ["zh" if detect_language(t) == "zh" else "en" for t in cases[0]]
    data = examples(texts, labels, hazards, routine, cases)
    lexicon = Lexicon(yaml.safe_load((ROOT / "nlu" / "lexicon.yml").read_text(encoding="utf-8")))
    lexicon_read = [analyse(t, lexicon) for t in data.texts]
    featurizer = E5Featurizer(E5Featurizer.get_default_config(), "bench")
    vectors = featurizer.vectors(data.texts, E5Featurizer.get_default_config()["cache_path"])
    # stratified by (which problem or none) x (reported or not) x (hazard or not)
    strata = [
        f"{lab}|{p}|{h}" for lab, p, h in zip(data.labels, data.present, data.hazard, strict=True)
    ]
    readings: list[Reading | None] = [None] * len(data.texts)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(
        data.texts, [s if strata.count(s) >= 5 else "rare" for s in strata]
    ):
        part = Examples(
            *(
                list(np.array(field, dtype=object)[train])
                for field in (data.texts, data.labels, data.present, data.hazard, data.which)
            )
        )
        model = fit(part, vectors, args.c)
        for i in test:
            readings[i] = read(model, vectors[data.texts[i]], hazards)

    def cat(problem: str | None) -> str | None:
        return categories.get(problem) if problem and problem != NONE else None

    for lang in ("en", "zh"):
        idx = [i for i, lg in enumerate(langs) if lg == lang]
        named = [i for i in idx if data.which[i]]
        print(f"{lang}: {len(idx)} messages, {len(named)} with a named problem")
        lex = np.mean([cat(lexicon_read[i].problem) == cat(data.labels[i]) for i in named])
        got = np.mean([cat(readings[i].problem) == cat(data.labels[i]) for i in named])
        exact = np.mean([readings[i].problem == data.labels[i] for i in named])
        print(
            f"  category of a named problem: lexicon {lex:.3f}, learned {got:.3f} "
            f"(problem {exact:.3f})"
        )
        for threshold in (0.4, 0.5, 0.6, 0.7, 0.8):
            for name, truth, score in (
                ("reported", data.present, lambda r: r.present),
                ("hazard", data.hazard, lambda r: r.hazard),
            ):
                said = [score(readings[i]) >= threshold for i in idx]
                real = [truth[i] for i in idx]
                tp = sum(a and b for a, b in zip(said, real, strict=True))
                precision = tp / max(1, sum(said))
                recall = tp / max(1, sum(real))
                print(f"  {name} at {threshold}: precision {precision:.3f}, recall {recall:.3f}")


if __name__ == "__main__":
    main()
