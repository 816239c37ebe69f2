"""The internal API the action server calls, through the action server's own client: one wire
format (`bot/wire/internal_api.py`) on both sides, the service token, and only the customer's own
tickets."""

from __future__ import annotations

from typing import Any, get_type_hints

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from actions.gateway import Gateway as ActionsClient
from actions.gateway import TicketNotFound
from actions.settings import ActionSettings
from bot.desk import calendar
from bot.models import Conversation, ConversationStatus
from bot.wire.internal_api import HandoffInfo, TicketInfo, TicketRequest
from tests.gateway.conftest import SERVICE_TOKEN, Gateway


def client_for(gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> ActionsClient:
    """The action server's client, talking to the in-process gateway."""
    settings = ActionSettings(service_token=SecretStr(SERVICE_TOKEN), gateway_url="http://gw")
    client = ActionsClient(settings)

    def in_process() -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway.app.state.internal_app),
            base_url="http://gw",
            headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
        )

    monkeypatch.setattr(client, "_client", in_process)
    return client


def request_for(uid: str, **changes: Any) -> TicketRequest:
    request: TicketRequest = {
        "sender_id": uid,
        "category": "logistics",
        "severity": "medium",
        "subject": "Delivery: parcel late",
        "description": "customer: where is my parcel",
        "reasons": ["complaint"],
        "language": "en",
        "first_response_due_at": "2026-12-01T11:00:00+00:00",
        "due_at": "2026-12-02T10:00:00+00:00",
        "analysis": {"emotion": "frustration"},
    }
    return {**request, **changes}  # type: ignore[typeddict-item]


async def test_tickets_through_the_action_servers_client(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    await gateway.say("i1", "where is my parcel")
    uid = await gateway.uid("i1")
    actions = client_for(gateway, monkeypatch)

    first = await actions.open_ticket(request_for(uid))
    second = await actions.open_ticket(request_for(uid, severity="severe"))

    assert set(get_type_hints(TicketInfo)) <= set(first)
    assert first["status"] == "open" and first["due_at"] == "2026-12-02T10:00:00+00:00"
    assert (await actions.ticket(first["number"], uid))["number"] == first["number"]
    assert [t["number"] for t in await actions.tickets(uid)] == [second["number"], first["number"]]
    view = (await gateway.say("i1", "thanks"))["conversation"]["ticket"]
    assert view == {
        "number": second["number"],
        "category": "logistics",
        "severity": "severe",
        "status": "open",
    }

    await gateway.say("i2", "hello")
    stranger = await gateway.uid("i2")
    with pytest.raises(TicketNotFound):  # another customer's ticket is no ticket of theirs
        await actions.ticket(first["number"], stranger)


async def test_a_hand_off_answers_in_the_shared_shape(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    await gateway.say("i3", "hello")
    uid = await gateway.uid("i3")
    info = await client_for(gateway, monkeypatch).hand_off(
        {
            "sender_id": uid,
            "ticket_number": None,
            "reasons": [],
            "severity": "light",
            "language": "zh",
        }
    )
    assert set(info) == set(get_type_hints(HandoffInfo))
    async with gateway.sessions() as session:
        conversations = await session.scalars(select(Conversation))
        [conversation] = [c for c in conversations if c.customer.uid == uid]
        assert conversation.status == ConversationStatus.BOT  # recorded, applied with an answer
        assert conversation.pending_handoff == {"severity": "light", "reasons": []}


async def test_the_internal_api_wants_the_service_token_and_valid_requests(
    gateway: Gateway,
) -> None:
    await gateway.say("i4", "hello")
    uid = await gateway.uid("i4")
    body = dict(request_for(uid))
    post = gateway.internal.post

    assert (await post("/internal/tickets", json=body)).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert (await post("/internal/tickets", json=body, headers=wrong)).status_code == 401
    headers = gateway.internal_headers
    unknown = await post("/internal/tickets", json={**body, "sender_id": "x"}, headers=headers)
    assert unknown.status_code == 404 and unknown.json() == {"detail": "unknown customer"}
    for bad in ({"severity": "apocalyptic"}, {"category": "c" * 41}, {"due_at": "tomorrow"}):
        response = await post("/internal/tickets", json={**body, **bad}, headers=headers)
        assert response.status_code == 422, bad
    missing = {k: v for k, v in body.items() if k != "subject"}
    assert (await post("/internal/tickets", json=missing, headers=headers)).status_code == 422
    minimal = {k: body[k] for k in ("sender_id", "category", "severity", "subject", "description")}
    created = await post("/internal/tickets", json=minimal, headers=headers)
    assert created.status_code == 201 and created.json()["due_at"] is None
    handoff = {"sender_id": uid, "severity": "grave"}
    assert (await post("/internal/handoffs", json=handoff, headers=headers)).status_code == 422
    get = await gateway.internal.get(
        "/internal/tickets/999999", params={"sender_id": uid}, headers=headers
    )
    assert get.status_code == 404 and get.json() == {"detail": "no such ticket"}


async def test_presence_says_who_is_at_work_and_when_an_answer_can_be_promised(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime

    actions = client_for(gateway, monkeypatch)
    info = await actions.presence("zh", 24)
    assert info["agents_online"] == 0
    due = datetime.fromisoformat(info["due_at"])
    assert due.tzinfo is not None
    # nobody is promised an answer outside opening hours
    assert calendar.next_opening(due, gateway.app.state.settings) == due
