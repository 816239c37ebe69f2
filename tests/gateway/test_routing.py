"""Routing: store first, then to the assistant or to the agents; Rasa away and back; the
action server's hand-off applied when the assistant's answer is back, not in the middle."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.contract import Inbound
from bot.desk import queue
from bot.locks import KeyedLocks
from bot.models import Conversation, ConversationStatus, Message
from tests.gateway.conftest import Gateway


async def unanswered(gateway: Gateway) -> int:
    """Customer messages nobody has answered or seen yet."""
    async with gateway.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.author == "customer", Message.handled_at.is_(None))
        )
    return int(count or 0)


async def test_a_message_is_stored_then_answered_by_the_assistant(gateway: Gateway) -> None:
    answer = await gateway.say("c1", "How long does shipping take?")

    assert answer["replies"] == [
        {
            "author": "bot",
            "text": "you said: How long does shipping take?",
            "buttons": [],
            "image": None,
        }
    ]
    assert answer["conversation"] == {
        "id": answer["conversation"]["id"],
        "status": "bot",
        "ticket": None,
    }
    [sent] = gateway.rasa.received
    assert sent["sender"] == await gateway.uid("c1")
    # the gateway's id of the stored message: Rasa's tracker keeps it with the user event
    history_ids = [m["id"] for m in (await gateway.history("c1"))["messages"]]
    assert sent["metadata"] == {
        "channel": "web",
        "language": "en",
        "tier": "standard",
        "customer_id": sent["sender"],
        "conversation_id": answer["conversation"]["id"],
        "display_name": None,
        "message_id": history_ids[0],
    }
    history = await gateway.history("c1")
    assert [(m["author"], m["text"]) for m in history["messages"]] == [
        ("customer", "How long does shipping take?"),
        ("bot", "you said: How long does shipping take?"),
    ]
    assert history["conversation"]["status"] == "bot"


async def test_buttons_and_language_reach_the_customer_and_rasa(gateway: Gateway) -> None:
    gateway.rasa.script = lambda sender, text, metadata: [
        {"text": "您好", "buttons": [{"title": "查订单", "payload": "/track_order"}]}
    ]
    answer = await gateway.say("c2", "快递几天到？")

    assert answer["replies"][0]["buttons"] == [{"title": "查订单", "payload": "/track_order"}]
    assert gateway.rasa.received[0]["metadata"]["language"] == "zh"


async def test_a_repeated_message_id_is_answered_once(gateway: Gateway) -> None:
    router = gateway.app.state.router
    inbound = Inbound(channel="web", external_id="c3", text="hello", message_id="c3:m1")
    first = await router.handle(inbound)
    again = await router.handle(inbound)

    assert gateway.rasa.texts() == ["hello"]
    assert not first.duplicate and again.duplicate
    assert again.replies == first.replies
    assert again.conversation == first.conversation


async def test_an_empty_message_is_refused_and_a_long_one_kept_for_people(
    gateway: Gateway,
) -> None:
    empty = await gateway.http.post("/api/web/messages", json={"sender": "c4", "message": "  "})
    assert empty.status_code == 422
    assert empty.json() == {"detail": "the message is empty"}

    long = await gateway.say("c4", "word " * 1000)
    [reply] = long["replies"]
    assert reply["author"] == "system" and "4000" in reply["text"]
    assert gateway.rasa.received == []


async def test_one_message_is_the_work_of_one_database_session(gateway: Gateway) -> None:
    router = gateway.app.state.router
    opened = 0
    make = router._sessions

    def counting() -> Any:
        nonlocal opened
        opened += 1
        return make()

    router._sessions = counting
    await gateway.say("c5", "hello")
    assert opened == 1


async def test_rasa_away_gets_a_holding_reply_and_the_answer_follows_in_order(
    gateway: Gateway,
) -> None:
    gateway.rasa.down = True
    first = await gateway.say("c6", "where is my parcel?")
    [holding] = first["replies"]
    assert holding["author"] == "system" and "One moment" in holding["text"]
    second = await gateway.say("c6", "hello?")
    assert second["replies"][0]["text"] == holding["text"]
    retry = gateway.app.state.retry
    assert await retry.once() == 0  # still away: nothing answered, nothing lost

    gateway.rasa.down = False
    third = await gateway.say("c6", "anyone there?")
    # the messages that waited are answered first, in order, on the customer's channel
    assert gateway.rasa.texts() == ["where is my parcel?", "hello?", "anyone there?"]
    assert gateway.web.texts("c6") == ["you said: where is my parcel?", "you said: hello?"]
    assert third["replies"][0]["text"] == "you said: anyone there?"
    assert await retry.once() == 0


async def test_the_retry_loop_answers_what_waited_when_rasa_is_back(gateway: Gateway) -> None:
    gateway.rasa.down = True
    await gateway.say("c7", "first")
    await gateway.say("c8", "second")
    gateway.rasa.down = False

    assert await gateway.app.state.retry.once() == 2
    assert gateway.web.texts("c7") == ["you said: first"]
    assert gateway.web.texts("c8") == ["you said: second"]
    assert await unanswered(gateway) == 0


async def test_a_hand_off_is_applied_when_the_answer_is_back_not_before(
    gateway: Gateway,
) -> None:
    await gateway.say("c9", "hello")
    uid = await gateway.uid("c9")
    seen_during: dict[str, Any] = {}

    async def action_server(
        sender: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ticket = await gateway.open_ticket(sender)
        seen_during["info"] = await gateway.hand_off(sender)
        async with gateway.sessions() as session:
            conversation = await session.get(Conversation, metadata["conversation_id"])
            assert conversation is not None
            seen_during["status"] = conversation.status
        seen_during["events"] = gateway.published()
        return [{"text": f"Ticket #{ticket['number']}: a colleague takes over."}]

    gateway.rasa.script = action_server
    answer = await gateway.say("c9", "My kettle gave my son an electric shock. I want a manager")

    assert seen_during["status"] == ConversationStatus.BOT  # nothing changed mid-message
    # the ticket is in the console's list at once; the queue hears of the chat only later
    assert [e["type"] for e in seen_during["events"]] == ["ticket_changed"]
    assert seen_during["info"] == {
        "status": "queued",
        "queue_position": 1,
        "agents_online": 0,
        "expected_wait_minutes": 6,
        "next_opening": seen_during["info"]["next_opening"],
    }
    assert answer["conversation"]["status"] == "queued"
    assert answer["conversation"]["ticket"]["severity"] == "critical"
    [escalated] = [e for e in gateway.published() if e["type"] == "escalated"]
    assert escalated["conversation"]["id"] == answer["conversation"]["id"]
    assert escalated["conversation"]["reasons"] == ["severe_complaint"]
    assert uid == gateway.rasa.received[-1]["sender"]

    # while people have the chat, the assistant is not asked and the console hears the customer;
    # a customer waiting in the queue is told once that the message is on the case
    waiting = await gateway.say("c9", "ok thank you")
    [note] = waiting["replies"]
    assert f"#{answer['conversation']['ticket']['number']}" in note["text"]
    assert gateway.rasa.texts()[-1] != "ok thank you"
    [heard] = [e for e in gateway.published() if e["type"] == "message"]
    assert heard["message"]["text"] == "ok thank you"
    quiet = await gateway.say("c9", "hello? anyone?")
    assert quiet["replies"] == []


async def test_a_danger_told_while_waiting_gets_help_now_and_the_front_of_the_queue(
    gateway: Gateway,
) -> None:
    async def action_server(
        sender: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        await gateway.open_ticket(sender, severity="medium")
        await gateway.hand_off(sender, severity="medium")
        return [{"text": "A colleague will take over."}]

    gateway.rasa.script = action_server
    answer = await gateway.say("c12", "I'd like to talk to a person about my heater")
    assert answer["conversation"]["status"] == "queued"
    await gateway.say("c12", "ok")  # told once that it is on the case
    assert (await gateway.say("c12", "still there?"))["replies"] == []

    told = "it just sparked and my son's hand is burnt"
    gateway.rasa.readings[told] = {"cues": ["safety"]}
    [help_now] = (await gateway.say("c12", told))["replies"]
    assert "120" in help_now["text"] and "urgent" in help_now["text"]
    async with gateway.sessions() as session:
        waiting = await session.get(Conversation, answer["conversation"]["id"])
        assert waiting is not None
        assert waiting.priority == queue.priority("critical", "standard")
    assert told not in gateway.rasa.texts()  # read, not answered by the assistant


@pytest.mark.parametrize("settings_overrides", [{"auto_assign": True}])
async def test_with_auto_assignment_the_free_agent_joins_after_the_answer(
    gateway: Gateway,
) -> None:
    await gateway.add_agent("anna@example.com", "Anna Li", online=True)
    await gateway.say("c10", "hello")

    async def action_server(
        sender: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        await gateway.open_ticket(sender)
        await gateway.hand_off(sender)
        assert gateway.web.delivered == []  # nobody joins before the assistant has answered
        return [{"text": "A colleague takes over."}]

    gateway.rasa.script = action_server
    answer = await gateway.say("c10", "I want a person")

    assert answer["conversation"]["status"] == "assigned"
    assert gateway.web.texts("c10") == ["Anna Li from our team has joined the chat."]
    [(who, view)] = gateway.web.changes
    assert who == "c10" and view.status == "assigned"


async def test_what_waited_after_a_hand_off_goes_to_the_people_not_to_rasa(
    gateway: Gateway,
) -> None:
    await gateway.say("c11", "hello")
    gateway.rasa.down = True
    await gateway.say("c11", "I want a person")
    await gateway.say("c11", "hello??")
    gateway.rasa.down = False

    async def action_server(
        sender: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if text == "I want a person":
            await gateway.open_ticket(sender)
            await gateway.hand_off(sender)
        return [{"text": f"answer to {text}"}]

    gateway.rasa.script = action_server
    third = await gateway.say("c11", "anyone?")

    assert gateway.rasa.texts() == ["hello", "I want a person"]
    assert gateway.web.texts("c11") == ["answer to I want a person"]
    assert third["conversation"]["status"] == "queued"
    assert [r["author"] for r in third["replies"]] == ["system"]  # the note, not the bot
    assert await gateway.app.state.retry.once() == 0
    assert await unanswered(gateway) == 0


async def test_turns_go_in_order_and_are_forgotten_when_done() -> None:
    turns, order = KeyedLocks(), []

    async def take(key: str, name: str, pause: float) -> None:
        async with turns.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(pause)
            order.append(f"{name} out")

    await asyncio.gather(take("a", "first", 0.05), take("a", "second", 0), take("b", "other", 0))
    assert order.index("first out") < order.index("second in")  # one turn at a time per key
    assert order.index("other in") < order.index("first out")  # other keys do not wait
    assert len(turns) == 0
