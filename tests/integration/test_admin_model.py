"""The admin pages with the real Rasa: a new question added on the page (checked by Rasa's
validator), trained, activated while customers keep writing — every message answered once,
none lost —, answered by the assistant; rolled back, it is no longer."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.databases import throwaway_database
from tests.integration.clients import console_login
from tests.integration.stack import create_agent, full_stack
from tests.integration.swap import (
    Stream,
    answer_to,
    customer_messages,
    rasa_turns,
    uid_of,
    wait_for_run,
)
from tests.project import trainable_project

ADMIN, PASSWORD = "admin@example.com", "admin password 123"
QUESTION = "do you gift wrap presents?"
ANSWER = "Yes, we gift wrap"
FAQ = {
    "name": "gift_wrapping",
    "title": {"en": "Gift wrapping", "zh": "礼品包装"},
    "examples": {
        "en": [
            "do you gift wrap presents?",
            "can you wrap my order as a gift",
            "is gift wrapping available",
            "I'd like it gift wrapped please",
            "do you offer gift wrap",
            "gift wrapping?",
        ],
        "zh": ["可以礼品包装吗", "能帮我包成礼物吗", "有礼品包装服务吗", "送人的，可以包装一下吗"],
    },
    "response": {
        "en": [f"{ANSWER}: tick “gift wrap” at checkout and add a card message."],
        "zh": ["可以礼品包装：结账时勾选“礼品包装”，还可以附上贺卡留言。"],
    },
}


def test_a_new_question_is_trained_activated_without_a_lost_message_and_rolled_back(
    model: str, tmp_path: Path
) -> None:
    project = trainable_project(tmp_path / "project")
    loop = asyncio.new_event_loop()
    database = throwaway_database("sqlite", tmp_path)
    url = loop.run_until_complete(database.__aenter__())
    try:
        with full_stack(
            model,
            tmp_path / "stack",
            url,
            project_dir=project,
            training_fast=True,
            retry_interval_seconds=0.5,
        ) as (stack, gateway):
            create_agent(gateway, ADMIN, PASSWORD, name="Ada", role="admin")
            admin = console_login(gateway.url, ADMIN, PASSWORD)
            assert ANSWER not in answer_to(gateway, "before", QUESTION)
            baseline = admin.get("/api/console/admin/training").json()["active"]
            assert baseline is not None and baseline["model"] == Path(model).name

            added = admin.post("/api/console/admin/intents", json=FAQ)
            assert added.status_code == 200, added.text
            started = admin.post("/api/console/admin/training")
            assert started.status_code == 202, started.text
            assert admin.post("/api/console/admin/training").status_code == 409  # one at a time
            run = wait_for_run(admin, started.json()["id"], 900)
            assert run["status"] == "ready", run.get("error") or run["log"][-20:]
            assert {"preparing", "understanding", "packing"} <= run["seen"]
            assert run["log"], "the run's log is shown"

            with Stream(gateway, customers=4) as stream:
                time.sleep(2)
                activated = admin.post(f"/api/console/admin/training/{run['id']}/activate")
                time.sleep(2)
            assert activated.status_code == 200, activated.text
            assert activated.json()["status"] == "active"
            assert stream.failed == []
            assert min(stream.sent.values()) >= 2
            stored, handled = customer_messages(gateway)
            assert stored == handled, "every stored customer message was answered"
            for sender in stream.senders:  # Rasa read each message once: none twice, none lost
                assert (
                    rasa_turns(stack.rasa_url, stack.rasa_token, uid_of(gateway, sender))
                    == (stream.sent[sender])
                )
            assert ANSWER in answer_to(gateway, "after", QUESTION)

            rolled = admin.post(f"/api/console/admin/training/{baseline['id']}/activate")
            assert rolled.status_code == 200, rolled.text
            assert ANSWER not in answer_to(gateway, "rolled-back", QUESTION)
            overview = admin.get("/api/console/admin/training").json()
            assert overview["active"]["id"] == baseline["id"]
            assert {r["status"] for r in overview["runs"]} == {"active", "retired"}
    finally:
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()
