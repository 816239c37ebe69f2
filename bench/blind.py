"""A blind evaluation set, run once through the real stack: understanding, outcomes, replies.

    make bench-blind CASES=path/to/cases.yml [OUT=dir]

Each case is a fresh web customer whose turns go through `POST /api/web/messages` (gateway,
Rasa, action server). Per language it prints intent accuracy over every labelled turn, the
share of turns sent to a clarifying question, the confidently-wrong rate (a wrong intent that
was not asked about), category accuracy of complaints, outcome accuracy per outcome, precision
and recall of "human", and whether paired cases (the same case in both languages) got the same
outcome. It writes the transcripts (`transcripts.md`) for a blind reviewer to grade on the LERA
rubric, and every reading (`results.yml`).

The case format: [{id, lang, turns: [{text, intent}], outcome, upset, severity, category,
problem, hazard, pair, why}] — see bench/README.md and bench/blind-set-spec.md.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import tempfile
import uuid
from pathlib import Path
from typing import Any

import httpx
import yaml

from bench.escalation import OUTCOMES, outcome_of
from tests.integration.stack import LiveServer, Stack, full_stack

FALLBACK = "nlu_fallback"
# intents a turn gets from its place in the conversation as much as from its words: a
# complaint told over several turns, a detail given, a request for a person
CONTEXTUAL_INTENTS = frozenset({"complaint", "inform", "contact_human_agent"})
# the set's complaint categories that the desk files under another name
CATEGORY_ALIASES = {"checkout": "billing", "account": "general", "none": None}


def rasa_sender(gateway: LiveServer, sender: str) -> str:
    """The id the gateway knows this web customer by at the Rasa server."""
    from sqlalchemy import select

    from bot.models import Customer

    async def uid() -> str:
        async with gateway.app.state.sessions() as session:
            query = select(Customer.uid).where(Customer.external_id == sender)
            return str((await session.execute(query)).scalar_one())

    return asyncio.run_coroutine_threadsafe(uid(), gateway.loop).result(timeout=10)


def tracker_turns(client: httpx.Client, stack: Stack, sender: str) -> list[dict[str, Any]]:
    """The NLU reading of each customer turn, from Rasa's tracker."""
    tracker = client.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker", params={"token": stack.rasa_token}
    ).json()
    turns = []
    for event in tracker.get("events") or []:
        if event.get("event") != "user":
            continue
        parse = event.get("parse_data") or {}
        intent = parse.get("intent") or {}
        ranking = [r.get("name") for r in parse.get("intent_ranking") or []]
        turns.append(
            {
                "intent": intent.get("name"),
                "confidence": round(float(intent.get("confidence") or 0.0), 3),
                "guess": next((n for n in ranking if n != FALLBACK), None),
                "analysis": parse.get("analysis") or {},
            }
        )
    return turns


def run_case(
    client: httpx.Client, stack: Stack, gateway: LiveServer, case: dict[str, Any]
) -> dict[str, Any]:
    sender = f"blind-{uuid.uuid4().hex[:10]}"
    before: dict[str, Any] | None = None
    after: dict[str, Any] = {}
    said = []
    for turn in case["turns"]:
        if after:
            before = after
        token = {"Authorization": f"Bearer {after['customer_token']}"} if after else {}
        response = client.post(
            "/api/web/messages", json={"sender": sender, "message": turn["text"]}, headers=token
        )
        response.raise_for_status()
        after = response.json()
        said.append(after.get("replies") or [])
    readings = tracker_turns(client, stack, rasa_sender(gateway, sender))
    return {"outcome": outcome_of(before, after), "replies": said, "readings": readings}


def _rate(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "n/a"


def intents(
    lang: str, cases: list[dict[str, Any]], results: dict[str, Any], name: str, routine_only: bool
) -> None:
    turns = correct = clarified = wrong_sure = 0
    for case in cases:
        readings = results[case["id"]]["readings"]
        for turn, reading in zip(case["turns"], readings, strict=False):
            if routine_only and turn["intent"] in CONTEXTUAL_INTENTS:
                continue
            turns += 1
            clarified += reading["intent"] == FALLBACK
            correct += reading["intent"] == turn["intent"]
            wrong_sure += reading["intent"] not in (FALLBACK, turn["intent"])
    print(f"{lang}.{name}turns: {turns}")
    print(f"{lang}.{name}intent_accuracy: {_rate(correct, turns)}")
    print(f"{lang}.{name}clarified: {_rate(clarified, turns)}")
    print(f"{lang}.{name}confidently_wrong: {_rate(wrong_sure, turns)}")


def report(lang: str, cases: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> None:
    intents(lang, cases, results, "", routine_only=False)
    intents(lang, cases, results, "routine_", routine_only=True)
    labelled = [c for c in cases if c.get("category") not in (None, "none")]
    right = 0
    for case in labelled:
        want = CATEGORY_ALIASES.get(case["category"], case["category"])
        got = (results[case["id"]]["readings"] or [{}])[-1].get("analysis", {}).get("category")
        right += got == want
    print(f"{lang}.complaint_category: {_rate(right, len(labelled))}")
    pairs = [(c["outcome"], results[c["id"]]["outcome"]) for c in cases]
    for outcome in OUTCOMES:
        of = [p for p in pairs if p[0] == outcome]
        print(f"{lang}.{outcome}_accuracy: {_rate(sum(g == p for g, p in of), len(of))}")
    print(f"{lang}.outcome_accuracy: {_rate(sum(g == p for g, p in pairs), len(pairs))}")
    tp = sum(g == p == "human" for g, p in pairs)
    fp = sum(p == "human" != g for g, p in pairs)
    fn = sum(g == "human" != p for g, p in pairs)
    print(f"{lang}.human_precision: {_rate(tp, tp + fp)}")
    print(f"{lang}.human_recall: {_rate(tp, tp + fn)}")
    confusion = collections.Counter(pairs)
    print(f"{lang} confusion (rows: label, columns: outcome {'/'.join(OUTCOMES)}):")
    for g in OUTCOMES:
        print(f"  {g:7s} " + " ".join(f"{confusion[(g, p)]:4d}" for p in OUTCOMES))


def same_case_same_outcome(cases: list[dict[str, Any]], results: dict[str, Any]) -> None:
    by_pair: dict[str, list[str]] = collections.defaultdict(list)
    for case in cases:
        if case.get("pair"):
            by_pair[str(case["pair"])].append(results[case["id"]]["outcome"])
    pairs = [v for v in by_pair.values() if len(v) == 2]
    print(f"pairs.same_outcome: {_rate(sum(a == b for a, b in pairs), len(pairs))}")


def transcripts(cases: list[dict[str, Any]], results: dict[str, Any]) -> str:
    """The conversations as a reviewer reads them: the customer's turns and the bot's replies."""
    lines = ["# Transcripts", ""]
    for case in cases:
        lines += [f"## {case['id']} ({case['lang']})", ""]
        replies = results[case["id"]]["replies"]
        for number, (turn, said) in enumerate(zip(case["turns"], replies, strict=True), 1):
            lines.append(f"**customer (turn {number}):** {turn['text']}")
            for reply in said:
                text = str(reply.get("text") or "").replace("\n", " ")
                buttons = " | ".join(b.get("title", "") for b in reply.get("buttons") or [])
                lines.append(f"> **bot:** {text}" + (f"  [buttons: {buttons}]" if buttons else ""))
            if not said:
                lines.append("> *(no reply)*")
            lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="where to write transcripts.md and results.yml")
    args = parser.parse_args()
    cases: list[dict[str, Any]] = yaml.safe_load(args.cases.read_text(encoding="utf-8"))
    out = args.out or args.cases.parent
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'blind.db'}"
        with (
            full_stack(args.model, Path(tmp), url) as (stack, gateway),
            httpx.Client(base_url=gateway.url, timeout=60) as client,
        ):
            for case in cases:
                results[case["id"]] = run_case(client, stack, gateway, case)
    for lang in sorted({c["lang"] for c in cases}):
        report(lang, [c for c in cases if c["lang"] == lang], results)
    same_case_same_outcome(cases, results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "transcripts.md").write_text(transcripts(cases, results), encoding="utf-8")
    (out / "results.yml").write_text(
        yaml.safe_dump(results, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    print(f"transcripts: {out / 'transcripts.md'}")


if __name__ == "__main__":
    main()
