from __future__ import annotations

import random

from actions import details, lera
from actions.escalation import Severity
from actions.lera import NextStep, Step
from actions.message import CustomerMessage

SHOP = {"support_email": "help@shop.example", "support_phone": "400-1"}
TICKET = NextStep(Step.TICKET, 42, "Thu 03 Dec, 14:00")
OFFLINE = NextStep(Step.OFFLINE, 7, "Thu 03 Dec, 12:00", opening="09:00")
QUEUED = NextStep(Step.QUEUED, 7, "Thu 03 Dec, 12:00", position=3, wait=6)


def complaint(language: str = "en", **kw: object) -> CustomerMessage:
    base: dict[str, object] = {
        "text": "x",
        "intent": "complaint",
        "confidence": 0.9,
        "language": language,
    }
    return CustomerMessage(**{**base, **kw})  # type: ignore[arg-type]


def reply(m: CustomerMessage, nxt: NextStep = TICKET, severity: Severity = Severity.LIGHT) -> str:
    return "\n".join(lera.compose(m, severity, nxt, lera.Picker(), SHOP))


def test_listen_says_back_the_product_and_problem_in_the_shops_words() -> None:
    m = complaint(
        text="the blender jug came cracked!!", product="blender", problem="arrived_damaged"
    )
    assert "your blender arrived damaged" in reply(m)
    zh = complaint("zh", text="破壁机坏了", product="破壁机", problem="defective")
    assert "您的破壁机出了故障" in reply(zh)


def test_listen_never_quotes_the_customers_message_back() -> None:
    text = "You useless idiots sent my mum's birthday kettle to the wrong city"
    m = complaint(text=text, emotion="anger", level="strong", problem="late_delivery")
    said = reply(m)
    assert "idiots" not in said and "mum's birthday" not in said
    vague = complaint(text="I am so unhappy with your shop honestly", emotion="disappointment")
    assert "unhappy with your shop" not in reply(vague)


def test_listen_says_what_it_cost_them() -> None:
    m = complaint(text="You took ¥459 twice for order 100482931!", problem="double_charge")
    assert "charged twice for one order (¥459)" in reply(m)
    two = complaint(text="charged ¥499 twice, the price was ¥459", problem="double_charge")
    assert "¥" not in lera.listen(two, lera.Picker())
    waited = complaint(
        text="still no refund after three weeks", problem="refund_missing", emotion="frustration"
    )
    assert "waiting three weeks" in reply(waited)
    chased = complaint(
        text="this is the third time I'm writing", problem="no_reply", cues=("repeat_contact",)
    )
    assert "three times" in reply(chased)


def test_resolve_names_the_real_problem_in_its_category() -> None:
    coupon = reply(complaint(text="the code SAVE20 wouldn't apply", problem="coupon_problem"))
    assert "checkout problem" in coupon and "replacement" not in coupon
    double = reply(complaint(text="charged twice", problem="double_charge"))
    assert "billing error" in double and "policy" not in double
    courier = reply(complaint(text="the courier threw it", problem="courier_problem"))
    assert "courier" in courier and "our team was rude" not in courier


def test_action_gives_the_case_who_and_when_in_one_bubble() -> None:
    bubbles = lera.compose(complaint(problem="missing_part"), Severity.LIGHT, TICKET, lera.Picker())
    assert len(bubbles) == 1
    assert (
        "#42" in bubbles[0] and "warehouse team" in bubbles[0] and "Thu 03 Dec, 14:00" in bubbles[0]
    )


def test_offline_is_said_in_the_same_sentence_as_the_promise() -> None:
    said = reply(complaint(problem="wrong_charge", emotion="anger", level="strong"), OFFLINE)
    sentence = next(s for s in said.split(". ") if "#7" in s)
    assert ("offline" in sentence or "online" in sentence) and "09:00" in sentence
    assert "Thu 03 Dec, 12:00" in sentence and "right away" not in said
    assert "first in line" not in said


def test_queue_place_and_wait_are_the_real_ones() -> None:
    said = reply(complaint(problem="defective", emotion="anger", level="strong"), QUEUED)
    assert "number 3 in the queue" in said and "6 minutes" in said
    first = reply(complaint(problem="defective"), NextStep(Step.QUEUED, 7, "x", position=1))
    assert "next in line" in first
    zh = reply(complaint("zh", problem="defective"), QUEUED)
    assert "前面还有 2 位" in zh and "6 分钟" in zh


def test_a_hazard_asks_after_the_person_and_gives_the_safe_step_first() -> None:
    m = complaint(
        text="the heater sparked and there was a pop, the socket is black",
        product="heater",
        problem="fire_hazard",
        cues=("safety",),
        emotion="anger",
        level="mild",
    )
    first, second = lera.compose(m, Severity.CRITICAL, OFFLINE, lera.Picker(), SHOP)
    assert "your heater gave off sparks" in first
    assert "frightening" in first and ("all right" in first or "OK" in first)
    assert "unplug" in first and "packaging" in first and "costs will be reviewed" in first
    assert "safety fault" in second and "top priority" in second and "#7" in second
    injury = reply(complaint(text="it cut my hand", problem="injury", cues=("safety",)))
    assert "hurt" in injury and "see a doctor" in injury
    gas = reply(
        complaint(
            "zh", text="燃气灶有煤气味", product="燃气灶", problem="gas_leak", cues=("safety",)
        )
    )
    assert "关闭燃气阀门" in gas and "打开门窗通风" in gas


def test_a_request_for_a_person_or_a_manager_is_acknowledged() -> None:
    person = complaint(text="let me talk to a human", intent="contact_human_agent")
    assert "person" in lera.listen(person, lera.Picker())
    manager = complaint(
        text="get me your manager now", requests_person=True, asks_manager=True, emotion="anger"
    )
    said = reply(manager, OFFLINE)
    assert "manager" in said and "supervisor will see it" in said
    useless = complaint(text="your bot is useless", requests_person=True, blames_bot=True)
    assert "sorry" in reply(useless, QUEUED).lower()


def test_repeat_contact_refers_to_the_earlier_case() -> None:
    again = complaint(problem="late_delivery", cues=("repeat_contact",))
    existing = NextStep(Step.EXISTING, 55, "Fri 04 Dec, 10:00", reused=True)
    said = reply(again, existing)
    assert "case #55" in said and "Rather than open a new case" in said
    handed = reply(again, NextStep(Step.OFFLINE, 55, "x", opening="09:00", reused=True))
    assert "This is still case #55" in handed


def test_empathy_matches_the_feeling_and_its_strength() -> None:
    assert lera.feeling(complaint(problem="fire_hazard", cues=("safety",))) == "fear"
    # a hazard nothing confirms is not said back as one
    assert lera.problem_of(complaint(problem="fire_hazard")) is None
    assert lera.feeling(complaint(cues=("legal_threat",), emotion="anger", level="strong")) == (
        "threat"
    )
    assert lera.feeling(complaint(cues=("repeat_contact",), emotion="anger")) == "exhausted"
    assert lera.feeling(complaint(emotion="anger", level="mild")) == "anger.mild"
    assert lera.feeling(complaint()) == "calm"


def test_the_gateway_down_is_said_honestly() -> None:
    said = reply(complaint(problem="defective"), NextStep(Step.FAILED))
    assert "help@shop.example" in said and "400-1" in said and "#" not in said


def test_never_the_same_reply_twice_in_a_row() -> None:
    m = complaint(problem="leaking", product="kettle", emotion="frustration", level="mild")
    recent: list[str] = []
    previous = None
    for seed in range(30):
        picker = lera.Picker(recent, rng=random.Random(seed))
        said = lera.compose(m, Severity.LIGHT, TICKET, picker)
        assert said != previous
        previous, recent = said, picker.recent


def test_every_problem_in_the_bank_has_all_its_parts_in_both_languages() -> None:
    for name, entry in lera.phrases()["problems"].items():
        for part in ("listen", "resolve", "team", "fix"):
            assert set(entry[part]) == {"en", "zh"}, (name, part)
        if name in lera.HAZARDS:
            assert set(entry["safe_step"]) == {"en", "zh"}, name


def test_opening_only_for_upset_customers_with_a_problem_to_say_back() -> None:
    calm = CustomerMessage(
        text="x", intent="track_order", confidence=0.9, language="zh", problem="late_delivery"
    )
    assert lera.opening(calm, lera.Picker()) is None
    upset = CustomerMessage(
        text="x",
        intent="track_order",
        confidence=0.9,
        language="zh",
        emotion="frustration",
        level="mild",
    )
    assert lera.opening(upset, lera.Picker()) is None  # no filler before the answer
    late = CustomerMessage(**{**upset.__dict__, "problem": "late_delivery"})
    assert "还没送到" in str(lera.opening(late, lera.Picker()))


def test_a_reported_problem_of_unclear_kind_is_said_back_by_its_category() -> None:
    m = complaint(category="billing", emotion="anger", level="mild")
    said = reply(m)
    assert "what you were charged" in said and "billing error" in said and "billing team" in said


def test_costs_are_read_from_the_customers_words() -> None:
    assert details.amount("you took 459 yuan", "en") == "¥459"
    assert details.amount("扣了我 1,299元", "zh") == "¥1299"
    assert details.waited("waited for a week now", "en") == "a week"
    assert details.waited("都等了10天了", "zh") == "10天"
    assert details.contacts("4th time asking", "en") == "four times"
    assert details.contacts("这是第三次联系你们", "zh") == "三次"
    assert details.fire("the plug melted", "en") == "melted"
    assert details.fire("插头冒烟了", "zh") == "冒烟了"


def test_an_english_product_gets_its_article() -> None:
    m = complaint(problem="fire_hazard", product="electric kettle", cues=("safety",))
    assert "An electric kettle doing that" in lera.resolve(m)


def test_a_promise_or_a_month_is_not_a_wait() -> None:
    assert details.waited("you promised a reply within 48 hours", "en") is None
    assert details.waited("it's been ten days", "en") == "ten days"
    assert details.waited("三月份买的", "zh") is None
    assert details.waited("说好48小时内回复", "zh") is None
    assert details.waited("已经一个月了", "zh") == "一个月"


def test_a_routine_answer_opens_with_the_problem_said_back() -> None:
    m = CustomerMessage(
        text="ugh where is my parcel",
        intent="track_order",
        confidence=0.9,
        language="en",
        emotion="frustration",
        level="mild",
        problem="late_delivery",
    )
    said = lera.opening(m, lera.Picker())
    assert said is not None and "your order still hasn't reached you" in said


def test_anger_the_learned_signal_heard_is_named() -> None:
    sarcasm = complaint(signal_reason="anger", signal_confidence=0.85)
    assert lera.feeling(sarcasm) == "anger.strong"
