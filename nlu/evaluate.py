"""Measures the trained assistant's NLU on data it never saw.

    python -m nlu.evaluate --model models/<model>.tar.gz      (or: make eval)

(a) the public Bitext customer-service set (27 intents, written by nobody here);
(b) the project's own held-out split, per language (tests/heldout/<lang>.yml, never trained on);
(c) the message analyser against the labelled set (tests/analysis/labelled.yml).
Prints accuracy and macro-F1, a per-intent table and the most confused pairs. Messages go
through the model's real NLU graph in batches; their embeddings may be cached between runs.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BITEXT = (
    ROOT.parent
    / "shared"
    / "datasets"
    / "bitext-customer-service"
    / "Bitext_Sample_Customer_Service_Training_Dataset.csv"
)
HELDOUT = ROOT / "tests" / "heldout"
LABELLED = ROOT / "tests" / "analysis" / "labelled.yml"
TRAINING = ROOT / "data" / "nlu"
FALLBACK = "nlu_fallback"
BATCH = 256


def read_nlu_yaml(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU YAML file."""
    pairs = []
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((line[2:].strip(), block["intent"]))
    return pairs


def read_bitext(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [(row["utterance"], row["intent"]) for row in csv.DictReader(f)]


class Parser:
    """Runs the model's NLU graph over many messages at once."""

    def __init__(self, model: str) -> None:
        from rasa.core.agent import Agent

        self._agent = Agent.load(model)

    def parse(self, texts: list[str]) -> list[dict[str, Any]]:
        from rasa.core.channels.channel import UserMessage
        from rasa.shared.core.trackers import DialogueStateTracker

        processor = self._agent.processor
        assert processor is not None
        target = processor.model_metadata.nlu_target
        out: list[dict[str, Any]] = []
        for i in range(0, len(texts), BATCH):
            messages = [UserMessage(text=t) for t in texts[i : i + BATCH]]
            results = processor.graph_runner.run(
                inputs={"__message__": messages, "__tracker__": DialogueStateTracker("eval", [])},
                targets=[target],
            )
            out.extend(m.as_dict(only_output_properties=True) for m in results[target])
        return out


def predicted_intent(parsed: dict[str, Any]) -> str:
    """The classifier's best intent (the fallback threshold is reported separately)."""
    for item in parsed.get("intent_ranking") or [parsed.get("intent") or {}]:
        if item.get("name") and item["name"] != FALLBACK:
            return str(item["name"])
    return FALLBACK


def scores(gold: list[str], parsed: list[dict[str, Any]], labels: list[str]) -> dict[str, float]:
    """Intent accuracy and macro-F1 (over `labels`) of the classifier's best intent."""
    from sklearn.metrics import f1_score

    pred = [predicted_intent(p) for p in parsed]
    return {
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold),
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
    }


def report(title: str, gold: list[str], parsed: list[dict[str, Any]], labels: list[str]) -> None:
    from sklearn.metrics import precision_recall_fscore_support

    pred = [predicted_intent(p) for p in parsed]
    fallback = sum((p.get("intent") or {}).get("name") == FALLBACK for p in parsed)
    figures = scores(gold, parsed, labels)
    print(f"\n== {title}: {len(gold)} messages")
    print(f"intent accuracy: {figures['accuracy']:.4f}")
    print(f"macro-F1: {figures['macro_f1']:.4f}")
    print(f"below the fallback threshold (a clarifying question): {fallback / len(gold):.3f}")
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    print(f"{'intent':28s} {'precision':>9s} {'recall':>7s} {'F1':>6s} {'n':>5s}")
    for row in sorted(zip(labels, p, r, f, s, strict=True), key=lambda x: x[3]):
        print(f"{row[0]:28s} {row[1]:9.3f} {row[2]:7.3f} {row[3]:6.3f} {row[4]:5d}")
    confused = collections.Counter((g, q) for g, q in zip(gold, pred, strict=True) if g != q)
    print("most confused (gold -> predicted: count):")
    for (g, q), n in confused.most_common(10):
        print(f"  {g} -> {q}: {n}")


# a confidently wrong answer costs this many clarifying questions on a clear request
WRONG_COST = 2.0
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45)


def ranked(parsed: dict[str, Any]) -> list[tuple[str, float]]:
    items = parsed.get("intent_ranking") or [parsed.get("intent") or {}]
    return [
        (str(i["name"]), float(i.get("confidence") or 0.0))
        for i in items
        if i.get("name") and i["name"] != FALLBACK
    ]


def calibration(gold: list[str], parsed: list[dict[str, Any]], ambiguity: float = 0.03) -> None:
    """For each fallback threshold: the share of clear requests (classifier right) that would get
    a clarifying question, the share answered confidently wrong, and their cost
    (WRONG_COST x confidently wrong + clarified right ones)."""
    print(
        "fallback threshold: clarified-but-right / confidently-wrong / "
        f"cost (wrong x {WRONG_COST:g})"
    )
    for threshold in THRESHOLDS:
        clarified_right = wrong = 0
        for g, p in zip(gold, parsed, strict=True):
            rank = ranked(p)
            if not rank:
                continue
            (best, top), second = rank[0], (rank[1][1] if len(rank) > 1 else 0.0)
            asks = top < threshold or top - second < ambiguity
            clarified_right += asks and best == g
            wrong += not asks and best != g
        n = len(gold)
        cost = (WRONG_COST * wrong + clarified_right) / n
        print(f"  {threshold:.2f}: {clarified_right / n:.3f} / {wrong / n:.3f} / {cost:.3f}")


def analysis_report(parser: Parser) -> None:
    rows = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    parsed = parser.parse([r["text"] for r in rows])
    fields = ("emotion", "intensity", "category", "cues")
    print(f"\n== message analyser on {LABELLED.relative_to(ROOT)}")
    for lang in ("en", "zh"):
        scores = collections.Counter()
        idx = [i for i, r in enumerate(rows) if r["lang"] == lang]
        for i in idx:
            a, r = parsed[i].get("analysis") or {}, rows[i]
            got = {
                "emotion": a.get("emotion") or "none",
                "intensity": a.get("intensity_level") or "none",
                "category": a.get("category") or "none",
                "cues": sorted(a.get("cues") or []),
            }
            want = {
                "emotion": r["emotion"],
                "intensity": r["intensity"],
                "category": r["category"] or "none",
                "cues": sorted(r["cues"] or []),
            }
            scores.update(f for f in fields if got[f] == want[f])
        line = ", ".join(f"{f} {scores[f] / len(idx):.3f}" for f in fields)
        print(f"{lang} ({len(idx)} messages) accuracy: {line}")


def main(argv: list[str] | None = None) -> int:
    parser_args = argparse.ArgumentParser(description=__doc__)
    parser_args.add_argument("--model", required=True)
    parser_args.add_argument("--bitext", type=Path, default=BITEXT)
    args = parser_args.parse_args(argv)
    os.environ.setdefault("LERA_EMBEDDING_CACHE", str(ROOT / ".cache" / "eval-embeddings.sqlite3"))
    started = time.monotonic()
    parser = Parser(args.model)

    bitext = read_bitext(args.bitext)
    labels = sorted({i for _, i in bitext})
    report(
        f"Bitext ({args.bitext.name})",
        [i for _, i in bitext],
        parser.parse([t for t, _ in bitext]),
        labels,
    )

    for lang in ("en", "zh"):
        heldout = read_nlu_yaml(HELDOUT / f"{lang}.yml")
        trained = sum(len(read_nlu_yaml(f)) for f in sorted((TRAINING / lang).glob("*.yml")))
        share = len(heldout) / (len(heldout) + trained)
        intents = sorted({i for _, i in heldout})
        title = f"held-out {lang} ({share:.0%} of the {lang} examples, never trained on)"
        parsed = parser.parse([t for t, _ in heldout])
        report(title, [i for _, i in heldout], parsed, intents)
        calibration([i for _, i in heldout], parsed)

    analysis_report(parser)
    print(f"\nevaluation took {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
