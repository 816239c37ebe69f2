"""The message analyser (nlu/cues.py) on messages a shop really gets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu.cues import Analysis, Lexicon, analyse, detect_language, unintelligible

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


@pytest.mark.parametrize(
    "text",
    [
        "does the air fryer basket get hot enough to burn you? I have small kids",
        "is the heater a fire risk if I leave it on overnight?",
        "这个水壶会漏水吗",
        "空气炸锅用久了会不会爆炸啊 家里有小孩",
    ],
)
def test_a_question_whether_something_could_happen_reports_nothing(text: str) -> None:
    result = read(text)
    assert result.cues == [] and result.problem is None


def test_a_question_after_a_report_keeps_the_report() -> None:
    assert read("水壶漏水了，能换吗").problem == "leaking"
    assert read("my kettle caught fire. can you refund it?").cues == ["safety"]


@pytest.mark.parametrize(
    "text", ["四口之家买哪款空气炸锅合适", "有卖垃圾袋吗", "do you sell trash cans?"]
)
def test_feelings_are_not_read_inside_product_names(text: str) -> None:
    assert read(text).emotion is None


def test_a_negation_does_not_reach_into_the_next_sentence() -> None:
    text = "the listing said induction compatible and it isn't. I'm sending this to a reporter"
    assert "media_threat" in read(text).cues


@pytest.mark.parametrize(
    ("text", "declines", "settled"),
    [
        ("不用转人工 我就问下能用支付宝吗", True, False),
        ("no need for a person, what's the return window?", True, False),
        ("I don't want to talk to a bot, get me a person", False, False),
        ("转人工", False, False),
        ("actually never mind, my husband picked up the parcel", False, True),
        ("哦原来在中转站，那行吧，谢谢", False, True),
        ("it's been a week and nothing", False, False),
    ],
)
def test_stances(text: str, declines: bool, settled: bool) -> None:
    result = read(text)
    assert (result.declines_person, result.settled) == (declines, settled)


VOCABULARY = frozenset(["where", "is", "my", "parcel", "ok", "yes", "a", "person", "refund"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xcvb nm", True),
        ("ghhhh k", True),
        ("嗯额呃", True),
        ("啊啊啊", True),
        ("sdfj 哦哦", True),
        ("wher is my parcl", False),  # typos around known words are still a message
        ("ok", False),
        ("嗯嗯", False),  # "yes" in Chinese chat
        ("哈哈", False),
        ("好的", False),
        ("100482931", False),
        ("😡😡", False),
    ],
)
def test_unintelligible_messages(text: str, expected: bool) -> None:
    assert unintelligible(text, VOCABULARY) is expected


def test_without_a_vocabulary_no_latin_message_is_called_unintelligible() -> None:
    assert unintelligible("xcvb nm", frozenset()) is False


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("could a colleague of yours take a look at this? the refund page errors out", True),
        ("算了 你帮我叫个真人客服吧 我想问批量采购的事", True),
        ("麻烦让你们同事帮我看下这个单好吗", True),
        ("no need to speak to a person", False),
        ("my brother works as a customer service agent", False),
    ],
)
def test_a_person_asked_for_in_so_many_words(text: str, asks: bool) -> None:
    assert read(text).requests_person is asks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("does the air fryer get hot enough to burn you?", True),
        ("good, my toddler grabs everything and I was worried about burns. thanks", True),
        ("电暖器倒了会自动断电吗 家里有猫 怕着火", True),
        ("这款充电宝过充会不会着火啊？", True),
        ("my kettle caught fire. can you refund it?", False),  # a request, not a hypothesis
        ("the kettle burned my hand", False),
        ("热油洒到我脚背上 起了水泡", False),
    ],
)
def test_hypothetical_messages(text: str, expected: bool) -> None:
    assert read(text).hypothetical is expected


@pytest.mark.parametrize(
    ("text", "rejects"),
    [
        ("说了等于没说", True),
        ("not ok with that answer at all", True),
        ("that answer doesn't help me at all", True),
        ("ok that helps, thanks", False),
        ("可以用支付宝吗", False),
    ],
)
def test_turning_the_answer_down(text: str, rejects: bool) -> None:
    assert read(text).rejects_answer is rejects


def test_laughing_at_oneself_is_not_upset_but_laughing_at_the_shop_still_is() -> None:
    assert read("刚下单就后悔了哈哈").emotion is None
    assert read("ugh where is my parcel lol").emotion is None
    assert read("haha you guys are useless").emotion == "anger"


@pytest.mark.parametrize(
    ("text", "manager"),
    [
        ("I want to speak to your manager right now", True),
        ("get me a supervisor please", True),
        ("叫你们经理出来", True),
        ("这事让你们主管来处理", True),
        ("the delivery manager told me to contact you", False),
        ("我是店长，想批量采购", False),
    ],
)
def test_asking_for_a_manager(text: str, manager: bool) -> None:
    assert read(text).asks_manager is manager


@pytest.mark.parametrize(
    ("text", "blames"),
    [
        ("this bot is useless, get me a human", True),
        ("talking to you is like talking to a brick wall", True),
        ("机器人根本听不懂人话", True),
        ("the blender is useless", False),
        ("你们的机器人客服挺好用的", False),
    ],
)
def test_saying_the_bot_is_no_help(text: str, blames: bool) -> None:
    assert read(text).blames_bot is blames


@pytest.mark.parametrize(
    "text",
    [
        "I'd like this escalated to someone senior please",
        "麻烦帮我转给你们上级处理吧",
        "你们负责人是谁？我要找个能做主的人说",
    ],
)
def test_asking_for_someone_senior(text: str) -> None:
    assert read(text).asks_manager
