"""LERA replies: Listen, Empathize, Resolve, Action.

Listen says back what this customer said (their product, their problem, or their own words);
Empathize names the feeling at its strength; Resolve states the real problem; Action says what
happens next. Variations come from lera_phrases.yml; a variation used recently in this
conversation is not used again, so the bot never says the same thing twice in a row.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.escalation import Outcome, is_specific
from actions.message import CustomerMessage

PHRASES_FILE = Path(__file__).with_name("lera_phrases.yml")
RECENT_LIMIT = 24
QUOTE_LIMIT = 90

_EN_SWAPS = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "im": "you're",
    "i've": "you've",
    "i'll": "you'll",
    "i'd": "you'd",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "we're": "you're",
}
_EN_BE = re.compile(r"\b(?:I|we)\s+(am|was|are|were)\b", re.IGNORECASE)
_BE = {"am": "are", "was": "were", "are": "are", "were": "were"}
_EN_WORD = re.compile(r"[A-Za-z']+")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*")


@lru_cache
def phrases() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))
    return data


class Picker:
    """Picks variations, avoiding those used recently (kept in the `lera_recent` slot)."""

    def __init__(self, recent: list[str] | None = None, rng: random.Random | None = None) -> None:
        self._recent = list(recent or [])
        self._rng = rng or random.Random()

    @property
    def recent(self) -> list[str]:
        return self._recent[-RECENT_LIMIT:]

    def pick(self, key: str, options: list[str]) -> str:
        """A variation not used recently; when all were, the one used longest ago."""
        last_used = {i: -1 for i in range(len(options))}
        for position, used in enumerate(self._recent):
            name, _, index = used.rpartition("#")
            if name == key and index.isdigit() and int(index) in last_used:
                last_used[int(index)] = position
        fresh = [i for i, position in last_used.items() if position < 0]
        choice = self._rng.choice(fresh) if fresh else min(last_used, key=last_used.__getitem__)
        self._recent.append(f"{key}#{choice}")
        return options[choice]


def reflect(text: str, language: str) -> str:
    """The customer's first sentence, turned to speak to them ("my kettle" -> "your kettle")."""
    first = next((s for s in _SENTENCE_END.split(text.strip()) if s.strip()), text).strip()
    first = first.rstrip(".!?。！？ ")
    if len(first) > QUOTE_LIMIT:
        first = first[:QUOTE_LIMIT].rsplit(" ", 1)[0] + "…"
    if language == "zh":
        return first.replace("我们", "你们").replace("我", "您")

    def swap(m: re.Match[str]) -> str:
        return _EN_SWAPS.get(m.group(0).lower(), m.group(0))

    first = _EN_BE.sub(lambda m: "you " + _BE[m.group(1).lower()], first)
    first = _EN_WORD.sub(swap, first)
    return first[:1].lower() + first[1:] if first[:2] != "I " else first


def _join(parts: list[str], language: str) -> str:
    return ("" if language == "zh" else " ").join(p for p in parts if p)


def listen(message: CustomerMessage, picker: Picker) -> str:
    bank, lang = phrases(), message.language
    product = message.product or bank["default_product"][lang]
    if message.problem and message.problem in bank["problems"]:
        clause = bank["problems"][message.problem][lang].format(product=product)
        return picker.pick(f"listen.clause.{lang}", bank["listen"]["clause"][lang]).format(
            clause=clause
        )
    if message.intent == "complaint" and not is_specific(message):
        return picker.pick(f"listen.request.{lang}", bank["listen"]["request"][lang])
    template = picker.pick(f"listen.quote.{lang}", bank["listen"]["quote"][lang])
    return template.format(quote=reflect(message.text, lang))


def empathize(message: CustomerMessage, picker: Picker) -> str:
    bank, lang = phrases()["empathize"], message.language
    if message.emotion in bank and message.level in ("mild", "strong"):
        options = bank[message.emotion][message.level][lang]
        return picker.pick(f"empathize.{message.emotion}.{message.level}.{lang}", options)
    return picker.pick(f"empathize.calm.{lang}", bank["calm"][lang])


def resolve(message: CustomerMessage, picker: Picker) -> str:
    bank, lang = phrases(), message.language
    category = message.category if message.category in bank["issues"] else "general"
    product = message.product or bank["default_product"][lang]
    issue = bank["issues"][category][lang].format(product=product)
    return picker.pick(f"resolve.{lang}", bank["resolve"][lang]).format(issue=issue)


def action(outcome: Outcome, language: str, picker: Picker) -> str:
    step = {Outcome.TICKET: "ticket", Outcome.HUMAN: "human", Outcome.BOT: "details"}[outcome]
    return picker.pick(f"action.{step}.{language}", phrases()["action"][step][language])


def compose(message: CustomerMessage, outcome: Outcome, specific: bool, picker: Picker) -> str:
    """The LERA reply to a complaint or an upset message."""
    parts = [listen(message, picker), empathize(message, picker)]
    if specific:
        parts.append(resolve(message, picker))
    parts.append(action(outcome, message.language, picker))
    return _join(parts, message.language)


def opening(message: CustomerMessage, picker: Picker) -> str | None:
    """A short empathetic opening before a routine answer, for a mildly upset customer."""
    bank = phrases()["opening"]
    if message.emotion not in bank:
        return None
    lang = message.language
    return picker.pick(f"opening.{message.emotion}.{lang}", bank[message.emotion][lang])
