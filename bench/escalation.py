"""Escalation decisions measured on the labelled held-out set (tests/escalation/heldout.yml).

    make bench-escalation        (or: python -m bench.escalation --model models/<m>.tar.gz)

Each case is a fresh customer who sends its turns through `POST /api/web/messages` to the real
stack (gateway, Rasa, action server). The outcome of the last turn is read from the answer:
human when the conversation is queued or assigned, ticket when a ticket was opened by that
turn, bot otherwise. Prints accuracy, the confusion of outcomes, and precision and recall of
"human" per language.
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.integration.stack import LiveServer, full_stack

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "escalation" / "heldout.yml"
OUTCOMES = ("bot", "ticket", "human")


def outcome_of(before: dict[str, Any] | None, after: dict[str, Any]) -> str:
    conversation = after["conversation"]
    if conversation["status"] in ("queued", "assigned"):
        return "human"
    ticket = conversation.get("ticket")
    earlier = (before or {}).get("conversation", {}).get("ticket")
    if ticket and (not earlier or earlier["number"] != ticket["number"]):
        return "ticket"
    return "bot"


def run_case(client: httpx.Client, case: dict[str, Any]) -> str:
    sender = f"esc-{uuid.uuid4().hex[:10]}"
    before: dict[str, Any] | None = None
    after: dict[str, Any] = {}
    for turn in case["turns"]:
        if after:
            before = after
        token = {"Authorization": f"Bearer {after['customer_token']}"} if after else {}
        body = {"sender": sender, "message": turn}
        response = client.post("/api/web/messages", json=body, headers=token)
        response.raise_for_status()
        after = response.json()
    return outcome_of(before, after)


def report(lang: str, gold: list[str], predicted: list[str]) -> None:
    pairs = list(zip(gold, predicted, strict=True))
    tp = sum(g == p == "human" for g, p in pairs)
    fp = sum(p == "human" and g != "human" for g, p in pairs)
    fn = sum(g == "human" and p != "human" for g, p in pairs)
    print(f"{lang}.cases: {len(pairs)}")
    print(f"{lang}.outcome_accuracy: {sum(g == p for g, p in pairs) / len(pairs):.3f}")
    print(f"{lang}.human_precision: {tp / (tp + fp) if tp + fp else 0.0:.3f}")
    print(f"{lang}.human_recall: {tp / (tp + fn) if tp + fn else 0.0:.3f}")
    confusion = collections.Counter(pairs)
    print(f"{lang} confusion (rows: label, columns: outcome {'/'.join(OUTCOMES)}):")
    for g in OUTCOMES:
        print(f"  {g:7s} " + " ".join(f"{confusion[(g, p)]:4d}" for p in OUTCOMES))


def evaluate(gateway: LiveServer, cases: list[dict[str, Any]], verbose: bool) -> None:
    by_lang: dict[str, tuple[list[str], list[str]]] = collections.defaultdict(lambda: ([], []))
    with httpx.Client(base_url=gateway.url, timeout=60) as client:
        for case in cases:
            got = run_case(client, case)
            by_lang[case["lang"]][0].append(case["outcome"])
            by_lang[case["lang"]][1].append(got)
            if verbose and got != case["outcome"]:
                print(
                    f"  miss {case['id']}: label {case['outcome']}, got {got}: {case['turns'][-1]}"
                )
    for lang, (gold, predicted) in sorted(by_lang.items()):
        report(lang, gold, predicted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--cases", type=Path, default=HELDOUT)
    parser.add_argument("--verbose", action="store_true", help="list the cases decided wrongly")
    args = parser.parse_args()
    cases = yaml.safe_load(args.cases.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'escalation.db'}"
        with full_stack(args.model, Path(tmp), url) as (_, gateway):
            evaluate(gateway, cases, args.verbose)


if __name__ == "__main__":
    main()
