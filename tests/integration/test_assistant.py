"""The trained assistant end to end: Rasa's REST channel, the real action server."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.integration.stack import Stack

CJK = re.compile(r"[\u4e00-\u9fff]")


def say(stack: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=30,
    )
    response.raise_for_status()
    replies: list[dict[str, Any]] = response.json()
    return replies


def tracker(stack: Stack, sender: str) -> dict[str, Any]:
    response = httpx.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.rasa_token},
        timeout=10,
    )
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def test_answers_a_shipping_question_in_english(stack: Stack) -> None:
    replies = say(stack, new_sender(), "How long does shipping take?")
    text = " ".join(r["text"] for r in replies)
    assert "2–4" in text and not CJK.search(text)


def test_answers_the_same_question_in_chinese(stack: Stack) -> None:
    sender = new_sender()
    replies = say(stack, sender, "快递几天到？")
    text = "".join(r["text"] for r in replies)
    assert "2–4" in text and CJK.search(text)
    state = tracker(stack, sender)
    assert state["slots"]["language"] == "zh"
    assert state["latest_message"]["intent"]["name"] == "delivery_period"
    assert state["latest_message"]["analysis"]["language"] == "zh"


def test_a_complaint_gets_a_lera_reply_and_an_honest_ticket_message(stack: Stack) -> None:
    sender = new_sender()
    replies = say(stack, sender, "The blender I received has a cracked jug and it leaks everywhere")
    # one message: the LERA reply ends with the honest next step
    [reply] = (r["text"] for r in replies)
    assert "blender" in reply  # Listen: the customer's own product
    assert "support@lumenhome.example" in reply  # no gateway here: no ticket number is invented
    assert "#" not in reply
    state = tracker(stack, sender)
    assert state["slots"]["escalation"] == "ticket"
    assert state["slots"]["triage"]["severity"] == "light"


def test_an_angry_chinese_customer_is_met_and_offered_a_person(stack: Stack) -> None:
    sender = new_sender()
    replies = say(stack, sender, "气死我了！充电宝用了两天就冒烟了，你们必须给个说法！")
    texts = [r["text"] for r in replies]
    assert "充电宝" in texts[0]
    state = tracker(stack, sender)
    assert state["slots"]["escalation"] == "human"
    assert state["slots"]["triage"]["severity"] == "critical"
    assert "severe_complaint" in state["slots"]["triage"]["reasons"]
    assert state["slots"]["emotion"] == "anger"


def test_order_numbers_and_emails_are_entities(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "my order 100482931 hasn't arrived, write to me at ann@example.com")
    state = tracker(stack, sender)
    entities = {e["entity"]: e["value"] for e in state["latest_message"]["entities"]}
    assert entities == {"order_number": "100482931", "email": "ann@example.com"}
    assert state["slots"]["order_number"] == "100482931"


def test_a_button_payload_is_understood(stack: Stack) -> None:
    replies = say(stack, new_sender(), "/check_payment_methods")
    assert "Alipay" in replies[0]["text"]


def test_misunderstood_twice_then_a_person_is_offered_with_buttons(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "/nlu_fallback")
    offer = say(stack, sender, "/nlu_fallback")
    assert [b["payload"] for b in offer[0]["buttons"]] == ["/affirm", "/deny"]
    assert tracker(stack, sender)["slots"]["fallback_stage"] == "offered_human"


def test_keyboard_mash_is_a_misunderstanding_however_sure_the_classifier_is(stack: Stack) -> None:
    sender = new_sender()
    for text in ("xcvb nm", "嗯额呃"):
        say(stack, sender, text)
        latest = tracker(stack, sender)["latest_message"]
        assert latest["intent"]["name"] == "nlu_fallback"
        assert latest["analysis"]["unintelligible"] is True
    assert tracker(stack, sender)["slots"]["fallback_stage"] == "offered_human"


def test_an_unclear_message_about_a_hazard_goes_to_a_person_not_a_question(stack: Stack) -> None:
    sender = new_sender()
    say(stack, sender, "my power bank from you swelled up overnight and was too hot to touch")
    state = tracker(stack, sender)
    assert state["slots"]["escalation"] == "human"
    assert "safety" in state["latest_message"]["analysis"]["cues"]


def test_the_learned_signal_reads_a_request_for_a_person_and_leaves_routine_alone(
    stack: Stack,
) -> None:
    sender = new_sender()
    say(stack, sender, "How long does shipping take?")
    routine = tracker(stack, sender)["latest_message"]["analysis"]
    assert routine["signal"] is None and 0.0 <= routine["signal_confidence"] < 0.8
    say(stack, sender, "I want to speak to a real person right now")
    asking = tracker(stack, sender)["latest_message"]["analysis"]
    assert asking["signal"] == "explicit_request" and asking["signal_confidence"] >= 0.8
