"""Hand-off end to end over HTTP: an angry customer is queued, an agent signs in, claims,
replies, hands back, and the assistant answers the next question."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
import websockets

from tests.integration.clients import console_login, web_history, web_send
from tests.integration.stack import LiveServer, create_agent

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def agent_login(gateway: LiveServer) -> dict[str, str]:
    """An agent account on the live gateway's database."""
    email = f"agent-{uuid.uuid4().hex[:6]}@lumenhome.example"
    create_agent(gateway, email, PASSWORD)
    return {"email": email, "password": PASSWORD}


def console(gateway: LiveServer, login: dict[str, str]) -> httpx.Client:
    client = console_login(gateway.url, login["email"], login["password"])
    assert client.get("/api/console/me").json()["presence"] == "online"
    return client


def say(gateway: LiveServer, sender: str, text: str) -> dict[str, Any]:
    response = web_send(gateway.url, sender, text)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_console_needs_a_signed_in_agent(gateway: LiveServer) -> None:
    assert httpx.get(f"{gateway.url}/api/console/queue").status_code == 401
    bad = httpx.post(
        f"{gateway.url}/api/console/login", json={"email": "nobody@x", "password": "no"}
    )
    assert bad.status_code == 401


def test_escalation_claim_reply_hand_back(gateway: LiveServer, agent_login: dict[str, str]) -> None:
    agent = console(gateway, agent_login)
    sender = f"web-{uuid.uuid4().hex[:8]}"

    async def escalate_and_listen() -> dict[str, Any]:
        cookie = "; ".join(f"{k}={v}" for k, v in agent.cookies.items())
        url = gateway.url.replace("http", "ws") + "/ws/console"
        async with websockets.connect(url, additional_headers={"Cookie": cookie}) as socket:
            assert json.loads(await socket.recv())["type"] == "hello"
            loop = asyncio.get_running_loop()
            reply = loop.run_in_executor(
                None,
                say,
                gateway,
                sender,
                "This is OUTRAGEOUS!! My kettle gave my son an electric shock. I want a manager",
            )
            while True:
                event = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
                if event["type"] == "escalated":
                    await reply
                    return {"event": event, "reply": reply.result()}

    result = asyncio.run(escalate_and_listen())
    event, escalated = result["event"], result["reply"]
    conversation_id = escalated["conversation"]["id"]
    assert escalated["conversation"]["status"] == "queued"
    assert event["conversation"]["id"] == conversation_id
    assert "severe_complaint" in event["conversation"]["reasons"]
    assert escalated["replies"][-1]["text"]  # the customer is told what happens next

    queue = agent.get("/api/console/queue").json()
    ids = [c["id"] for c in queue]
    mine = queue[ids.index(conversation_id)]
    assert mine["status"] == "queued" and mine["ticket"]["severity"] == "critical"
    lower = [
        i
        for i, c in enumerate(queue)
        if c["status"] == "queued" and c["priority"] < mine["priority"]
    ]
    assert all(i > ids.index(conversation_id) for i in lower)  # critical chats are served first

    claimed = agent.post(f"/api/console/conversations/{conversation_id}/claim").json()
    assert claimed["status"] == "assigned"
    analysed = next(m for m in claimed["messages"] if m["author"] == "customer")
    assert analysed["analysis"]["intent"] == "complaint"
    assert analysed["analysis"]["emotion"] == "anger"

    agent.post(
        f"/api/console/conversations/{conversation_id}/messages",
        json={"text": "note: call the customer", "private": True},
    )
    agent.post(
        f"/api/console/conversations/{conversation_id}/messages",
        json={"text": "I'm so sorry. Please unplug the kettle; I'm arranging a refund now."},
    )
    history = web_history(gateway.url, sender)["messages"]
    texts = [m["text"] for m in history]
    assert "I'm so sorry. Please unplug the kettle; I'm arranging a refund now." in texts
    assert "note: call the customer" not in texts  # private notes stay private
    assert any(m["author"] == "system" and "Test Agent" in m["text"] for m in history)

    # while a person has the chat, the bot is silent
    assert say(gateway, sender, "ok thank you")["replies"] == []

    back = agent.post(f"/api/console/conversations/{conversation_id}/handback").json()
    assert back["status"] == "bot"
    answer = say(gateway, sender, "How long does shipping take?")
    assert "2–4" in " ".join(r.get("text") or "" for r in answer["replies"])
    assert answer["conversation"]["status"] == "bot"

    resolved = agent.post(
        f"/api/console/conversations/{conversation_id}/resolve", json={"solution": "refund issued"}
    ).json()
    assert resolved["ticket"]["status"] == "resolved"
    trail = [e["action"] for e in resolved["ticket_events"]]
    assert trail == [
        "created",
        "queued",
        "assigned",
        "note",
        "first_response",
        "handed_back",
        "resolved",
    ]
