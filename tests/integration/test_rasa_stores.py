"""Rasa with its conversations in PostgreSQL (Rasa's SQL tracker store, the machine's server) and
its per-conversation lock in Redis, as several Rasa servers run: a restarted Rasa carries on the
dialogue where it was."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx

from tests.databases import throwaway_database
from tests.integration.stack import running_stack

REDIS = "redis://127.0.0.1:6379/7"


def test_a_restarted_rasa_keeps_the_conversation_in_postgresql(model: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    database = throwaway_database("postgresql", tmp_path)
    url = loop.run_until_complete(database.__aenter__()).replace("+asyncpg", "")
    sender = f"store-{uuid.uuid4().hex[:8]}"
    try:
        # no gateway here: the action server's calls to it fail, the assistant still answers
        with running_stack(model, tmp_path / "one", "http://127.0.0.1:9", url, REDIS) as stack:
            said = httpx.post(
                f"{stack.rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": "How long does shipping take?"},
                timeout=60,
            )
            assert said.status_code == 200 and said.json(), said.text
        with running_stack(model, tmp_path / "two", "http://127.0.0.1:9", url, REDIS) as stack:
            tracker = httpx.get(
                f"{stack.rasa_url}/conversations/{sender}/tracker",
                params={"token": stack.rasa_token},
                timeout=30,
            ).json()
        texts = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
        assert texts == ["How long does shipping take?"]
        assert any(e["event"] == "bot" for e in tracker["events"])
    finally:
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()
