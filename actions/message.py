"""What the NLU read from the customer's latest message, as typed values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

from rasa_sdk import Tracker


class AnalysisDict(TypedDict, total=False):
    """The `analysis` block nlu/analysis.py adds to the parse data."""

    language: str | None
    emotion: str | None
    intensity: float
    intensity_level: str
    category: str | None
    cues: list[str]
    product: str | None
    product_key: str | None
    problem: str | None
    problem_category: str | None


QUESTION = re.compile(r"[?？]|[吗呢][。.!！~～]?\s*$")
DETAIL_WORDS = 8
DETAIL_CHARS_ZH = 16
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class CustomerMessage:
    text: str
    intent: str | None
    confidence: float
    language: str
    emotion: str | None = None
    intensity: float = 0.0
    level: str = "none"
    category: str | None = None
    cues: tuple[str, ...] = ()
    product: str | None = None
    problem: str | None = None
    ranking: tuple[tuple[str, float], ...] = field(default_factory=tuple)
    # False when the NLU was not sure of any intent: `intent` is then only its best guess
    sure: bool = True

    @property
    def upset(self) -> bool:
        return self.emotion is not None

    @property
    def question(self) -> bool:
        """Asks something ("?", "？", or a Chinese sentence ending in 吗/呢)."""
        return bool(QUESTION.search(self.text))

    @property
    def detailed(self) -> bool:
        """Long enough to describe a problem (8+ words; 16+ characters in Chinese)."""
        if self.language == "zh":
            return len(self.text.strip()) >= DETAIL_CHARS_ZH
        return len(self.text.split()) >= DETAIL_WORDS


def _language(analysis: AnalysisDict, tracker: Tracker) -> str:
    lang = analysis.get("language") or tracker.get_slot("language")
    return "zh" if lang == "zh" else "en"


def parse(latest: dict[str, Any], tracker: Tracker) -> CustomerMessage:
    """Builds a CustomerMessage from a parse-data dict (the latest or an earlier message)."""
    analysis = cast(AnalysisDict, latest.get("analysis") or {})
    intent = latest.get("intent") or {}
    ranking = tuple(
        (str(r.get("name")), float(r.get("confidence") or 0.0))
        for r in latest.get("intent_ranking") or []
    )
    name = intent.get("name")
    sure = name != FALLBACK_INTENT
    if not sure:
        name = next((n for n, _ in ranking if n != FALLBACK_INTENT), None)
    return CustomerMessage(
        text=str(latest.get("text") or ""),
        intent=name,
        confidence=float(intent.get("confidence") or 0.0),
        language=_language(analysis, tracker),
        emotion=analysis.get("emotion"),
        intensity=float(analysis.get("intensity") or 0.0),
        level=analysis.get("intensity_level") or "none",
        category=analysis.get("category"),
        cues=tuple(analysis.get("cues") or ()),
        product=analysis.get("product"),
        problem=analysis.get("problem"),
        ranking=ranking,
        sure=sure,
    )


def latest(tracker: Tracker) -> CustomerMessage:
    return parse(tracker.latest_message or {}, tracker)


def earlier_messages(tracker: Tracker) -> list[CustomerMessage]:
    """The customer's messages before the latest one, oldest first."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return [parse(e.get("parse_data") or {**e, "text": e.get("text")}, tracker) for e in users[:-1]]


def language(tracker: Tracker) -> str:
    return latest(tracker).language
