"""Reads the held-out sets with a trained model, for the figures a training run is judged by.

    python -m nlu.figures --model models/<model>.tar.gz --out parses.json

Runs in Rasa's environment (the admin pages' trainer starts it after training): the held-out
intent split per language (tests/heldout/<lang>.yml) and every turn of the held-out escalation
cases (tests/escalation/heldout.yml) go through the model's NLU graph; the intent accuracy is
counted here, the escalation decisions on these readings by `actions.figures`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from nlu.evaluate import HELDOUT, ROOT, Parser, predicted_intent, read_nlu_yaml

CASES = ROOT / "tests" / "escalation" / "heldout.yml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    reader = Parser(args.model)
    accuracy = {}
    for language in ("en", "zh"):
        pairs = read_nlu_yaml(HELDOUT / f"{language}.yml")
        parsed = reader.parse([text for text, _ in pairs])
        right = sum(predicted_intent(p) == gold for p, (_, gold) in zip(parsed, pairs, strict=True))
        accuracy[language] = round(right / len(pairs), 4)
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    turns = reader.parse([turn for case in cases for turn in case["turns"]])
    readings, at = [], 0
    for case in cases:
        count = len(case["turns"])
        readings.append(
            {
                "id": case["id"],
                "lang": case["lang"],
                "outcome": case["outcome"],
                "turns": turns[at : at + count],
            }
        )
        at += count
    out = {"intent_accuracy": accuracy, "cases": readings}
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
