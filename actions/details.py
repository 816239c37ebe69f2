"""What a complaint cost the customer, read from their own words: the amount of money, how long
they have waited, how many times they have had to write — and, for a fire hazard, what the
product actually did (sparked, smoked, melted). The LERA reply's Listen says these back."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER_WORDS = (
    "a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|a couple of"
)
_AMOUNT_EN = re.compile(
    r"(?:[¥￥]|\brmb\s?|\bcny\s?)\s?(\d[\d,]*(?:\.\d+)?)|\b(\d[\d,]*(?:\.\d+)?)\s?(?:yuan|rmb|kuai)\b",
    re.IGNORECASE,
)
_AMOUNT_ZH = re.compile(r"[¥￥]\s?(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s?(?:元|块)")
# a duration counts as waited only after words that say so ("for 3 weeks", "been ten days")
_WAITED_EN = re.compile(
    r"\b(?:for|been|waited|waiting|since|already|over|after|taken|taking|now)\s+(?:about\s+|almost\s+|nearly\s+|over\s+)?"
    rf"(\d+|{_NUMBER_WORDS}|over a|almost a|nearly a|more than a)\s+"
    r"(hours?|days?|weeks?|months?)\b",
    re.IGNORECASE,
)
# "等了10天", "都两周了", "已经一个月" — not "三月" (March) or "48小时内" (a promise)
_WAITED_ZH = re.compile(
    r"(?:等了|已经|都|快|过了)\s*(\d+|[一二三四五六七八九十两几半]+)\s*(个月|个多月|小时|天|周|个星期|星期|礼拜)"
    r"|(\d+|[一二三四五六七八九十两几半]+)\s*(个月|个多月|小时|天|周|个星期|星期|礼拜)了"
)
_ORDINALS = {
    "second": "twice",
    "2nd": "twice",
    "third": "three times",
    "3rd": "three times",
    "fourth": "four times",
    "4th": "four times",
    "fifth": "five times",
    "5th": "five times",
}
_ORDINAL_EN = re.compile(r"\b(second|third|fourth|fifth|2nd|3rd|4th|5th)\s+time\b", re.IGNORECASE)
_TIMES_EN = re.compile(
    r"\b(\d+|two|three|four|five|six|several|many|multiple)\s+times\b|\b(twice)\b", re.IGNORECASE
)
_ORDINAL_ZH = re.compile(r"第\s*([二三四五六七八九十\d]+)\s*次")
_TIMES_ZH = re.compile(r"(\d+|[两三四五六七八九十几好]+)\s*次")
# what a product did that makes it a fire hazard, as said back
_FIRE_EN: tuple[tuple[str, str], ...] = (
    (r"caught fire|on fire|flames?|burst into", "caught fire"),
    (r"sparks?|sparked|sparking", "gave off sparks"),
    (r"smok(e|ed|ing)", "started smoking"),
    (r"melt(ed|ing)?", "melted"),
    (r"burning smell|smell(s|ed)? (of )?burning|smell(s|ed)? burnt", "gave off a burning smell"),
    (r"scorch|black(ened)?|burn marks?", "left scorch marks"),
    (r"swell|swollen|bulg|puffed", "swelled up"),
    (r"explod|bang|\bpop(ped)?\b|blew up", "went off with a bang"),
    (r"overheat|too hot|red hot|so hot", "overheated dangerously"),
)
_FIRE_ZH: tuple[tuple[str, str], ...] = (
    (r"着火|起火|冒火|火苗", "着火了"),
    (r"火花|打火", "冒火花了"),
    (r"冒烟|烟", "冒烟了"),
    (r"融化|熔化|烧化|化了", "烧化了"),
    (r"焦味|糊味|烧焦|焦糊", "有烧焦的味道"),
    (r"黑了|烧黑|熏黑", "烧黑了"),
    (r"鼓包|鼓起|胀", "鼓包了"),
    (r"爆炸|炸了|砰|爆了", "炸了"),
    (r"发烫|过热|烫得", "烫得很危险"),
)
FIRE_DEFAULT = {"en": "became dangerous to use", "zh": "出现了危险情况"}


@dataclass(frozen=True)
class Costs:
    amount: str | None = None  # "¥459"
    waited: str | None = None  # "three weeks", "10天"
    contacts: str | None = None  # "three times", "3次"


def amount(text: str, language: str) -> str | None:
    """The amount of money the message names — only when it names one (with two, which one
    was taken is not for a template to guess)."""
    pattern = _AMOUNT_ZH if language == "zh" else _AMOUNT_EN
    found = {(m.group(1) or m.group(2)).replace(",", "") for m in pattern.finditer(text)}
    return "¥" + found.pop() if len(found) == 1 else None


def waited(text: str, language: str) -> str | None:
    if language == "zh":
        match = _WAITED_ZH.search(text)
        if match is None:
            return None
        count, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        return f"{count}{unit}"
    match = _WAITED_EN.search(text)
    if match is None:
        return None
    count, unit = match.group(1).lower(), match.group(2).lower()
    if count in ("a", "an", "one"):
        return f"{'an' if unit.startswith('hour') else 'a'} {unit.rstrip('s')}"
    if count in ("over a", "almost a", "nearly a", "more than a"):
        return f"{count} {unit.rstrip('s')}"
    return f"{count} {unit if unit.endswith('s') else unit + 's'}"


def contacts(text: str, language: str) -> str | None:
    if language == "zh":
        match = _ORDINAL_ZH.search(text) or _TIMES_ZH.search(text)
        if match is None:
            return None
        count = match.group(1)
        return "好几次" if count in ("几", "好") else f"{count}次"
    ordinal = _ORDINAL_EN.search(text)
    if ordinal:
        return _ORDINALS[ordinal.group(1).lower()]
    times = _TIMES_EN.search(text)
    if times is None:
        return None
    return "twice" if times.group(2) else f"{times.group(1).lower()} times"


def costs(text: str, language: str) -> Costs:
    return Costs(amount(text, language), waited(text, language), contacts(text, language))


def fire(text: str, language: str) -> str:
    """What the product did, said back ("gave off sparks", "冒烟了")."""
    table = _FIRE_ZH if language == "zh" else _FIRE_EN
    lowered = text.lower()
    for pattern, said in table:
        if re.search(pattern, lowered):
            return said
    return FIRE_DEFAULT["zh" if language == "zh" else "en"]
