"""The custom actions, run as the action server runs them, against a stand-in gateway API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarify
from actions.handoff import ActionHandoffToHuman
from actions.replies import ActionAnswer, ActionLeraReply, ActionReadMessage
from actions.settings import get_settings
from actions.tickets import ActionOpenTicket, ActionTicketStatus
from tests.helpers import parse_data, tracker

GATEWAY = get_settings().gateway_url
DOMAIN: dict[str, Any] = {"responses": {"utter_delivery_period": [], "utter_track_order": []}}


def team_at_work(online: int = 1, opening: str | None = None) -> respx.Route:
    """The gateway's answer on who is at work (and when an answer can be promised)."""
    return respx.get(f"{GATEWAY}/internal/presence").mock(
        return_value=httpx.Response(
            200,
            json={
                "agents_online": online,
                "next_opening": opening,
                "due_at": "2026-12-03T06:00:00+00:00",
            },
        )
    )


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def run(action: Any, t: Any) -> tuple[CollectingDispatcher, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, DOMAIN)
    return dispatcher, slots_of(events)


async def test_read_message_sets_language_and_emotion() -> None:
    latest = parse_data(
        "快递怎么还没到",
        "track_order",
        analysis={"language": "zh", "emotion": "frustration", "intensity_level": "mild"},
    )
    _, slots = await run(ActionReadMessage(), tracker(latest))
    assert slots == {"language": "zh", "emotion": "frustration", "emotion_level": "mild"}


async def test_read_message_keeps_language_when_the_message_has_none() -> None:
    latest = parse_data("100482931", "inform", analysis={"language": None})
    _, slots = await run(ActionReadMessage(), tracker(latest))
    assert "language" not in slots and slots["emotion"] is None


async def test_answer_fills_the_shops_facts_in_the_customers_language() -> None:
    latest = parse_data("快递几天到？", "delivery_period", analysis={"language": "zh"})
    dispatcher, slots = await run(ActionAnswer(), tracker(latest, {"language": "zh"}))
    [message] = dispatcher.messages
    assert message["response"] == "utter_delivery_period"
    assert message["standard_shipping_days"] == "2–4"
    assert message["support_hours"].startswith("周一至周五")
    assert slots["escalation"] == "bot" and slots["fallback_count"] == 0


async def test_answer_opens_with_empathy_for_a_mildly_annoyed_customer() -> None:
    latest = parse_data(
        "ugh, where is my parcel? it's been four days",
        "track_order",
        analysis={"emotion": "frustration", "intensity_level": "mild", "problem": "late_delivery"},
    )
    dispatcher, slots = await run(ActionAnswer(), tracker(latest))
    opening, answer = dispatcher.messages
    assert opening["text"] and answer["response"] == "utter_track_order"
    assert slots["escalation"] == "bot"


async def test_answer_meets_strong_anger_with_lera_and_a_person() -> None:
    latest = parse_data(
        "WHERE IS MY ORDER?? I'm furious",
        "track_order",
        analysis={"emotion": "anger", "intensity_level": "strong"},
    )
    dispatcher, slots = await run(ActionAnswer(), tracker(latest))
    # no routine answer: the hand-off says the LERA reply with the case and the wait
    assert dispatcher.messages == []
    assert slots["escalation"] == "human"
    assert slots["triage"]["reasons"] == ["anger_or_frustration"]
    assert slots["triage"]["message_id"] == "m1"


async def test_lera_reply_to_a_specific_complaint_decides_a_ticket_and_leaves_the_words() -> None:
    latest = parse_data(
        "The blender I received has a cracked jug",
        "complaint",
        analysis={"product": "blender", "problem": "damaged", "category": "product_quality"},
    )
    dispatcher, slots = await run(ActionLeraReply(), tracker(latest))
    # the ticket's action says the whole reply, once the case number is known
    assert dispatcher.messages == []
    assert slots["escalation"] == "ticket"
    assert slots["triage"]["severity"] == "light"


async def test_lera_reply_asks_what_happened_when_the_bot_keeps_the_chat() -> None:
    latest = parse_data("I want to complain", "complaint", analysis={})
    dispatcher, slots = await run(ActionLeraReply(), tracker(latest))
    [reply] = dispatcher.messages
    assert "order number" in reply["text"]
    assert slots["escalation"] == "bot" and slots["lera_recent"]


@respx.mock
async def test_open_ticket_sends_category_severity_and_due_times() -> None:
    team_at_work()
    route = respx.post(f"{GATEWAY}/internal/tickets").mock(
        return_value=httpx.Response(201, json={"number": 42, "status": "open"})
    )
    latest = parse_data(
        "my kettle gave me an electric shock",
        "complaint",
        analysis={
            "product": "kettle",
            "problem": "electric_shock",
            "category": "product_quality",
            "cues": ["safety"],
        },
    )
    triage = {
        "message_id": "m1",
        "outcome": "human",
        "severity": "critical",
        "reasons": ["severe_complaint"],
    }
    dispatcher, slots = await run(ActionOpenTicket(), tracker(latest, {"triage": triage}))
    sent = route.calls.last.request
    assert (
        sent.headers["Authorization"] == f"Bearer {get_settings().service_token.get_secret_value()}"
    )
    body = httpx.Response(200, content=sent.content).json()
    assert (body["category"], body["severity"], body["reasons"]) == (
        "product_quality",
        "critical",
        ["severe_complaint"],
    )
    assert body["sender_id"] == "customer-1" and "electric shock" in body["description"]
    # a hazard: the person and the safe step first, then the problem and the case
    safety, case = dispatcher.messages
    assert "gave someone an electric shock" in safety["text"] and "unplug" in safety["text"]
    assert "#42" in case["text"] and "safety fault" in case["text"]
    assert slots["ticket"]["number"] == 42 and slots["ticket"]["severity"] == "critical"


@respx.mock
async def test_open_ticket_says_so_honestly_when_the_gateway_is_down() -> None:
    team_at_work()
    respx.post(f"{GATEWAY}/internal/tickets").mock(side_effect=httpx.ConnectError("down"))
    latest = parse_data("the lamp is broken", "complaint", analysis={"problem": "damaged"})
    dispatcher, slots = await run(ActionOpenTicket(), tracker(latest))
    [message] = dispatcher.messages
    assert "couldn't register the case" in message["text"]
    assert "@" in message["text"] and "#" not in message["text"]
    assert "ticket" not in slots


@respx.mock
async def test_repeat_contact_goes_to_the_open_case_instead_of_a_new_one() -> None:
    team_at_work()
    opened = respx.post(f"{GATEWAY}/internal/tickets")
    respx.get(f"{GATEWAY}/internal/tickets/55").mock(
        return_value=httpx.Response(
            200, json={"number": 55, "status": "open", "due_at": "2026-12-04T02:00:00+00:00"}
        )
    )
    latest = parse_data(
        "me again, the parcel still hasn't come",
        "complaint",
        analysis={"problem": "late_delivery", "cues": ["repeat_contact"]},
    )
    kept = {
        "ticket": {"number": 55, "severity": "medium", "due_at": "", "problem": "late_delivery"}
    }
    dispatcher, slots = await run(ActionOpenTicket(), tracker(latest, kept))
    assert not opened.called
    [message] = dispatcher.messages
    assert "case #55" in message["text"] and "Fri 04 Dec, 10:00" in message["text"]
    assert slots["ticket"]["number"] == 55


@respx.mock
@pytest.mark.parametrize("online", [2, 0])
async def test_handoff_opens_a_ticket_and_joins_the_queue(online: int) -> None:
    team_at_work()
    respx.post(f"{GATEWAY}/internal/tickets").mock(
        return_value=httpx.Response(201, json={"number": 7})
    )
    handoff = respx.post(f"{GATEWAY}/internal/handoffs").mock(
        return_value=httpx.Response(
            200,
            json={
                "queue_position": 3,
                "expected_wait_minutes": 6,
                "agents_online": online,
                "next_opening": "Mon 09:00",
            },
        )
    )
    latest = parse_data("can I talk to a real person", "contact_human_agent")
    dispatcher, slots = await run(ActionHandoffToHuman(), tracker(latest))
    body = httpx.Response(200, content=handoff.calls.last.request.content).json()
    assert body["reasons"] == ["explicit_request"] and body["ticket_number"] == 7
    # one message: the request acknowledged, the case, and the honest wait
    [message] = dispatcher.messages
    assert "person" in message["text"] and "#7" in message["text"]
    if online:
        assert "number 3 in the queue" in message["text"] and "6 minutes" in message["text"]
    else:
        assert "Mon 09:00" in message["text"] and "line" in message["text"]
        assert "minutes" not in message["text"]
    assert slots["escalation"] == "human" and slots["ticket"]["number"] == 7


@respx.mock
async def test_ticket_status_of_the_customers_own_ticket() -> None:
    team_at_work()
    route = respx.get(f"{GATEWAY}/internal/tickets/123").mock(
        return_value=httpx.Response(
            200,
            json={
                "number": 123,
                "status": "pending",
                "subject": "Delivery: late parcel",
                "due_at": "2026-11-24T06:00:00+00:00",
            },
        )
    )
    latest = parse_data(
        "what about my complaint #123?",
        "ticket_status",
        entities=[{"entity": "ticket_number", "value": "123", "start": 25, "end": 28}],
    )
    dispatcher, _ = await run(ActionTicketStatus(), tracker(latest))
    assert route.calls.last.request.url.params["sender_id"] == "customer-1"
    [message] = dispatcher.messages
    assert message["response"] == "utter_ticket_status"
    assert message["status"] == "being worked on by our team"
    assert "Tue 24 Nov, 14:00" in message["due_note"]


@respx.mock
async def test_ticket_status_of_someone_elses_ticket_is_not_found() -> None:
    team_at_work()
    respx.get(f"{GATEWAY}/internal/tickets/9").mock(return_value=httpx.Response(404))
    latest = parse_data(
        "ticket 9?", "ticket_status", entities=[{"entity": "ticket_number", "value": "9"}]
    )
    dispatcher, _ = await run(ActionTicketStatus(), tracker(latest))
    assert dispatcher.messages[0]["response"] == "utter_ticket_not_found"


async def test_clarify_then_offer_a_person_then_hand_over() -> None:
    ranking = [
        ("nlu_fallback", 0.4),
        ("track_order", 0.3),
        ("delivery_period", 0.2),
        ("affirm", 0.05),
        ("get_refund", 0.04),
    ]
    latest = parse_data(
        "parcel thing?", "nlu_fallback", ranking=ranking, analysis={"language": "zh"}
    )
    first, slots = await run(ActionClarify(), tracker(latest))
    assert first.messages[0]["response"] == "utter_clarify"
    assert [b["payload"] for b in first.messages[0]["buttons"]] == [
        "/track_order",
        "/delivery_period",
        "/get_refund",
    ]
    assert first.messages[0]["buttons"][0]["title"] == "查询订单物流"
    assert slots == {"fallback_count": 1, "fallback_stage": "clarified", "escalation": "bot"}
    second, slots = await run(ActionClarify(), tracker(latest, {"fallback_count": 1}))
    assert second.messages[0]["response"] == "utter_offer_human"
    assert slots["fallback_stage"] == "offered_human"
    third, slots = await run(ActionClarify(), tracker(latest, {"fallback_count": 2}))
    assert third.messages == [] and slots["fallback_stage"] == "handoff"
    assert slots["escalation"] == "human"
    assert slots["triage"]["reasons"] == ["repeated_fallback"]


async def test_unclear_message_with_a_safety_hazard_goes_to_a_person_not_a_question() -> None:
    ranking = [("nlu_fallback", 0.35), ("complaint", 0.3), ("product_question", 0.2)]
    latest = parse_data(
        "my power bank swelled up and was too hot to touch, what do I do?",
        "nlu_fallback",
        ranking=ranking,
        analysis={"cues": ["safety"], "category": "product_quality", "product": "power bank"},
    )
    dispatcher, slots = await run(ActionClarify(), tracker(latest, {"fallback_count": 1}))
    # no clarifying question: the hand-off that follows says the whole reply
    assert dispatcher.messages == []
    assert slots["escalation"] == "human"
    assert slots["triage"]["reasons"] == ["severe_complaint"]
    assert slots["triage"]["severity"] == "critical"
    # the misunderstanding run ends: this message was understood well enough
    assert slots["fallback_count"] == 0 and slots["fallback_stage"] is None


async def test_unclear_message_about_money_taken_opens_a_ticket() -> None:
    ranking = [("nlu_fallback", 0.35), ("track_refund", 0.27), ("complaint", 0.14)]
    latest = parse_data(
        "the promo code was accepted but the total I paid didn't reflect it",
        "nlu_fallback",
        ranking=ranking,
        analysis={"cues": ["money_lost"], "category": "billing"},
    )
    _, slots = await run(ActionClarify(), tracker(latest))
    assert slots["escalation"] == "ticket"
    assert slots["triage"]["reasons"] == ["back_office"]


async def test_thanks_for_nothing_is_met_with_lera_not_youre_welcome() -> None:
    latest = parse_data(
        "thanks for nothing",
        "thank",
        analysis={"emotion": "anger", "intensity_level": "mild"},
    )
    dispatcher, slots = await run(ActionAnswer(), tracker(latest))
    [reply] = dispatcher.messages
    assert reply.get("response") is None and reply["text"]
    assert slots["escalation"] == "bot"


async def test_affirm_is_answered_with_anything_else() -> None:
    latest = parse_data("ok", "affirm")
    domain = {"responses": {"utter_anything_else": []}}
    dispatcher = CollectingDispatcher()
    await ActionAnswer().run(dispatcher, tracker(latest), domain)
    assert dispatcher.messages[0]["response"] == "utter_anything_else"


async def test_turning_down_the_offered_person_asks_again_without_that_option() -> None:
    ranking = [
        ("nlu_fallback", 0.35),
        ("check_payment_methods", 0.34),
        ("contact_human_agent", 0.27),
        ("payment_issue", 0.04),
    ]
    latest = parse_data(
        "不用转人工 我就问下能用支付宝吗",
        "nlu_fallback",
        ranking=ranking,
        analysis={"language": "zh", "declines_person": True},
    )
    dispatcher, slots = await run(ActionClarify(), tracker(latest, {"fallback_count": 2}))
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify"
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads[0] == "/check_payment_methods" and "/contact_human_agent" not in payloads
    assert slots["fallback_stage"] == "clarified" and slots["escalation"] == "bot"


async def test_no_thanks_to_the_offered_person_is_not_a_third_miss() -> None:
    ranking = [("nlu_fallback", 0.35), ("check_payment_methods", 0.16), ("deny", 0.12)]
    latest = parse_data(
        "no thanks, I just want to know if you take alipay",
        "nlu_fallback",
        ranking=ranking,
        analysis={"declines_offer": True},
    )
    offered = {"fallback_count": 2, "fallback_stage": "offered_human"}
    dispatcher, slots = await run(ActionClarify(), tracker(latest, offered))
    assert dispatcher.messages[0]["response"] == "utter_clarify"
    assert slots["escalation"] == "bot"
    # the same words with no offer on the table are just another miss
    _, slots = await run(ActionClarify(), tracker(latest, {"fallback_count": 2}))
    assert slots["escalation"] == "human"


@respx.mock
async def test_a_request_for_a_manager_after_the_problem_still_says_the_problem_back() -> None:
    team_at_work()
    respx.post(f"{GATEWAY}/internal/tickets").mock(
        return_value=httpx.Response(201, json={"number": 8})
    )
    respx.post(f"{GATEWAY}/internal/handoffs").mock(
        return_value=httpx.Response(200, json={"agents_online": 0, "next_opening": "09:00"})
    )
    told = parse_data(
        "the sofa delivery was moved three times now",
        "complaint",
        analysis={"problem": "late_delivery", "category": "logistics", "product": "sofa"},
        message_id="m0",
    )
    latest = parse_data(
        "get me your manager", "contact_human_agent", analysis={"asks_manager": True}
    )
    dispatcher, _ = await run(ActionHandoffToHuman(), tracker(latest, earlier=[told]))
    [message] = dispatcher.messages
    assert "still hasn't reached you" in message["text"] and "supervisor" in message["text"]


@respx.mock
async def test_a_case_opened_while_the_team_is_away_says_when_they_are_back() -> None:
    asked = team_at_work(online=0, opening="Wed 02 Dec, 09:00")
    respx.post(f"{GATEWAY}/internal/tickets").mock(
        return_value=httpx.Response(201, json={"number": 31})
    )
    latest = parse_data(
        "two shelf pins are missing from the bookshelf",
        "complaint",
        analysis={"problem": "missing_part", "product": "bookshelf"},
    )
    dispatcher, _ = await run(ActionOpenTicket(), tracker(latest))
    [message] = dispatcher.messages
    sentence = next(s for s in message["text"].split(". ") if "#31" in s)
    assert "Wed 02 Dec, 09:00" in sentence and "Thu 03 Dec, 14:00" in sentence
    assert asked.call_count == 1  # asked once, when the case was opened


async def test_a_guessed_complaint_is_asked_about_with_the_likely_options() -> None:
    ranking = [("complaint", 0.31), ("product_info", 0.2), ("track_order", 0.1)]
    latest = parse_data(
        "鬼鬼祟祟嘻嘻哈哈",
        "complaint",
        confidence=0.31,
        ranking=ranking,
        analysis={
            "language": "zh",
            "signal": "anger",
            "signal_reason": "anger",
            "signal_confidence": 0.86,
        },
    )
    dispatcher, slots = await run(ActionLeraReply(), tracker(latest, {"language": "zh"}))
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify" and message["buttons"]
    assert slots["escalation"] == "bot" and slots["fallback_stage"] == "clarified"


async def test_no_need_for_a_person_read_as_a_request_is_asked_about_not_handed_over() -> None:
    ranking = [("contact_human_agent", 0.5), ("product_info", 0.3)]
    latest = parse_data(
        "不用转人工哈，直接告诉我沙发套能不能机洗就行",
        "contact_human_agent",
        confidence=0.5,
        ranking=ranking,
        analysis={"language": "zh", "declines_person": True},
    )
    dispatcher, slots = await run(ActionLeraReply(), tracker(latest, {"language": "zh"}))
    assert slots["escalation"] == "bot"
    assert dispatcher.messages[0]["response"] == "utter_clarify"


def test_a_ticket_subject_is_in_the_customer_s_language() -> None:
    from actions.message import CustomerMessage
    from actions.tickets import subject

    chinese = CustomerMessage(
        "电水壶漏电，手被电了一下", "complaint", 0.9, "zh", category="product_quality"
    )
    english = CustomerMessage(
        "my kettle shocked me", "complaint", 0.9, "en", category="product_quality"
    )
    assert subject(chinese) == "产品质量：电水壶漏电，手被电了一下"
    assert subject(english) == "Product quality: my kettle shocked me"
    long = CustomerMessage("漏" * 200, "complaint", 0.9, "zh", category="logistics")
    assert subject(long).endswith("…") and len(subject(long)) < 100
