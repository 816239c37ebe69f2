from __future__ import annotations

import random

from actions import lera
from actions.escalation import Outcome
from actions.message import CustomerMessage


def complaint(language: str = "en", **kw: object) -> CustomerMessage:
    base: dict[str, object] = {
        "text": "x",
        "intent": "complaint",
        "confidence": 0.9,
        "language": language,
    }
    return CustomerMessage(**{**base, **kw})  # type: ignore[arg-type]


def test_listen_says_back_the_customers_product_and_problem() -> None:
    m = complaint(product="blender", problem="damaged", category="product_quality")
    reply = lera.compose(m, Outcome.TICKET, True, lera.Picker())
    assert "your blender arrived damaged" in reply


def test_listen_in_chinese_uses_the_customers_word() -> None:
    m = complaint("zh", product="破壁机", problem="not_working", category="product_quality")
    reply = lera.compose(m, Outcome.TICKET, True, lera.Picker())
    assert "您的破壁机用不了" in reply


def test_listen_without_a_known_problem_reflects_their_words() -> None:
    m = complaint(text="My order was meant for my mum's birthday and I'm gutted. Help!")
    said = "your order was meant for your mum's birthday and you're gutted"
    assert said in lera.listen(m, lera.Picker())


def test_empathize_names_the_feeling_at_its_strength() -> None:
    bank = lera.phrases()["empathize"]
    for emotion in ("anger", "frustration", "disappointment"):
        for level in ("mild", "strong"):
            m = complaint(emotion=emotion, level=level)
            assert lera.empathize(m, lera.Picker()) in bank[emotion][level]["en"]
    assert lera.empathize(complaint(), lera.Picker()) in bank["calm"]["en"]


def test_every_part_is_present_and_action_matches_the_outcome() -> None:
    m = complaint(
        product="kettle",
        problem="leaking",
        category="product_quality",
        emotion="anger",
        level="strong",
    )
    picker = lera.Picker(rng=random.Random(1))
    reply = lera.compose(m, Outcome.HUMAN, True, picker)
    keys = [k.rsplit("#", 1)[0] for k in picker.recent]
    assert keys == [
        "listen.clause.en",
        "empathize.anger.strong.en",
        "resolve.en",
        "action.human.en",
    ]
    assert "kettle" in reply


def test_never_the_same_reply_twice_in_a_row() -> None:
    m = complaint(
        product="kettle",
        problem="leaking",
        category="product_quality",
        emotion="frustration",
        level="mild",
    )
    recent: list[str] = []
    previous = None
    for seed in range(30):
        picker = lera.Picker(recent, rng=random.Random(seed))
        reply = lera.compose(m, Outcome.TICKET, True, picker)
        assert reply != previous
        previous, recent = reply, picker.recent


def test_opening_only_for_upset_customers() -> None:
    calm = CustomerMessage(text="x", intent="track_order", confidence=0.9, language="zh")
    assert lera.opening(calm, lera.Picker()) is None
    upset = CustomerMessage(
        text="x",
        intent="track_order",
        confidence=0.9,
        language="zh",
        emotion="frustration",
        level="mild",
    )
    assert lera.opening(upset, lera.Picker()) in lera.phrases()["opening"]["frustration"]["zh"]


def test_reflect_turns_first_person_into_second_person() -> None:
    assert (
        lera.reflect("I think my kettle is broken. Also...", "en")
        == "you think your kettle is broken"
    )
    assert lera.reflect("我的水壶坏了！", "zh") == "您的水壶坏了"
