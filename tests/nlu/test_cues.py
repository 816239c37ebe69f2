"""The message analyser (nlu/cues.py) on messages a shop really gets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu.cues import Analysis, Lexicon, analyse, detect_language

LEXICON = Lexicon(yaml.safe_load(Path("nlu/lexicon.yml").read_text(encoding="utf-8")))


def read(text: str) -> Analysis:
    return analyse(text, LEXICON)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("where is my parcel", "en"),
        ("快递几天到？", "zh"),
        ("我的order到了吗", "zh"),
        ("123456789", None),
        ("ok", "en"),
    ],
)
def test_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_order_numbers_emails_and_ticket_numbers_are_entities() -> None:
    found = {
        (e.entity, e.value)
        for e in read("order #100482931, mail ann.lee@example.com, ticket #58").entities
    }
    assert found == {
        ("order_number", "100482931"),
        ("email", "ann.lee@example.com"),
        ("ticket_number", "58"),
    }


def test_long_chinese_order_numbers_but_not_phone_numbers() -> None:
    found = {
        (e.entity, e.value) for e in read("订单号2024113012345678901，电话138-1234-5678").entities
    }
    assert found == {("order_number", "2024113012345678901")}


def test_entity_spans_point_at_the_value() -> None:
    text = "what about my complaint #123?"
    [ticket] = read(text).entities
    assert text[ticket.start : ticket.end] == "123"


def test_strong_anger_with_shouting_and_swearing() -> None:
    result = read("This is RIDICULOUS!!! You useless scammers, I want my money back NOW")
    assert (result.emotion, result.intensity_level) == ("anger", "strong")


def test_mild_frustration_on_a_routine_question() -> None:
    result = read("ugh, where is my parcel? it's been four days")
    assert (result.emotion, result.intensity_level) == ("frustration", "mild")
    assert result.cues == []


def test_disappointment_in_chinese() -> None:
    assert read("收到的杯子和图片不一样，有点失望").emotion == "disappointment"


def test_negation_cancels_a_cue() -> None:
    assert read("I'm not angry, just asking when it ships").emotion is None


@pytest.mark.parametrize(
    "text",
    [
        "is this heater a fire risk?",
        "my lawyer recommended your shop",
        "你们的投诉电话是多少",
        "这个会不会漏电？",
    ],
)
def test_alarming_words_used_harmlessly(text: str) -> None:
    result = read(text)
    assert result.cues == [] and result.emotion is None


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("the charger caught fire on my desk", "safety"),
        ("充电宝冒烟了，差点烫伤孩子", "safety"),
        ("you charged me twice for the same order", "money_lost"),
        ("I'll take you to court over this", "legal_threat"),
        ("再不处理我就去12315投诉", "legal_threat"),
        ("I'm going to post this on twitter so everyone knows", "media_threat"),
        ("this is the third time I'm writing about the same kettle", "repeat_contact"),
    ],
)
def test_severity_cues(text: str, cue: str) -> None:
    assert cue in read(text).cues


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("the blender jug cracked after two uses", "product_quality"),
        ("the courier left my parcel in the rain and it never arrived", "logistics"),
        ("I was charged twice for one order", "billing"),
        ("客服态度太差了，直接挂我电话", "service_attitude"),
        ("退货申请提交两周了还没人处理退款", "after_sales"),
        ("a 15% restocking fee is unfair", "policy"),
    ],
)
def test_complaint_category(text: str, category: str) -> None:
    assert read(text).category == category


def test_product_and_problem_in_the_customers_words() -> None:
    result = read("My new Kettle leaks all over the counter")
    assert (result.product, result.product_key, result.problem) == ("Kettle", "kettle", "leaking")
