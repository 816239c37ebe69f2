"""How fast the people on each side see each other.

    make bench-notifications      (or: python -m bench.notifications --model models/<m>.tar.gz)

(a) an escalating customer message → the agent console's "escalated" notification (WebSocket);
(b) an agent's reply → the customer's widget (WebSocket). Real stack, real sockets; prints
p50/p95 of each in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import websockets

from tests.integration.stack import LiveServer, create_agent, full_stack

ANGRY = [
    "This is OUTRAGEOUS!! The charger you sold me caught fire. I want a person NOW",
    "气死我了！！充电宝冒烟了，我要找人工！",
]
PASSWORD = "bench-password-123"


def percentiles(name: str, values: list[float]) -> None:
    q = statistics.quantiles(values, n=100, method="inclusive")
    print(f"{name}.samples: {len(values)}")
    print(f"{name}.p50_ms: {1000 * q[49]:.1f}")
    print(f"{name}.p95_ms: {1000 * q[94]:.1f}")


async def escalation_to_console(
    gateway: LiveServer, client: httpx.AsyncClient, cookie: str, rounds: int
) -> tuple[list[float], list[tuple[str, int, str]]]:
    url = gateway.url.replace("http", "ws") + "/ws/console"
    timings, chats = [], []
    async with websockets.connect(url, additional_headers={"Cookie": cookie}) as console:
        await console.recv()  # hello
        for i in range(rounds):
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            started = time.perf_counter()
            post = asyncio.create_task(
                client.post("/api/web/messages", json={"sender": sender, "message": ANGRY[i % 2]})
            )
            while True:
                event = json.loads(await asyncio.wait_for(console.recv(), timeout=60))
                if event["type"] == "escalated":
                    timings.append(time.perf_counter() - started)
                    break
            response = (await post).json()
            chats.append((sender, response["conversation"]["id"], response["customer_token"]))
    return timings, chats


async def reply_to_widget(
    gateway: LiveServer, agent: httpx.AsyncClient, chats: list[tuple[str, int, str]]
) -> list[float]:
    timings = []
    for sender, conversation_id, token in chats:
        (await agent.post(f"/api/console/conversations/{conversation_id}/claim")).raise_for_status()
        url = gateway.url.replace("http", "ws") + f"/ws/web?sender={sender}&token={token}"
        async with websockets.connect(url) as widget:
            await widget.recv()  # history
            text = f"Hello, I'm here to help ({uuid.uuid4().hex[:6]})"
            started = time.perf_counter()
            path = f"/api/console/conversations/{conversation_id}/messages"
            sent = asyncio.create_task(agent.post(path, json={"text": text}))
            while True:
                event = json.loads(await asyncio.wait_for(widget.recv(), timeout=30))
                if event.get("type") == "bot_uttered" and event.get("text") == text:
                    timings.append(time.perf_counter() - started)
                    break
            (await sent).raise_for_status()
        await agent.post(f"/api/console/conversations/{conversation_id}/handback")
    return timings


async def measure(gateway: LiveServer, rounds: int) -> None:
    email = f"bench-{uuid.uuid4().hex[:6]}@lumenhome.example"
    create_agent(gateway, email, PASSWORD, name="Bench Agent")
    async with (
        httpx.AsyncClient(base_url=gateway.url, timeout=60) as client,
        httpx.AsyncClient(base_url=gateway.url, timeout=60) as agent,
    ):
        login = await agent.post("/api/console/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        agent.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        cookie = "; ".join(f"{k}={v}" for k, v in agent.cookies.items())
        escalations, chats = await escalation_to_console(gateway, client, cookie, rounds)
        replies = await reply_to_widget(gateway, agent, chats)
    percentiles("escalation_to_console_notification", escalations)
    percentiles("agent_reply_to_widget", replies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'notifications.db'}"
        with full_stack(args.model, Path(tmp), url) as (_, gateway):
            asyncio.run(measure(gateway, args.rounds))


if __name__ == "__main__":
    main()
