"""The gateway end to end: HTTP API → store → real Rasa → real actions → gateway internal API."""

from __future__ import annotations

import re
import socket
import uuid
from typing import Any

import httpx
import pytest

from tests.integration.clients import web_history, web_send
from tests.integration.stack import LiveServer, Stack

CJK = re.compile(r"[\u4e00-\u9fff]")


def send(gateway: LiveServer, sender: str, message: str) -> dict[str, Any]:
    response = web_send(gateway.url, sender, message)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def texts(data: dict[str, Any]) -> str:
    return " ".join(r.get("text") or "" for r in data["replies"])


def history(gateway: LiveServer, sender: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = web_history(gateway.url, sender)["messages"]
    return messages


def customer() -> str:
    return f"web-{uuid.uuid4().hex[:10]}"


def test_routine_answers_in_both_languages(gateway: LiveServer) -> None:
    sender = customer()
    english = send(gateway, sender, "How long does shipping take?")
    assert "2–4" in texts(english) and not CJK.search(texts(english))
    chinese = send(gateway, sender, "快递几天到？")
    assert "2–4" in texts(chinese) and CJK.search(texts(chinese))
    assert english["conversation"]["id"] == chinese["conversation"]["id"]
    assert chinese["conversation"] == {
        "id": english["conversation"]["id"],
        "status": "bot",
        "ticket": None,
    }


def test_a_calm_complaint_opens_a_ticket_and_keeps_the_chat(gateway: LiveServer) -> None:
    sender = customer()
    data = send(gateway, sender, "The blender I received has a cracked jug and it leaks everywhere")
    # one message: the LERA reply ends with the case number
    [reply] = (r["text"] for r in data["replies"])
    assert "blender" in reply
    ticket = data["conversation"]["ticket"]
    assert ticket["category"] == "product_quality" and ticket["severity"] == "light"
    assert f"#{ticket['number']}" in reply
    assert data["conversation"]["status"] == "bot"


def test_an_angry_customer_is_queued_and_the_bot_falls_silent(gateway: LiveServer) -> None:
    sender = customer()
    data = send(gateway, sender, "气死我了！充电宝用了两天就冒烟了，再不处理我就去12315投诉！")
    assert data["conversation"]["status"] == "queued"
    assert data["conversation"]["ticket"]["severity"] == "critical"
    assert "充电宝" in data["replies"][0]["text"]
    assert f"#{data['conversation']['ticket']['number']}" in texts(data)
    quiet = send(gateway, sender, "还要等多久？")
    # the bot is silent; the customer is told once that the message is on the case
    assert quiet["conversation"]["status"] == "queued"
    [note] = quiet["replies"]
    assert (
        note["author"] == "system"
        and f"#{data['conversation']['ticket']['number']}" in note["text"]
    )
    assert send(gateway, sender, "在吗")["replies"] == []
    assert history(gateway, sender)[-1]["text"] == "在吗"  # stored for the agent


def test_a_button_payload_continues_the_conversation(gateway: LiveServer) -> None:
    data = send(gateway, customer(), "/check_payment_methods")
    assert "Alipay" in texts(data)


def test_ticket_status_only_for_the_customers_own_ticket(gateway: LiveServer) -> None:
    owner, other = customer(), customer()
    opened = send(gateway, owner, "the towels I ordered arrived torn and faded after one wash")
    number = opened["conversation"]["ticket"]["number"]
    mine = send(gateway, owner, f"what about my complaint #{number}?")
    assert f"#{number}" in texts(mine) and "open" in texts(mine)
    theirs = send(gateway, other, f"what about my complaint #{number}?")
    assert "can't find" in texts(theirs) or "no case" in texts(theirs)


def test_history_keeps_every_message_in_order(gateway: LiveServer) -> None:
    sender = customer()
    send(gateway, sender, "hello")
    send(gateway, sender, "what payment methods do you accept?")
    authors = [m["author"] for m in history(gateway, sender)]
    assert authors[0] == "customer" and authors.count("customer") == 2
    assert authors.index("bot") > 0


@pytest.mark.parametrize("message", ["", "   "])
def test_an_empty_message_is_a_clear_error(gateway: LiveServer, message: str) -> None:
    response = httpx.post(
        f"{gateway.url}/api/web/messages", json={"sender": customer(), "message": message}
    )
    assert response.status_code == 422
    assert "empty" in response.text


def test_a_too_long_message_is_kept_and_answered_honestly(gateway: LiveServer) -> None:
    sender = customer()
    data = send(gateway, sender, "my kettle " * 500)
    assert data["replies"][0]["author"] == "system" and "4000" in data["replies"][0]["text"]
    assert history(gateway, sender)[0]["text"].startswith("my kettle my kettle")


def test_a_malformed_request_is_rejected_before_storing(gateway: LiveServer) -> None:
    response = httpx.post(
        f"{gateway.url}/api/web/messages", json={"sender": "bad sender!", "message": "hi"}
    )
    assert response.status_code == 422


def test_the_openapi_docs_describe_the_web_endpoint(gateway: LiveServer) -> None:
    spec = httpx.get(f"{gateway.url}/openapi.json").json()
    assert "/api/web/messages" in spec["paths"]
    assert "/internal/tickets" not in spec["paths"]


def test_the_internal_api_is_not_on_the_public_port_and_needs_the_service_token(
    gateway: LiveServer,
) -> None:
    public = httpx.get(f"{gateway.url}/internal/tickets", params={"sender_id": "x"})
    assert public.status_code == 404
    internal = f"http://127.0.0.1:{gateway.app.state.settings.internal_port}"
    response = httpx.get(f"{internal}/internal/tickets", params={"sender_id": "x"})
    assert response.status_code == 401


def non_loopback_address() -> str:
    """This machine's address on its network (what another machine would connect to)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # no packet is sent; the route picks the address
        address: str = probe.getsockname()[0]
    assert not address.startswith("127."), "this machine has no non-loopback address"
    return address


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def test_rasa_the_action_server_and_the_internal_api_listen_on_loopback_only(
    gateway: LiveServer, stack: Stack
) -> None:
    outside = non_loopback_address()
    ports = {
        "Rasa": int(stack.rasa_url.rsplit(":", 1)[1]),
        "action server": int(stack.actions_url.rsplit(":", 1)[1]),
        "internal API": gateway.app.state.settings.internal_port,
    }
    for name, port in ports.items():
        assert answers("127.0.0.1", port), name
        assert not answers(outside, port), f"{name} answers on {outside}:{port}"
    # and Rasa's HTTP API wants its token
    assert httpx.get(f"{stack.rasa_url}/status", timeout=5).status_code == 401


def test_rasa_keeps_the_gateway_s_message_id_with_each_message(
    gateway: LiveServer, stack: Stack
) -> None:
    """What lets the gateway ask, after a timeout, whether Rasa handled a message already."""
    import asyncio

    from bot.queries import customer_on

    sender = f"ids-{uuid.uuid4().hex[:8]}"
    assert web_send(gateway.url, sender, "How long does shipping take?").status_code == 200
    [message] = [
        m for m in web_history(gateway.url, sender)["messages"] if m["author"] == "customer"
    ]

    async def uid() -> str:
        async with gateway.app.state.sessions() as session:
            customer = await customer_on(session, "web", sender)
            assert customer is not None
            return str(customer.uid)

    customer = asyncio.run_coroutine_threadsafe(uid(), gateway.loop).result(timeout=10)
    tracker = httpx.get(
        f"{stack.rasa_url}/conversations/{customer}/tracker",
        params={"token": stack.rasa_token},
        timeout=10,
    ).json()
    said = [e["metadata"].get("message_id") for e in tracker["events"] if e["event"] == "user"]
    assert said == [message["id"]]
