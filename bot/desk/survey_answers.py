"""A customer's typed answer to a satisfaction-survey question (tapped buttons are handled
elsewhere): a 1–5 satisfaction score, a 0–10 likelihood to recommend, yes/no to "was your
problem solved?", and declining the optional comment. Pure functions, standard library only.

Text is normalised first: NFKC ("５" is "5", "／" is "/", "？" is "?"), lower case, straight
apostrophes; punctuation and emoji (but stars) never matter.

* Not an answer → None: a question (opening with how/what/why …; with "?" and opening with
  is/can/do … or four words or more; with 吗, 什么, 怎么, 多久 …; "5?" is still a 5). A message
  of more than 8 words (in Chinese two characters make a word) is read only for an explicit
  score: a scale ("3 out of 5"), a unit ("4 stars", "4星", "5分"), stars, or a number opening
  it before punctuation ("4 - the agent was …"); a bare number or a sentiment word in a long
  message is a new message for the desk (a complaint), not an answer.
* Numbers: digits anywhere in a short message; number words ("five", "五") only alone or with a
  unit or scale ("four stars", "五星", "ten out of ten"), so "no one helped" and "一般" are no 1.
  A number measuring something else is no score ("5 minutes", "3 days", "5分钟", "#3", "$5").
  Two different numbers ("3 or 4") or one out of range ("7", "0", "-1", "7 stars") → None, with
  no falling back to words. Decimals round half up ("3.5 stars" → 4).
* CSAT scales: n/5 as is; n/10 halved, rounded half up (8/10 → 4, 7/10 → 4), 0/10 and 1/10 → 1;
  any other scale → None. Filled stars ★ ⭐ 🌟 are counted (★★★★☆ → 4); six or more → None.
* CSAT words: a small table per language (excellent 5, good 4, ok 3, bad 2, terrible 1; 满意 4,
  一般 3, 差 2 …) and two general modifiers, applied from the word outwards within its clause:
  an intensifier (very, really, so, too, 很, 非常, 十分, 太 …) pushes away from 3 (4 → 5, 2 → 1);
  a negation (not, n't, no, never, 不, 没, 不是 …) lands just across 3, never at an extreme: a
  positive or neutral word gives 2 ("not good", "not ok", "不满意"), a negative one 3. So
  "not bad" → 3 (faint praise, not a compliment), "not very good" → 2, "很不满意" → 1,
  "不太满意" → 2. "不错" is its own word (4); a bare "好" counts only with a modifier ("很好" 5,
  "挺好" 4, "不好" 2), as "好的" is an acknowledgement; "not really" alone is 2. Several words
  are averaged, rounded half up ("ok but not great" → 3). Numbers and stars beat words.
* NPS: digits 0–10, "n/10" and "n out of 10" (another scale → None), "9分", and zero…ten /
  零…十 alone or with 分. Every other word ("definitely") → None.
* Yes/no: doubt ("not sure", "maybe", 不知道, 不确定) → None; then any negation (no, not, n't,
  nope, nah, never, 没, 不, 否, 未) → False, beating a positive word ("not solved", "没解决",
  "yes but still not fixed"); then a positive one (yes, sure, solved, fixed, it was, all good,
  是的, 解决了, 好了, or 是/对/嗯 opening the message) → True; else None. "no problem" and
  "没问题" are a yes. A long message is judged on its first clause, if that is short.
* Skip: the whole message, less thanks/please/谢谢, emoji and punctuation, must be declining
  words ("no thanks", "nothing", "skip", "n/a", 没有, 没了, 不用了, 算了 …): "no, the agent was
  rude" is a comment, and "thanks" alone is not a skip.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

MAX_WORDS = 8
CJK = "\u4e00-\u9fff"
EN_NUMS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
ZH_NUMS = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}
STARS = "★⭐🌟"

_WORD = re.compile(rf"[a-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?|[{CJK}]")
_NUM = rf"\d+(?:\.\d+)?|(?:{'|'.join(EN_NUMS)})(?![a-z])|[{''.join(ZH_NUMS)}]"
_FROM = r"(?<![a-z\d.#$¥€£])"
_SCALED = re.compile(rf"{_FROM}({_NUM})\s*(?:/|out of|of)\s*({_NUM})")
_UNIT = re.compile(
    rf"{_FROM}({_NUM})\s*(?:(?:stars?|points?|pts)(?![a-z])|[{STARS}]|颗星|星(?!期)|分(?![{CJK}]))"
)
_OTHER = (
    r"%|percent|(?:minute|min|hour|hr|day|week|month|year|time|item|order|dollar|piece)s?(?![a-z])"
    r"|people|[ap]m(?![a-z])|rmb|usd|分钟|小时|天|周|个|件|块|元|号|点|岁|次|秒|月|年"
)
_BARE = re.compile(rf"{_FROM}(-?\d+(?:\.\d+)?)(?!\d|\.\d|\s*(?:{_OTHER}))")
_LEAD = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:[!.,:;\-—–]|$)")
_FILLERS = "a an i i'd id it it's its give gave would say rate rating solid maybe um uh hmm like "
_FILLER = frozenset(f"{_FILLERS}just the is was that's my score 吧 啊 呀 了 啦 哈 嗯 给 打".split())

_WH = re.compile(r"^(?:how|what|when|where|why|who|which)\b")
_AUX = re.compile(r"^(?:can|could|do|does|did|is|are|was|were|will|should|may|has|have)\b")
_ZH_QUESTION = re.compile(r"吗|怎么|什么|多久|多少|哪|是不是|能不能|可不可以|有没有")
_CLAUSE = re.compile(r"[,.;!?，。；！？、]|\bbut\b|但是?|不过")

INTENSE, NEGATE, PLAIN = "intense", "negate", "plain"
K = TypeVar("K")


def _each(groups: dict[K, str]) -> dict[str, K]:
    """A word table from {value: "word word …"}."""
    return {word: value for value, words in groups.items() for word in words.split(" ")}


EN_WORDS = _each(
    {
        5: "excellent amazing awesome perfect outstanding fantastic superb wonderful brilliant "
        "great best",
        4: "good satisfied happy nice pleased helpful",
        3: "ok okay average soso fine alright meh neutral decent",
        2: "bad poor unhappy unsatisfied dissatisfied disappointed disappointing mediocre "
        "unhelpful notreally",
        1: "terrible awful horrible worst useless pathetic rubbish garbage disgusting",
    }
)
EN_MODIFIERS = _each(
    {
        INTENSE: "very really so too extremely super totally absolutely incredibly truly highly "
        "completely most",
        NEGATE: "not no never hardly",
    }
)
_EN_PHRASES = (
    (re.compile(r"\bso[\s-]so\b"), "soso"),
    (re.compile(r"\bnot really\b(?!\s+[a-z])"), "notreally"),
)
ZH_WORDS = _each(
    {
        5: "棒 完美 满分",
        4: "满意 不错 好",
        3: "一般 还行 还可以 可以 还好 凑合 马马虎虎",
        2: "差 失望",
        1: "差劲 糟糕 垃圾",
    }
)
ZH_MODIFIERS = _each(
    {
        INTENSE: "很 非常 十分 特别 超级 超 太 真 最 极其 相当 好",
        PLAIN: "挺 蛮",
        NEGATE: "不 没 没有 不是 不算 不怎么",
    }
)
_ZH_WORD = re.compile("|".join(sorted(ZH_WORDS, key=len, reverse=True)))
_ZH_NOT_RATINGS = re.compile(r"不好意思|差不多|差点")

_DOUBT = re.compile(
    r"\b(?:not sure|unsure|(?:don't|dont|do not) know|dunno|maybe|partly|partially|kind of"
    r"|sort of)\b|不知道|不确定|不清楚|可能|部分"
)
_NO_PROBLEM = re.compile(
    r"\bno (?:problems?|issues?|worries)\b|\bnot an? (?:problem|issue)\b|没有?(?:问题|事)"
)
_NOT_NEGATIONS = re.compile(r"不错|不客气|不好意思|对不起")
_NO = re.compile(r"\b(?:no|nope|nah|not|never|nothing|unsolved|unresolved)\b|n't\b|没|不|否|未")
_YES = re.compile(
    r"\b(?:yes|yeah|yea|yep|yup|ya|sure|solved|resolved|fixed|correct|indeed|it (?:was|is|did|has)"
    r"|all good|works|working)\b|^(?:是|对|嗯)|是的|对的|解决|好了|可以了|行了|搞定"
)

_THANKS = re.compile(r"\b(?:thanks?(?: you)?|thx|ty|please|pls|sorry)\b|谢谢[你您]?|谢了|多谢|感谢")
_SKIP_WORD = (
    r"no|nope|nah|none|nothing(?: else| more| to add)?|skip|n/?a|not really|no comments?"
    r"|that'?s (?:all|it)|i'?m (?:good|fine)|all good"
    r"|没有?了?|没什么(?:要说的|了)?|无|不用了?|不需要了?|算了|跳过|没事了?|就这样"
)
_SKIP = re.compile(rf"(?:{_SKIP_WORD})(?:\s*(?:{_SKIP_WORD}))*")


def read_csat(text: str) -> int | None:
    """A 1–5 satisfaction score, or None if the message gives none (see the module's notes)."""
    t, words = _prepare(text)
    if not t or _is_question(t, words):
        return None
    gave, score = _number(t, words, 1, 5, _csat_scale)
    if gave:
        return score
    if stars := sum(t.count(star) for star in STARS):
        return stars if stars <= 5 else None
    return None if _length(words) > MAX_WORDS else _sentiment(t)


def read_nps(text: str) -> int | None:
    """A 0–10 likelihood to recommend: numbers and number words only, never other words."""
    t, words = _prepare(text)
    if not t or _is_question(t, words):
        return None
    return _number(t, words, 0, 10, lambda n, of: n if of == 10 and n <= of else None)[1]


def read_yes_no(text: str) -> bool | None:
    """Yes or no to "was your problem solved?"; a negation beats a positive word."""
    t, words = _prepare(text)
    if not t or _is_question(t, words):
        return None
    if _length(words) > MAX_WORDS:
        t = _CLAUSE.split(t, maxsplit=1)[0]
        if _length(_WORD.findall(t)) > MAX_WORDS:
            return None
    if _DOUBT.search(t):
        return None
    t = _NOT_NEGATIONS.sub(" ", _NO_PROBLEM.sub(" yes ", t))
    if _NO.search(t):
        return False
    return True if _YES.search(t.strip()) else None


def read_skip(text: str) -> bool:
    """Whether the message only declines the optional comment ("no thanks", "没有")."""
    t = _THANKS.sub(" ", _norm(text))
    t = re.sub(rf"[^a-z'/{CJK}]+", " ", t).strip()
    t = re.sub(r"[啊呀吧啦哈呢的]+$", "", t).strip()
    return bool(t) and _SKIP.fullmatch(t) is not None


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    return " ".join(t.split())


def _prepare(text: str) -> tuple[str, list[str]]:
    t = _norm(text)
    return t, _WORD.findall(t)


def _length(words: list[str]) -> int:
    cjk = sum(1 for w in words if re.fullmatch(f"[{CJK}]", w))
    return len(words) - cjk + math.ceil(cjk / 2)


def _is_question(t: str, words: list[str]) -> bool:
    if _WH.match(t) or _ZH_QUESTION.search(t):
        return True
    return "?" in t and (_AUX.match(t) is not None or _length(words) >= 4)


def _value(number: str) -> float:
    if number[0].isdigit():
        return float(number)
    return float(ZH_NUMS[number] if number in ZH_NUMS else EN_NUMS.index(number))


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _csat_scale(n: float, of: float) -> float | None:
    if n > of:
        return None
    return n if of == 5 else max(n / 2, 1) if of == 10 else None


def _number(
    t: str, words: list[str], low: int, high: int, scale: Callable[[float, float], float | None]
) -> tuple[bool, int | None]:
    """Whether the message gives a number, and the score if it gives exactly one in range."""
    found = [scale(_value(n), _value(of)) for n, of in _SCALED.findall(t)]
    rest = _SCALED.sub(" ", t)
    found += [_value(n) for n in _UNIT.findall(rest)]
    if not found and _length(words) > MAX_WORDS:
        found = [float(m[1])] if (m := _LEAD.match(rest)) else []
    elif not found:
        found = [float(n) for n in _BARE.findall(rest)]
        core = [w for w in words if w not in _FILLER]
        if len(core) == 1 and (core[0] in EN_NUMS or core[0] in ZH_NUMS):
            found.append(_value(core[0]))
    scores = {None if v is None else _half_up(v) for v in found}
    if not scores:
        return False, None
    score = scores.pop() if len(scores) == 1 else None
    return True, score if score is not None and low <= score <= high else None


def _sentiment(t: str) -> int | None:
    t = _ZH_NOT_RATINGS.sub(" ", t)
    scores = [s for clause in _CLAUSE.split(t) for s in _en_scores(clause) + _zh_scores(clause)]
    return _half_up(sum(scores) / len(scores)) if scores else None


def _en_scores(clause: str) -> list[int]:
    for pattern, word in _EN_PHRASES:
        clause = pattern.sub(word, clause)
    words = re.findall(r"[a-z]+(?:'[a-z]+)?", clause)
    scores = []
    for i, word in enumerate(words):
        if word not in EN_WORDS:
            continue
        modifiers = []
        for before in reversed(words[max(0, i - 3) : i]):
            if before in EN_WORDS:
                break
            kind = NEGATE if before.endswith("n't") else EN_MODIFIERS.get(before)
            if kind:
                modifiers.append(kind)
        scores.append(_modify(EN_WORDS[word], modifiers))
    return scores


def _zh_scores(clause: str) -> list[int]:
    scores = []
    for match in _ZH_WORD.finditer(clause):
        at, modifiers = match.start(), []
        while found := next((m for m in ZH_MODIFIERS if clause.endswith(m, 0, at)), None):
            modifiers.append(ZH_MODIFIERS[found])
            at -= len(found)
        if match[0] != "好" or modifiers:
            scores.append(_modify(ZH_WORDS[match[0]], modifiers))
    return scores


def _modify(score: int, modifiers: list[str]) -> int:
    """Apply modifiers nearest first: an intensifier pushes away from 3, a negation lands just
    across it (a positive or neutral score becomes 2, a negative one 3)."""
    for kind in modifiers:
        if kind == INTENSE:
            score = 5 if score > 3 else 1 if score < 3 else 3
        elif kind == NEGATE:
            score = 2 if score >= 3 else 3
    return score
