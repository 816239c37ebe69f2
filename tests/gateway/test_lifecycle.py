"""The case lifecycle through the console's API and the customer's channel: tickets as work,
conversations that end, surveys, the unhappy followed up, repeat complaints, VIP tiers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bot.desk import queue
from bot.models import Role, Survey, SurveyStatus, Ticket
from tests.fakes.rasa import echo
from tests.gateway.conftest import Gateway
from tests.gateway.test_desk import escalated_chat


def soon(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def calm_complaint(gateway: Gateway, sender: str, **fields: Any) -> int:
    """A customer whose complaint the assistant filed as a ticket and kept (no hand-off)."""

    async def action_server(uid: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        ticket = await gateway.open_ticket(
            uid,
            severity="medium",
            category="product_quality",
            subject="Product quality: saucepan lid arrived dented",
            description="customer: The lid of the saucepan arrived with a dent",
            due_at=soon(24),
            first_response_due_at=soon(2),
            **fields,
        )
        return [{"text": f"I've opened case #{ticket['number']} for you."}]

    gateway.rasa.script = action_server
    answer = await gateway.say(sender, "The lid of the saucepan arrived with a dent, a new one?")
    gateway.rasa.script = echo
    assert answer["conversation"]["status"] == "bot"
    number: int = answer["conversation"]["ticket"]["number"]
    return number


async def signed_in(
    gateway: Gateway, email: str, name: str, role: Role = Role.AGENT
) -> httpx.AsyncClient:
    await gateway.add_agent(email, name, role)
    return await gateway.console(email)


async def resolved_chat(gateway: Gateway, sender: str, agent: httpx.AsyncClient) -> int:
    chat = await escalated_chat(gateway, sender)
    assert (await agent.post(f"/api/console/conversations/{chat}/claim")).status_code == 200
    await agent.post(f"/api/console/conversations/{chat}/messages", json={"text": "Sorry!"})
    done = await agent.post(
        f"/api/console/conversations/{chat}/resolve",
        json={"solution": "a new kettle is on its way"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "bot"  # the chat is the assistant's again
    return chat


async def test_a_calm_complaint_is_a_ticket_an_agent_works_to_the_end(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    number = await calm_complaint(gateway, "w1")

    listed = (await anna.get("/api/console/tickets", params={"status": "active"})).json()
    assert [t["number"] for t in listed["items"]] == [number]
    row = listed["items"][0]
    assert (row["status"], row["sla_state"], row["assignee"]) == ("open", "ok", None)
    assert row["conversation_status"] == "bot"
    for q in (f"#{number}", "saucepan", "SAUCEPAN"):
        found = (await anna.get("/api/console/tickets", params={"q": q})).json()
        assert found["total"] == 1, q
    assert (await anna.get("/api/console/tickets", params={"q": "kettle"})).json()["total"] == 0
    mine = (await anna.get("/api/console/tickets", params={"assignee": "me"})).json()
    assert mine["total"] == 0
    bad = await anna.get("/api/console/tickets", params={"status": "lost"})
    assert bad.status_code == 422

    taken = (await anna.post(f"/api/console/tickets/{number}/take")).json()
    assert (taken["status"], taken["assignee"]["name"]) == ("pending", "Anna Li")
    told = gateway.web.texts("w1")[-1]
    assert told is not None and f"case #{number} is now with Anna" in told

    reply = await anna.post(
        f"/api/console/tickets/{number}/messages", json={"text": "Which size is the saucepan?"}
    )
    assert reply.status_code == 200, reply.text
    assert gateway.web.texts("w1")[-1] == "Which size is the saucepan?"
    # the customer's answer reaches the agent, not the assistant
    asked_before = len(gateway.rasa.texts())
    await gateway.say("w1", "It is the 20 cm one")
    assert len(gateway.rasa.texts()) == asked_before

    no_note = await anna.post(
        f"/api/console/tickets/{number}/status", json={"status": "waiting_customer"}
    )
    assert no_note.status_code == 422
    waiting = await anna.post(
        f"/api/console/tickets/{number}/status",
        json={"status": "waiting_customer", "note": "a photo of the dent"},
    )
    assert waiting.json()["sla_state"] == "paused"
    told = gateway.web.texts("w1")[-1]
    assert told is not None and "a photo of the dent" in told
    due_before = waiting.json()["due_at"]
    await gateway.say("w1", "Here it is (photo)")
    again = (await anna.get(f"/api/console/tickets/{number}")).json()
    assert again["status"] == "pending"  # the customer answered: the clock runs again
    assert again["due_at"] >= due_before

    late = await anna.post(f"/api/console/tickets/{number}/status", json={"status": "resolved"})
    assert late.status_code == 422  # the solution, in a sentence
    resolved = await anna.post(
        f"/api/console/tickets/{number}/status",
        json={"status": "resolved", "note": "a new lid is on its way"},
    )
    body = resolved.json()
    assert (body["status"], body["conversation_status"]) == ("resolved", "bot")
    assert body["allowed_status"] == ["open", "closed"]
    texts = gateway.web.texts("w1")
    assert texts[-2] == f"Case #{number} is resolved: a new lid is on its way"
    assert texts[-1] is not None and texts[-1].startswith("How happy are you")
    # after the resolve the customer's next question is the assistant's
    answer = await gateway.say("w1", "How long does shipping take?")
    assert answer["replies"][0]["text"] == "you said: How long does shipping take?"
    trail = [e["action"] for e in body["events"]]
    assert trail[:4] == ["created", "taken", "first_response", "status"]
    assert "resolved" not in trail or trail.count("status") >= 2


async def test_a_low_score_reopens_the_case_to_a_supervisor(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    wei = await signed_in(gateway, "wei@example.com", "Wei Zhang", Role.SUPERVISOR)
    await resolved_chat(gateway, "s1", anna)
    gateway.published()

    answer = await gateway.say("s1", "/survey:1")
    texts = [r["text"] for r in answer["replies"]]
    assert "Wei, one of our senior colleagues, will follow up" in texts[0]
    assert texts[1].startswith("What went wrong?")
    events = gateway.published()
    reopened = [e for e in events if e["type"] == "ticket_reopened"]
    wei_id = (await wei.get("/api/console/me")).json()["id"]
    assert reopened and reopened[0]["agent_id"] == wei_id

    mine = (await wei.get("/api/console/tickets", params={"assignee": "me"})).json()
    [row] = mine["items"]
    assert (row["status"], row["reopen_count"]) == ("open", 1)
    assert row["priority"] > 4  # critical (4), raised for the follow-up

    done = await gateway.say("s1", "The agent never told me when the kettle would come")
    assert [r["text"] for r in done["replies"]] == ["Thank you for your feedback!"]
    async with gateway.sessions() as session:
        survey = await session.get(Survey, 1)
        assert survey is not None
        assert (survey.csat, survey.status, survey.nps) == (1, SurveyStatus.ANSWERED, None)
        assert survey.comment is not None and "never told me" in survey.comment


async def test_typed_answers_complete_the_survey_and_close_the_case(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    await resolved_chat(gateway, "s2", anna)
    question = await gateway.say("s2", "How long does shipping take?")  # not an answer
    assert question["replies"][0]["text"] == "you said: How long does shipping take?"
    for typed, asked in (
        ("4 stars", "Was your problem solved?"),
        ("yes it was", "How likely are you to recommend us"),
        ("9", "Anything you'd like to add?"),
        ("no thanks", "Thank you for your feedback!"),
    ):
        answer = await gateway.say("s2", typed)
        assert answer["replies"][0]["text"].startswith(asked), typed
    async with gateway.sessions() as session:
        survey = await session.get(Survey, 1)
        assert survey is not None
        assert (survey.csat, survey.solved, survey.nps, survey.comment) == (4, True, 9, None)
        ticket = await session.get(Ticket, survey.ticket_id)
        assert ticket is not None and ticket.status.value == "closed"
    # the survey is over: a "5" now is the assistant's
    assert (await gateway.say("s2", "5"))["replies"][0]["text"] == "you said: 5"


async def test_status_moves_corrections_and_notes_are_checked_and_recorded(
    gateway: Gateway,
) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    number = await calm_complaint(gateway, "c1")
    base = f"/api/console/tickets/{number}"
    assert (await anna.post(f"{base}/correct", json={"severity": "severe"})).status_code == 422
    fixed = await anna.post(
        f"{base}/correct",
        json={"category": "logistics", "severity": "severe", "reason": "dented in transit"},
    )
    assert (fixed.json()["category"], fixed.json()["severity"]) == ("logistics", "severe")
    noted = await anna.post(f"{base}/notes", json={"text": "called the courier"})
    assert noted.json()["events"][-1]["data"]["text"] == "called the courier"
    # a ticket nobody has is anyone's to take, not to close
    assert (await anna.post(f"{base}/status", json={"status": "closed"})).status_code == 403
    assert (await anna.post(f"{base}/take")).status_code == 200
    closed = await anna.post(f"{base}/status", json={"status": "closed"})
    assert closed.json()["status"] == "closed"
    refused = await anna.post(f"{base}/status", json={"status": "pending"})
    assert refused.status_code == 409
    reopened = (await anna.post(f"{base}/status", json={"status": "open"})).json()
    assert (reopened["status"], reopened["reopen_count"]) == ("open", 1)
    corrected = next(e for e in reopened["events"] if e["action"] == "corrected")
    assert corrected["data"]["severity"] == {"from": "medium", "to": "severe"}
    assert corrected["data"]["reason"] == "dented in transit"


async def test_a_queued_customer_leaves_the_queue_and_the_ticket_stays(gateway: Gateway) -> None:
    await escalated_chat(gateway, "q1")
    answer = await gateway.say("q1", "I can't wait any longer, I'll leave it")
    assert answer["conversation"]["status"] == "bot"
    assert answer["conversation"]["ticket"]["status"] == "open"
    assert "You've left the queue" in answer["replies"][0]["text"]
    assert (await gateway.say("q1", "hello again"))["replies"][0]["text"] == "you said: hello again"


async def test_a_long_wait_is_offered_the_follow_up_once(gateway: Gateway) -> None:
    await escalated_chat(gateway, "q2")
    monitor = gateway.app.state.monitor
    later = datetime.now(UTC) + timedelta(minutes=20)
    await monitor.tick(later)
    await monitor.tick(later + timedelta(minutes=1))
    offers = [t for t in gateway.web.texts("q2") if t and t.startswith("Sorry for the wait")]
    assert len(offers) == 1
    stay = await gateway.say("q2", "/keep_waiting")
    assert stay["replies"][0]["text"] == "OK, you stay in line — you're number 1."
    assert stay["conversation"]["status"] == "queued"
    leave = await gateway.say("q2", "/leave_queue")
    assert leave["conversation"]["status"] == "bot"


async def test_idle_chats_close_and_free_the_agent(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    chat = await escalated_chat(gateway, "i1")
    await anna.post(f"/api/console/conversations/{chat}/claim")
    await gateway.say("b1", "What payment methods do you take?")  # the assistant alone
    anna_id = (await anna.get("/api/console/me")).json()["id"]
    await gateway.app.state.monitor.tick(datetime.now(UTC) + timedelta(minutes=31))

    async with gateway.sessions() as session:
        assert await queue.load(session, anna_id) == 0
    closed = gateway.web.texts("i1")[-1]
    assert closed is not None and "This chat has closed" in closed
    assert gateway.web.texts("b1")[-1] == "Did that help?"
    no = await gateway.say("b1", "not really")
    assert no["replies"][0]["buttons"][0]["payload"] == "/contact_human_agent"
    # a new message after the close starts a new conversation: the next case, a new number
    again = await gateway.say("i1", "hello")
    assert again["conversation"]["id"] != chat and again["conversation"]["ticket"] is None


async def test_a_new_complaint_soon_after_a_closed_one_is_a_repeat(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    first = await calm_complaint(gateway, "r1")
    await anna.post(f"/api/console/tickets/{first}/take")
    await anna.post(f"/api/console/tickets/{first}/status", json={"status": "closed"})
    second = await calm_complaint(gateway, "r1")
    assert second != first
    row = (await anna.get(f"/api/console/tickets/{second}")).json()
    assert row["repeat_of"] == first


async def test_only_a_supervisor_marks_a_vip_and_the_vip_lane_works(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    wei = await signed_in(gateway, "wei@example.com", "Wei Zhang", Role.SUPERVISOR)
    await escalated_chat(gateway, "v1")
    await escalated_chat(gateway, "v2")
    customer = (await anna.get("/api/console/queue")).json()[1]
    tickets = (await anna.get("/api/console/tickets")).json()["items"]
    customer_id = next(
        t["customer"]["id"] for t in tickets if t["conversation_id"] == customer["id"]
    )
    refused = await anna.put(f"/api/console/customers/{customer_id}/tier", json={"tier": "vip"})
    assert refused.status_code == 403
    done = await wei.put(f"/api/console/customers/{customer_id}/tier", json={"tier": "vip"})
    assert done.json()["tier"] == "vip"
    first = (await anna.get("/api/console/queue")).json()[0]
    assert first["id"] == customer["id"]  # the VIP lane comes first
