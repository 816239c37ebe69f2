"""End-to-end latency: N concurrent web customers through the gateway vs straight to Rasa.

    make bench-latency            (or: python -m bench.latency --model models/<m>.tar.gz)

Starts the real stack (Rasa server, action server, gateway on a fresh SQLite or PostgreSQL
database), then runs the same conversations twice per round — once through
`POST /api/web/messages`, once against Rasa's REST channel directly — alternating the order of
the two in each round, and prints p50/p95 of both and their ratio. Figures are `name: value`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from tests.databases import KINDS, throwaway_database
from tests.integration.stack import full_stack

QUESTIONS = [
    "How long does shipping take?",
    "what payment methods do you accept?",
    "快递几天到？",
    "how do I reset my password",
    "你们的退货政策是怎样的",
    "can I change the delivery address of my order?",
]


async def customer(client: httpx.AsyncClient, url: str, sender: str, turns: int) -> list[float]:
    timings = []
    headers: dict[str, str] = {}
    for i in range(turns):
        body = {"sender": sender, "message": QUESTIONS[i % len(QUESTIONS)]}
        started = time.perf_counter()
        response = await client.post(url, json=body, headers=headers)
        timings.append(time.perf_counter() - started)
        response.raise_for_status()
        answer = response.json()
        if isinstance(answer, dict):  # the gateway's answer (Rasa's is a list)
            headers = {"Authorization": f"Bearer {answer['customer_token']}"}
    return timings


async def load(url: str, customers: int, turns: int) -> list[float]:
    limits = httpx.Limits(max_connections=customers, max_keepalive_connections=customers)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        runs = await asyncio.gather(
            *(
                customer(client, url, f"bench-{uuid.uuid4().hex[:8]}", turns)
                for _ in range(customers)
            )
        )
    return [t for run in runs for t in run]


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


async def measure(rasa_url: str, gateway_url: str, customers: int, turns: int, rounds: int) -> None:
    direct: list[float] = []
    through: list[float] = []
    await load(f"{rasa_url}/webhooks/rest/webhook", 2, 2)  # warm both paths up
    await load(f"{gateway_url}/api/web/messages", 2, 2)
    for r in range(rounds):
        order = [
            ("direct", f"{rasa_url}/webhooks/rest/webhook"),
            ("gateway", f"{gateway_url}/api/web/messages"),
        ]
        for name, url in order if r % 2 == 0 else reversed(order):
            (direct if name == "direct" else through).extend(await load(url, customers, turns))
    for name, values in (("direct_rasa", direct), ("gateway", through)):
        print(f"{name}.requests: {len(values)}")
        print(f"{name}.p50_ms: {1000 * percentile(values, 50):.1f}")
        print(f"{name}.p95_ms: {1000 * percentile(values, 95):.1f}")
    print(f"gateway_over_direct.p50_ratio: {percentile(through, 50) / percentile(direct, 50):.3f}")
    print(f"gateway_over_direct.p95_ratio: {percentile(through, 95) / percentile(direct, 95):.3f}")


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with throwaway_database(args.database, Path(tmp)) as url:
            with full_stack(args.model, Path(tmp), url) as (stack, gateway):
                print(f"database: {args.database}")
                print(f"customers: {args.customers}")
                print(f"turns_per_customer: {args.turns}")
                await measure(stack.rasa_url, gateway.url, args.customers, args.turns, args.rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--customers", type=int, default=10)
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database", choices=KINDS, default="sqlite")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
