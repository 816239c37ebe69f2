"""Reading typed survey answers: a 1–5 score, a 0–10 score, yes/no and "no comment", in English
and Chinese, and the messages that are no answer at all."""

from __future__ import annotations

import pytest

from bot.desk.survey_answers import read_csat, read_nps, read_skip, read_yes_no


@pytest.mark.parametrize(
    ("text", "score"),
    [
        # numbers, scales, units, stars
        ("5", 5),
        ("4 stars", 4),
        ("4/5", 4),
        ("3 out of 5", 3),
        ("five", 5),
        ("a five", 5),
        ("four stars", 4),
        ("ten out of ten", 5),
        ("⭐⭐⭐⭐", 4),
        ("⭐️⭐️⭐️⭐️⭐️", 5),
        ("★★★★☆", 4),
        ("5 ⭐", 5),
        ("５", 5),
        ("４／５", 4),
        ("五星", 5),
        ("五星好评", 5),
        ("给一星", 1),
        ("4星", 4),
        ("四分", 4),
        ("5分", 5),
        ("8/10", 4),
        ("7/10", 4),
        ("9/10", 5),
        ("1/10", 1),
        ("3.5 stars", 4),
        # punctuation, emoji, surrounding words
        ("5!", 5),
        ("5 😀", 5),
        ("It's a 4.", 4),
        ("  I'd give it a 4  ", 4),
        ("4?", 4),
        ("waited 5 minutes, but good", 4),
        ("4 - the agent was quick, polite and solved everything for me", 4),
        ("The agent was slow but polite, I'd give it 3 out of 5 overall", 3),
        # Chinese words
        ("很满意", 5),
        ("非常满意", 5),
        ("十分满意", 5),
        ("满意", 4),
        ("一般", 3),
        ("还行吧", 3),
        ("还可以", 3),
        ("不满意", 2),
        ("不太满意", 2),
        ("很不满意", 1),
        ("非常不满意", 1),
        ("我对这次服务非常不满意", 1),
        ("太差了", 1),
        ("很差", 1),
        ("不错", 4),
        ("很不错", 5),
        ("挺好的", 4),
        ("不好", 2),
        ("不好意思，还行吧", 3),
        # English words and negation
        ("Excellent!!!", 5),
        ("amazing", 5),
        ("very satisfied", 5),
        ("good", 4),
        ("satisfied", 4),
        ("HAPPY", 4),
        ("ok", 3),
        ("Okay.", 3),
        ("average", 3),
        ("so-so", 3),
        ("bad", 2),
        ("poor", 2),
        ("unhappy", 2),
        ("not satisfied", 2),
        ("not really", 2),
        ("terrible", 1),
        ("awful", 1),
        ("horrible", 1),
        ("very bad", 1),
        ("worst", 1),
        ("the worst service ever", 1),
        ("not good", 2),
        ("not bad", 3),
        ("not too bad", 3),
        ("wasn't very good", 2),
        ("not the worst", 3),
        ("ok but not great", 3),
    ],
)
def test_csat_reads_a_score(text: str, score: int) -> None:
    assert read_csat(text) == score


@pytest.mark.parametrize(
    "text",
    [
        "7",
        "0",
        "-1",
        "7 stars",
        "⭐⭐⭐⭐⭐⭐",
        "3/4",
        "3 or 4",
        "How long does shipping take?",
        "Is 4 ok?",
        "退货要多久？",
        "I waited three days and nobody answered any of my emails at all",
        "我等了三天都没有人回复我的消息，你们的客服实在是太差了",
        "no one helped me",
        "等了5分钟",
        "order #3",
        "好的",
        "yes",
        "no",
        "thanks",
        "😀",
        "",
        "   ",
    ],
)
def test_csat_gives_none_for_what_is_no_score(text: str) -> None:
    assert read_csat(text) is None


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("9", 9),
        ("10/10", 10),
        ("０", 0),
        ("0/10", 0),
        ("十", 10),
        ("九分", 9),
        ("十分", 10),
        ("8分", 8),
        ("8 out of 10", 8),
        ("zero", 0),
        ("Ten!", 10),
        ("I'd say 8", 8),
        ("9 😀", 9),
        ("八吧", 8),
    ],
)
def test_nps_reads_a_score(text: str, score: int) -> None:
    assert read_nps(text) == score


@pytest.mark.parametrize(
    "text",
    [
        "definitely",
        "11",
        "100",
        "-1",
        "4/5",
        "7 or 8",
        "十分满意",
        "一般",
        "waited 10 minutes",
        "How do I get a refund?",
        "Probably a 9, the agent was really helpful and kind to me",
    ],
)
def test_nps_gives_none_for_words_and_what_is_no_score(text: str) -> None:
    assert read_nps(text) is None


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("yes", True),
        ("Yeah!", True),
        ("yep", True),
        ("sure", True),
        ("it was", True),
        ("solved", True),
        ("all good", True),
        ("fixed 👍", True),
        ("no problem", True),
        ("Yes, thank you so much, the agent was really helpful and quick", True),
        ("是", True),
        ("是的", True),
        ("解决了", True),
        ("已解决", True),
        ("好了", True),
        ("对，解决了", True),
        ("没问题", True),
        ("no", False),
        ("nope", False),
        ("not really", False),
        ("not yet", False),
        ("still not", False),
        ("nah", False),
        ("not solved", False),
        ("It wasn't", False),
        ("Yes but it's still not fixed", False),
        ("否", False),
        ("没有", False),
        ("没解决", False),
        ("没有解决", False),
        ("还没", False),
        ("还没好", False),
        ("不是", False),
        ("未解决", False),
    ],
)
def test_yes_no_reads_an_answer(text: str, answer: bool) -> None:
    assert read_yes_no(text) is answer


@pytest.mark.parametrize(
    "text",
    [
        "not sure",
        "maybe",
        "不知道",
        "thanks",
        "ok",
        "好的",
        "Is it solved?",
        "I have been waiting for three days and it is still not fixed at all",
        "",
    ],
)
def test_yes_no_gives_none_when_it_is_no_answer(text: str) -> None:
    assert read_yes_no(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "No thanks!",
        "nothing",
        "Nothing else, thank you",
        "skip",
        "n/a",
        "N/A.",
        "none",
        "nope 😀",
        "that's all",
        "没有",
        "没有啦",
        "不用了",
        "不用了，谢谢",
        "没了",
        "算了",
        "没什么",
    ],
)
def test_skip_reads_a_declined_comment(text: str) -> None:
    assert read_skip(text) is True


@pytest.mark.parametrize(
    "text",
    ["no, the agent was rude", "The agent was great", "thanks", "", "It was slow", "等太久了"],
)
def test_skip_is_false_for_a_comment(text: str) -> None:
    assert read_skip(text) is False
