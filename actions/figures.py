"""The escalation figures of a trained model: the policy's decision (`actions.escalation`) on
the model's reading of each held-out case, turn by turn, against the outcome it is labelled
with. Precision and recall of the hand-off to a person.

    python -m actions.figures --readings parses.json      (written by `nlu.figures`)

Prints the figures as JSON: the intent accuracy it was given and the escalation figures.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from actions.escalation import Outcome, decide
from actions.message import CustomerMessage, parse


class _Tracker:
    """What `parse` asks of a tracker: the conversation's language."""

    def __init__(self, language: str) -> None:
        self._language = language

    def get_slot(self, name: str) -> Any:
        return self._language if name == "language" else None


def outcome_of(case: dict[str, Any]) -> str:
    """The decision on the case's last turn, after the turns before it."""
    tracker = _Tracker(case["lang"])
    previous: CustomerMessage | None = None
    previous_outcome: str | None = None
    ticket = False
    outcome = Outcome.BOT
    for reading in case["turns"]:
        message = parse(reading, tracker)
        decision = decide(message, previous, previous_outcome, has_open_ticket=ticket)
        outcome = decision.outcome
        previous, previous_outcome = message, str(outcome)
        ticket = ticket or outcome == Outcome.TICKET
    return str(outcome)


def escalation(cases: list[dict[str, Any]]) -> dict[str, float]:
    outcomes = [outcome_of(case) for case in cases]
    predicted = [outcome == "human" for outcome in outcomes]
    gold = [case["outcome"] == "human" for case in cases]
    hits = sum(p and g for p, g in zip(predicted, gold, strict=True))
    return {
        "precision": round(hits / max(1, sum(predicted)), 4),
        "recall": round(hits / max(1, sum(gold)), 4),
        "accuracy": round(
            sum(o == c["outcome"] for o, c in zip(outcomes, cases, strict=True)) / len(cases), 4
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readings", required=True)
    args = parser.parse_args(argv)
    data = json.loads(Path(args.readings).read_text(encoding="utf-8"))
    figures = {"intent_accuracy": data["intent_accuracy"], "escalation": escalation(data["cases"])}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
