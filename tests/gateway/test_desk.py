"""The desk through the console's API: claims and their conflicts, replies and notes,
transfer, hand-back, resolve — and the ticket's audit trail of all of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.desk.permissions import NOT_YOUR_CHAT
from bot.models import Role
from tests.fakes.rasa import echo
from tests.gateway.conftest import Gateway

ANGRY = "My kettle gave my son an electric shock. I want a manager"


async def escalated_chat(gateway: Gateway, sender: str) -> int:
    """A customer whose chat the action server handed to people, with a ticket."""
    await gateway.say(sender, "hello")

    async def action_server(uid: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        await gateway.open_ticket(uid)
        await gateway.hand_off(uid)
        return [{"text": "A colleague takes over."}]

    gateway.rasa.script = action_server
    answer = await gateway.say(sender, ANGRY)
    gateway.rasa.script = echo
    assert answer["conversation"]["status"] == "queued"
    conversation_id: int = answer["conversation"]["id"]
    return conversation_id


@pytest.fixture
async def anna(gateway: Gateway) -> AsyncIterator[httpx.AsyncClient]:
    """Anna Li, an agent, signed in to the console."""
    await gateway.add_agent("anna@example.com", "Anna Li")
    console = await gateway.console("anna@example.com")
    yield console
    await console.aclose()


async def test_the_console_needs_a_signed_in_agent(gateway: Gateway) -> None:
    assert (await gateway.http.get("/api/console/queue")).status_code == 401
    wrong = await gateway.http.post(
        "/api/console/login", json={"email": "nobody@example.com", "password": "no"}
    )
    assert wrong.status_code == 401


async def test_claim_conflicts_and_what_is_not_waiting(gateway: Gateway) -> None:
    await gateway.add_agent("anna@example.com", "Anna Li")
    await gateway.add_agent("bo@example.com", "Bo Wu")
    anna = await gateway.console("anna@example.com")
    bo = await gateway.console("bo@example.com")
    chat = await escalated_chat(gateway, "d1")

    claimed = await anna.post(f"/api/console/conversations/{chat}/claim")
    assert claimed.status_code == 200 and claimed.json()["status"] == "assigned"
    again = await anna.post(f"/api/console/conversations/{chat}/claim")
    assert again.status_code == 200  # one's own chat: no conflict
    taken = await bo.post(f"/api/console/conversations/{chat}/claim")
    assert taken.status_code == 409
    assert taken.json() == {"detail": "another agent already has this chat"}
    reply = await bo.post(f"/api/console/conversations/{chat}/messages", json={"text": "hi"})
    assert reply.status_code == 403 and reply.json()["detail"] == NOT_YOUR_CHAT

    await gateway.say("d2", "hello")
    bot_chat = (await gateway.say("d2", "and another thing"))["conversation"]["id"]
    not_waiting = await bo.post(f"/api/console/conversations/{bot_chat}/claim")
    assert not_waiting.status_code == 409
    missing = await bo.post("/api/console/conversations/99999/claim")
    assert missing.status_code == 404 and missing.json() == {"detail": "no such conversation"}
    empty = await anna.post(f"/api/console/conversations/{chat}/messages", json={"text": " "})
    assert empty.status_code == 422
    presence = await anna.put("/api/console/me/presence", json={"presence": "asleep"})
    assert presence.status_code == 422
    await anna.aclose()
    await bo.aclose()


async def test_the_ticket_keeps_the_trail_of_the_whole_chat(
    gateway: Gateway, anna: httpx.AsyncClient
) -> None:
    await gateway.add_agent("wei@example.com", "Wei Zhang", role=Role.SUPERVISOR)
    wei = await gateway.console("wei@example.com")  # online, with room for the transfer
    chat = await escalated_chat(gateway, "d3")
    url = f"/api/console/conversations/{chat}"

    claimed = (await anna.post(f"{url}/claim")).json()
    analysed = next(m for m in claimed["messages"] if m["author"] == "customer")
    assert analysed["analysis"]["intent"] == "complaint"
    assert analysed["analysis"]["emotion"] == "anger"
    note = (await anna.post(f"{url}/messages", json={"text": "call back", "private": True})).json()
    assert note["private"] is True
    said = await anna.post(f"{url}/messages", json={"text": "I'm so sorry."})
    assert said.json()["author"] == "agent"
    await anna.post(f"{url}/messages", json={"text": "A refund is on its way."})
    moved = (await anna.post(f"{url}/transfer", json={"agent_id": None})).json()
    assert moved["status"] == "assigned"
    # the chat is Wei's now: Anna may no longer hand it back; Wei, who has it, does
    assert (await anna.post(f"{url}/handback")).status_code == 403
    back = (await wei.post(f"{url}/handback")).json()
    assert back["status"] == "bot"
    # the case stayed Anna's (she claimed the chat): she resolves it
    resolved = await anna.post(f"{url}/resolve", json={"solution": "refund issued"})
    body = resolved.json()

    assert body["ticket"]["status"] == "resolved" and body["ticket"]["solution"] == "refund issued"
    assert body["ticket"]["first_response_at"] is not None
    trail = [(e["actor"].split(":")[0], e["action"]) for e in body["ticket_events"]]
    assert trail == [
        ("bot", "created"),
        ("bot", "queued"),
        ("agent", "assigned"),
        ("agent", "note"),
        ("agent", "first_response"),
        ("agent", "transferred"),
        ("agent", "handed_back"),
        ("agent", "resolved"),
    ]
    assert body["ticket_events"][5]["data"]["to"] == "Wei Zhang"
    # the customer saw who joined, the agent's words, the transfer, the assistant's return and
    # the solution with the survey's first question; never the note
    assert gateway.web.texts("d3") == [
        "Anna Li from our team has joined the chat.",
        "I'm so sorry.",
        "A refund is on its way.",
        "You're now chatting with Wei Zhang.",
        "You're back with the shop's assistant. Is there anything else I can help with?",
        "Case #1 is resolved: refund issued",
        "How happy are you with how we handled case #1? Tap 1 (not at all) to 5 (very).",
    ]
    assert [view.status for _, view in gateway.web.changes] == ["assigned", "bot", "bot"]
    # the assistant resumes with a clean dialogue state
    uid = await gateway.uid("d3")
    assert gateway.rasa.appended[uid][-1] == {"event": "action", "name": "action_listen"}
    history = await gateway.history("d3")
    assert "call back" not in [m["text"] for m in history["messages"]]


async def test_hand_back_waits_for_the_assistant(gateway: Gateway, anna: httpx.AsyncClient) -> None:
    chat = await escalated_chat(gateway, "d4")
    await anna.post(f"/api/console/conversations/{chat}/claim")
    gateway.rasa.down = True

    refused = await anna.post(f"/api/console/conversations/{chat}/handback")
    assert refused.status_code == 503
    after = (await anna.get(f"/api/console/conversations/{chat}")).json()
    assert after["status"] == "assigned"  # nothing changed
    assert "analysis" not in after["messages"][0]  # the transcript, without the analysis


async def test_the_queue_lists_waiting_chats_before_held_ones(
    gateway: Gateway, anna: httpx.AsyncClient
) -> None:
    held = await escalated_chat(gateway, "d5")
    await anna.post(f"/api/console/conversations/{held}/claim")
    waiting = await escalated_chat(gateway, "d6")

    listed = (await anna.get("/api/console/queue")).json()
    assert [(c["id"], c["status"]) for c in listed] == [(waiting, "queued"), (held, "assigned")]
    assert listed[0]["customer"]["name"].startswith("web customer")
    assert listed[0]["last_message"] == ANGRY
    agents = (await anna.get("/api/console/agents")).json()
    assert [a["presence"] for a in agents] == ["online"]


async def test_resolving_needs_a_ticket(gateway: Gateway, anna: httpx.AsyncClient) -> None:
    plain = (await gateway.say("d7", "hello"))["conversation"]["id"]
    response = await anna.post(f"/api/console/conversations/{plain}/resolve", json={})
    assert response.status_code == 404
    assert response.json() == {"detail": "this conversation has no ticket"}
