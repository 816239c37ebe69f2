"""Helpers for a model swap under load, shared by its test and its benchmark: customers who keep
writing, and what the gateway and Rasa recorded of them."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from bot.models import Author, Message
from bot.queries import customer_on
from tests.integration.clients import web_send
from tests.integration.stack import LiveServer


def wait_for_run(admin: httpx.Client, run_id: int, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    seen: set[str] = set()
    while time.monotonic() < deadline:
        run: dict[str, Any] = admin.get(f"/api/console/admin/training/{run_id}").json()
        seen |= {s["name"] for s in run["progress"].get("stages", []) if s["state"] != "waiting"}
        if run["status"] in ("ready", "failed"):
            run["seen"] = seen
            return run
        time.sleep(1)
    raise AssertionError(f"training run {run_id} did not finish in {seconds} s")


def answer_to(gateway: LiveServer, sender: str, question: str) -> str:
    response = web_send(gateway.url, sender, question)
    assert response.status_code == 200, response.text
    return " ".join(r.get("text") or "" for r in response.json()["replies"])


class Stream:
    """Customers writing all the while: each sends a message, waits for its answer, again."""

    def __init__(self, gateway: LiveServer, customers: int) -> None:
        self._gateway = gateway
        self.senders = [f"swap-{uuid.uuid4().hex[:8]}" for _ in range(customers)]
        self.sent: dict[str, int] = dict.fromkeys(self.senders, 0)
        self.failed: list[str] = []
        # each customer's slowest answer, in seconds
        self.slowest: dict[str, float] = dict.fromkeys(self.senders, 0.0)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._write, args=(s,)) for s in self.senders]

    def _write(self, sender: str) -> None:
        while not self._stop.is_set():
            started = time.perf_counter()
            response = web_send(self._gateway.url, sender, "How long does shipping take?", 120)
            self.slowest[sender] = max(self.slowest[sender], time.perf_counter() - started)
            self.sent[sender] += 1
            replies = response.json().get("replies", []) if response.status_code == 200 else []
            if response.status_code != 200 or not replies:
                self.failed.append(f"{response.status_code} {response.text[:200]}")

    def __enter__(self) -> Stream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=180)


def customer_messages(gateway: LiveServer) -> tuple[int, int]:
    """(customer messages stored, of them answered) in the gateway's database."""

    async def count() -> tuple[int, int]:
        async with gateway.app.state.sessions() as session:
            stored = await session.scalar(
                select(func.count()).select_from(Message).where(Message.author == Author.CUSTOMER)
            )
            handled = await session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.author == Author.CUSTOMER, Message.handled_at.is_not(None))
            )
            return int(stored or 0), int(handled or 0)

    return asyncio.run_coroutine_threadsafe(count(), gateway.loop).result(timeout=10)


def uid_of(gateway: LiveServer, sender: str) -> str:
    """The web sender's id at Rasa."""

    async def find() -> str:
        async with gateway.app.state.sessions() as session:
            customer = await customer_on(session, "web", sender)
            assert customer is not None
            return str(customer.uid)

    return asyncio.run_coroutine_threadsafe(find(), gateway.loop).result(timeout=10)


def rasa_turns(stack_url: str, token: str, uid: str) -> int:
    tracker = httpx.get(
        f"{stack_url}/conversations/{uid}/tracker", params={"token": token}, timeout=10
    ).json()
    return sum(1 for e in tracker["events"] if e["event"] == "user")
