from __future__ import annotations

from actions.escalation import Outcome, Reason, Severity, decide
from actions.message import CustomerMessage


def msg(intent: str, **kw: object) -> CustomerMessage:
    return CustomerMessage(
        text=kw.pop("text", "x"), intent=intent, confidence=0.9, language="en", **kw
    )  # type: ignore[arg-type]


def test_routine_question_stays_with_the_bot() -> None:
    d = decide(msg("delivery_period"))
    assert d.outcome is Outcome.BOT and d.reasons == ()


def test_mildly_annoyed_routine_question_stays_with_the_bot() -> None:
    d = decide(
        msg(
            "track_order",
            emotion="frustration",
            level="mild",
            problem="late_delivery",
            category="logistics",
        )
    )
    assert d.outcome is Outcome.BOT
    assert d.severity is Severity.MEDIUM


def test_calm_specific_complaint_opens_a_ticket() -> None:
    d = decide(msg("complaint", problem="damaged", category="product_quality"))
    assert d.outcome is Outcome.TICKET
    assert d.severity is Severity.LIGHT
    assert d.reasons == (Reason.COMPLAINT,)


def test_complaint_without_details_keeps_the_chat_to_ask_for_them() -> None:
    d = decide(msg("complaint"))
    assert d.outcome is Outcome.BOT and not d.specific


def test_strong_anger_goes_to_a_human() -> None:
    d = decide(msg("track_order", emotion="anger", level="strong"))
    assert d.outcome is Outcome.HUMAN
    assert Reason.ANGER_OR_FRUSTRATION in d.reasons
    assert d.severity is Severity.SEVERE


def test_safety_hazard_is_critical_and_human() -> None:
    d = decide(msg("complaint", cues=("safety",), category="product_quality"))
    assert d.outcome is Outcome.HUMAN
    assert d.severity is Severity.CRITICAL
    assert Reason.SEVERE_COMPLAINT in d.reasons


def test_legal_threat_is_critical() -> None:
    d = decide(msg("complaint", cues=("legal_threat",), emotion="anger", level="mild"))
    assert (d.outcome, d.severity) == (Outcome.HUMAN, Severity.CRITICAL)


def test_money_taken_with_anger_is_human_but_calm_is_a_ticket() -> None:
    angry = decide(msg("payment_issue", cues=("money_lost",), emotion="anger", level="mild"))
    calm = decide(msg("payment_issue", cues=("money_lost",)))
    assert angry.outcome is Outcome.HUMAN and Reason.SEVERE_COMPLAINT in angry.reasons
    assert calm.outcome is Outcome.TICKET and calm.reasons == (Reason.BACK_OFFICE,)


def test_explicit_request_for_a_person() -> None:
    d = decide(msg("contact_human_agent"))
    assert d.outcome is Outcome.HUMAN and d.reasons == (Reason.EXPLICIT_REQUEST,)


def test_still_upset_after_the_bots_answer_goes_to_a_human() -> None:
    before = msg("track_order", emotion="frustration", level="mild")
    now = msg("track_order", emotion="frustration", level="mild")
    assert decide(now, previous=before, previous_outcome="bot").outcome is Outcome.HUMAN
    # a ticket number is an answer too: still upset after it, the customer gets a person
    assert decide(now, previous=before, previous_outcome="ticket").outcome is Outcome.HUMAN
    calm = msg("track_order")
    assert decide(calm, previous=before, previous_outcome="bot").outcome is Outcome.BOT


def test_vip_complaint_goes_to_a_human() -> None:
    d = decide(msg("complaint", problem="late_delivery", category="logistics"), tier="vip")
    assert d.outcome is Outcome.HUMAN and Reason.VIP_CUSTOMER in d.reasons


def test_repeat_contact_about_the_same_problem_goes_to_a_human() -> None:
    d = decide(msg("complaint", cues=("repeat_contact",), category="logistics"))
    assert d.outcome is Outcome.HUMAN and Reason.REPEAT_CONTACT in d.reasons


def test_a_guessed_complaint_or_request_is_asked_about_not_acted_on() -> None:
    # the NLU was unsure; its best guesses alone do not open a ticket or call a person
    late = msg("complaint", sure=False, problem="late_delivery", category="logistics")
    assert decide(late).outcome is Outcome.BOT
    assert decide(msg("contact_human_agent", sure=False)).outcome is Outcome.BOT
    assert decide(msg("contact_human_agent")).outcome is Outcome.HUMAN


def test_what_the_analyser_found_decides_even_when_the_intent_is_unclear() -> None:
    hazard = decide(msg("complaint", sure=False, cues=("safety",)))
    assert hazard.outcome is Outcome.HUMAN and hazard.severity is Severity.CRITICAL
    money = decide(msg("track_refund", sure=False, cues=("money_lost",), category="billing"))
    assert money.outcome is Outcome.TICKET and money.reasons == (Reason.BACK_OFFICE,)


def test_a_described_problem_under_another_intent_opens_a_back_office_ticket() -> None:
    wrong = decide(msg("change_order", problem="wrong_item", category="logistics"))
    assert wrong.outcome is Outcome.TICKET and wrong.reasons == (Reason.BACK_OFFICE,)
    # a late parcel is a tracking question the bot answers itself
    assert decide(msg("track_order", problem="late_delivery")).outcome is Outcome.BOT
    # small talk opens nothing
    assert decide(msg("thank", cues=("money_lost",))).outcome is Outcome.BOT


def test_a_long_question_is_not_a_description() -> None:
    asking = msg("complaint", text="how do I make a complaint about an order I placed last week?")
    assert not decide(asking).specific
    telling = msg("complaint", text="the order I placed last week came with the lid missing")
    assert decide(telling).specific


def test_a_settled_matter_stays_with_the_bot_even_after_annoyance() -> None:
    before = msg("track_order", emotion="frustration", level="mild")
    now = msg("complaint", settled=True, emotion="frustration", level="mild", text="a " * 12)
    assert decide(now, previous=before, previous_outcome="bot").outcome is Outcome.BOT
    # settled words do not cancel a hazard
    hazard = msg("complaint", settled=True, cues=("safety",))
    assert decide(hazard).outcome is Outcome.HUMAN


def test_turning_down_a_person_is_not_a_request_for_one() -> None:
    assert decide(msg("contact_human_agent", declines_person=True)).outcome is Outcome.BOT


def test_a_person_asked_for_in_so_many_words_counts_whatever_the_intent() -> None:
    # "could a colleague of yours look at this? the refund page errors out" reads as a complaint
    d = decide(msg("complaint", requests_person=True, sure=False))
    assert d.outcome is Outcome.HUMAN and Reason.EXPLICIT_REQUEST in d.reasons


def test_what_the_learned_signal_reads_counts_beside_the_cue_words() -> None:
    sarcasm = decide(msg("complaint", signal="anger", problem="defective"))
    assert sarcasm.outcome is Outcome.HUMAN
    assert sarcasm.reasons == (Reason.ANGER_OR_FRUSTRATION,)
    assert sarcasm.severity is Severity.SEVERE
    callback = decide(msg("track_refund", signal="explicit_request", sure=False))
    assert callback.reasons == (Reason.EXPLICIT_REQUEST,)
    # "never mind, it came" is settled whatever the signal reads into it
    assert decide(msg("complaint", signal="anger", settled=True)).outcome is Outcome.BOT
    # a lexicon finding and the same learned reason count once
    both = decide(msg("complaint", signal="anger", emotion="anger", level="strong"))
    assert both.reasons == (Reason.ANGER_OR_FRUSTRATION,)


def test_the_analyser_overrules_the_learned_signal_where_it_knows_better() -> None:
    worry = msg("product_info", signal="severe", hypothetical=True)
    assert decide(worry).outcome is Outcome.BOT
    # a hazard the lexicon found stands, question or not
    fire = msg("complaint", signal="severe", hypothetical=True, cues=("safety",))
    assert decide(fire).outcome is Outcome.HUMAN
    assert decide(msg("bot_challenge", signal="explicit_request")).outcome is Outcome.BOT
    declined = msg("check_payment_methods", signal="explicit_request", declines_person=True)
    assert decide(declined).outcome is Outcome.BOT


def test_learned_anger_alone_does_not_decide_a_message_nobody_could_make_out() -> None:
    assert decide(msg("greet", signal="anger", sure=False)).outcome is Outcome.BOT
    # a request for a call back is a request, however unsure the intent
    assert decide(msg("greet", signal="explicit_request", sure=False)).outcome is Outcome.HUMAN
    upset = msg("track_order", signal="anger", sure=False, emotion="frustration", level="mild")
    assert decide(upset).outcome is Outcome.HUMAN


def test_an_unsure_learned_reason_counts_when_the_analyser_heard_the_feeling_too() -> None:
    # "honestly disgusted with you lot, never again": anger read at 0.76 and heard by the analyser
    backed = msg("complaint", signal_reason="anger", signal_confidence=0.76, emotion="anger")
    d = decide(backed)
    assert d.outcome is Outcome.HUMAN and Reason.ANGER_OR_FRUSTRATION in d.reasons
    # the same probability with no feeling heard, or too little probability, is not enough
    unheard = msg("complaint", signal_reason="anger", signal_confidence=0.76)
    assert decide(unheard).outcome is not Outcome.HUMAN
    faint = msg("complaint", signal_reason="anger", signal_confidence=0.5, emotion="anger")
    assert decide(faint).outcome is not Outcome.HUMAN
    # weariness does not back anger up, and "ugh, still processing" is not repeat contact
    weary = msg("track_order", signal_reason="anger", signal_confidence=0.7, emotion="frustration")
    assert decide(weary).outcome is Outcome.BOT
    ugh = msg(
        "track_order", signal_reason="repeat_contact", signal_confidence=0.62, emotion="frustration"
    )
    assert decide(ugh).outcome is Outcome.BOT
    # an unsure request for a person is never backed up by a feeling
    ask = msg(
        "complaint", signal_reason="explicit_request", signal_confidence=0.79, emotion="anger"
    )
    assert Reason.EXPLICIT_REQUEST not in decide(ask).reasons


def test_turning_the_bots_answer_down_is_being_still_upset() -> None:
    question = msg("track_order")
    reply = msg("complaint", text="not ok with that answer at all", rejects_answer=True)
    d = decide(reply, previous=question, previous_outcome="bot")
    assert d.outcome is Outcome.HUMAN and Reason.STILL_UPSET in d.reasons
    # with nothing answered before, there is no answer to turn down
    assert Reason.STILL_UPSET not in decide(reply).reasons
