"""NLU pipeline variants side by side: what each part of config.yml buys, in numbers.

    PYTHONPATH=. RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 \\
        .venv-rasa/bin/python -m bench.nlu_variants [--diet] [--only joint,no_e5]

Each variant is config.yml with one change, trained NLU-only into a temporary directory and
scored with nlu.evaluate's parser (intent accuracy and macro-F1, fallback ignored) on the Bitext
set (models trained on English only), and on the held-out split of each language it was trained
on. Variants:

  joint         the production config, trained on en+zh
  per_language  the production config, one model for en and one for zh
  no_e5         without E5Featurizer (character n-grams + logistic regression)
  e5_only       without the classifier's character n-grams (their weight 0)
  diet          (--diet, slow) DIETClassifier, 30 epochs, instead of LinearIntentClassifier,
                with a word-level CountVectorsFeaturizer beside the production featurizers

Figures go to stdout as `name: value`, then a summary table; Rasa's own output goes to stderr.
Training time is wall-clock for `rasa train nlu` with Rasa's training cache switched off; the
e5 vectors of the training examples come from .cache/embeddings.sqlite3 when present, those of
the evaluation texts from .cache/eval-embeddings.sqlite3.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.evaluate import (
    BITEXT,
    HELDOUT,
    ROOT,
    TRAINING,
    Parser,
    read_bitext,
    read_nlu_yaml,
    scores,
)

CONFIG = ROOT / "config.yml"
EVAL_CACHE = ROOT / ".cache" / "eval-embeddings.sqlite3"
LANGUAGES = ("en", "zh")
E5 = "nlu.embedding.E5Featurizer"
CLASSIFIER = "nlu.classifier.LinearIntentClassifier"
COUNT_VECTORS = "CountVectorsFeaturizer"  # Rasa's, for the DIET variant

Step = dict[str, Any]
Change = Callable[[list[Step]], list[Step]]


@dataclass(frozen=True)
class EvalSet:
    name: str  # as in the figures: bitext, heldout_en, heldout_zh
    language: str
    texts: list[str]
    gold: list[str]
    labels: list[str]  # macro-F1 averages over these (the set's own intents)


@dataclass(frozen=True)
class Variant:
    name: str
    change: Change
    models: tuple[tuple[str, ...], ...]  # the training languages of each model it trains
    description: str


def unchanged(pipeline: list[Step]) -> list[Step]:
    return pipeline


def without(name: str) -> Change:
    """Drops every step of that component from the pipeline."""

    def change(pipeline: list[Step]) -> list[Step]:
        kept = [step for step in pipeline if step["name"] != name]
        if len(kept) == len(pipeline):
            raise ValueError(f"{name} is not in {CONFIG.name}")
        return kept

    return change


def e5_only(pipeline: list[Step]) -> list[Step]:
    """The classifier on the e5 embedding alone (the n-gram block weighs nothing)."""
    out = [dict(step) for step in pipeline]
    for step in out:
        if step["name"] == CLASSIFIER:
            step["sparse_weight"] = 0.0
    return out


def sparse_only(pipeline: list[Step]) -> list[Step]:
    """Without e5; the n-gram block at full weight (0.3 only balances it against e5)."""
    out = [dict(step) for step in without(E5)(pipeline)]
    for step in out:
        if step["name"] == CLASSIFIER:
            step["sparse_weight"] = 1.0
    return out


def diet(pipeline: list[Step]) -> list[Step]:
    """DIETClassifier for the linear classifier; word counts after the last featurizer."""
    names = [step["name"] for step in pipeline]
    out = [dict(step) for step in pipeline]
    out[names.index(CLASSIFIER)] = {"name": "DIETClassifier", "epochs": 30}
    out.insert(names.index(E5) + 1, {"name": COUNT_VECTORS})
    return out


VARIANTS = (
    Variant("joint", unchanged, (LANGUAGES,), "production config, en+zh"),
    Variant(
        "per_language", unchanged, tuple((lang,) for lang in LANGUAGES), "one model a language"
    ),
    Variant("no_e5", sparse_only, (LANGUAGES,), "char n-grams + logistic regression"),
    Variant("e5_only", e5_only, (LANGUAGES,), "e5 + logistic regression"),
    Variant("diet", diet, (LANGUAGES,), "DIET, 30 epochs, + word counts"),
)
SLOW = {"diet"}


def load_eval_sets(bitext: Path) -> list[EvalSet]:
    sources = [("bitext", "en", read_bitext(bitext))]
    sources += [
        (f"heldout_{lang}", lang, read_nlu_yaml(HELDOUT / f"{lang}.yml")) for lang in LANGUAGES
    ]
    return [
        EvalSet(
            name, lang, [t for t, _ in pairs], [i for _, i in pairs], sorted({i for _, i in pairs})
        )
        for name, lang, pairs in sources
    ]


def write_config(change: Change, path: Path) -> None:
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    config["pipeline"] = change(copy.deepcopy(config["pipeline"]))
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def training_data(languages: tuple[str, ...]) -> Path:
    """`rasa train nlu` takes one path: the whole data/nlu tree, or one language's folder."""
    if set(languages) == set(LANGUAGES):
        return TRAINING
    (language,) = languages
    return TRAINING / language


def train(config: Path, languages: tuple[str, ...], out: Path, name: str) -> tuple[Path, float]:
    """Trains an NLU-only model; returns its archive and the training wall-clock seconds.

    No domain: NLU-only training replaces it with an empty one (NluDataImporter), and the data
    has no responses or entity annotations that would need one.
    """
    from rasa.model_training import train_nlu

    started = time.monotonic()
    with contextlib.redirect_stdout(sys.stderr):
        model = train_nlu(str(config), str(training_data(languages)), str(out), name)
    seconds = time.monotonic() - started
    if model is None:
        raise RuntimeError(f"training {name} produced no model")
    return Path(model), seconds


def evaluate(model: Path, sets: list[EvalSet]) -> dict[str, float]:
    with contextlib.redirect_stdout(sys.stderr):
        parser = Parser(str(model))
    figures: dict[str, float] = {}
    for s in sets:
        for metric, value in scores(s.gold, parser.parse(s.texts), s.labels).items():
            figures[f"{s.name}.{metric}"] = value
    return figures


def emit(name: str, value: float) -> None:
    text = f"{value:.0f}" if name.endswith("seconds") else f"{value:.4f}"
    print(f"{name}: {text}", flush=True)


def run_variant(variant: Variant, sets: list[EvalSet], workdir: Path) -> dict[str, float]:
    config = workdir / f"{variant.name}.config.yml"
    write_config(variant.change, config)
    seconds: dict[str, float] = {}
    metrics: dict[str, float] = {}
    for languages in variant.models:
        tag = "+".join(languages)
        print(f"-- {variant.name} ({tag}): training", file=sys.stderr, flush=True)
        model, seconds[tag] = train(config, languages, workdir, f"{variant.name}-{tag}")
        print(f"-- {variant.name} ({tag}): evaluating", file=sys.stderr, flush=True)
        metrics.update(evaluate(model, [s for s in sets if s.language in languages]))
        model.unlink()
    figures = {"train_seconds": sum(seconds.values())}
    if len(seconds) > 1:
        figures.update({f"{tag}.train_seconds": value for tag, value in seconds.items()})
    figures.update(metrics)
    for name, value in figures.items():
        emit(f"{variant.name}.{name}", value)
    return figures


def summary(results: dict[str, dict[str, float]], sets: list[EvalSet]) -> str:
    header = f"{'variant':14s} {'train s':>7s}" + "".join(
        f" {s.name + ' acc':>15s} {s.name + ' F1':>14s}" for s in sets
    )
    lines = [header, "-" * len(header)]
    for variant, figures in results.items():
        cells = "".join(
            f" {figures.get(f'{s.name}.accuracy', float('nan')):15.4f}"
            f" {figures.get(f'{s.name}.macro_f1', float('nan')):14.4f}"
            for s in sets
        )
        lines.append(f"{variant:14s} {figures['train_seconds']:7.0f}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    args.add_argument("--diet", action="store_true", help="also train the (slow) DIET variant")
    args.add_argument("--only", help="comma-separated variant names (default: all)")
    args.add_argument("--bitext", type=Path, default=BITEXT)
    opts = args.parse_args(argv)

    # e5 vectors of the evaluation texts are reused between runs; Rasa's training cache would
    # turn a retraining into a cache hit (and write to .rasa/), so it is switched off
    os.environ.setdefault("LERA_EMBEDDING_CACHE", str(EVAL_CACHE))
    os.environ.setdefault("RASA_MAX_CACHE_SIZE", "0")

    wanted = set(opts.only.split(",")) if opts.only else {v.name for v in VARIANTS}
    unknown = wanted - {v.name for v in VARIANTS}
    if unknown:
        args.error(f"unknown variants: {', '.join(sorted(unknown))}")
    if not opts.diet and not opts.only:
        wanted -= SLOW
    variants = [v for v in VARIANTS if v.name in wanted]

    started = time.monotonic()
    sets = load_eval_sets(opts.bitext)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="nlu-variants-") as workdir:
        for variant in variants:
            results[variant.name] = run_variant(variant, sets, Path(workdir))
    emit("total_seconds", time.monotonic() - started)
    print()
    print(summary(results, sets))
    print()
    for v in variants:
        print(f"{v.name:14s} {v.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
