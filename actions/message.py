"""What the NLU read from the customer's latest message, as typed values."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypedDict, cast

from rasa_sdk import Tracker

from nlu.cues import is_question, laughs, worries


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
    problem_guess: str | None
    problem_category: str | None
    requests_person: bool
    declines_person: bool
    declines_offer: bool
    hypothetical: bool
    settled: bool
    rejects_answer: bool
    asks_manager: bool
    blames_bot: bool
    signal: str | None
    signal_reason: str | None
    signal_confidence: float


DETAIL_WORDS = 10
DETAIL_CHARS_ZH = 16
FALLBACK_INTENT = "nlu_fallback"
# intents that open a case or call a person, and how sure the NLU must be of them to act on
# them (below it they are a guess, asked about first; routine answers need only the
# FallbackClassifier's threshold)
ACTED_ON = frozenset({"complaint", "contact_human_agent"})
ACT_CONFIDENCE = 0.35


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
    # a likely problem the decision does not act on (nlu/problems.py), for the reply's words
    problem_guess: str | None = None
    ranking: tuple[tuple[str, float], ...] = field(default_factory=tuple)
    requests_person: bool = False  # "could a colleague of yours look at this"
    declines_person: bool = False  # "no need for an agent", "不用转人工"
    declines_offer: bool = False  # opens with "no", "不用"
    hypothetical: bool = False  # "会不会着火", "I was worried about burns": nothing happened
    settled: bool = False  # "never mind, found it", "那行吧，谢谢"
    rejects_answer: bool = False  # "that doesn't help at all", "说了等于没说"
    asks_manager: bool = False  # "I want your manager", "叫你们主管来"
    blames_bot: bool = False  # "this bot is useless", "机器人听不懂人话"
    # what nlu/signals.py learned to read: explicit_request, anger, severe, repeat_contact
    signal: str | None = None
    # its likeliest reason even when unsure, and how likely that reason is
    signal_reason: str | None = None
    signal_confidence: float = 0.0
    # False when the NLU was not sure of any intent: `intent` is then only its best guess
    sure: bool = True

    @property
    def wants_person(self) -> bool:
        """Asks for a person, in so many words, by intent or as the learned signal read it."""
        asked = (
            self.requests_person
            or self.asks_manager
            or (self.sure and self.intent == "contact_human_agent")
            or self.signal == "explicit_request"
        )
        return asked and not self.declines_person

    @property
    def wants_manager(self) -> bool:
        """Asks for a manager or a supervisor ("I want your manager", "叫你们主管来")."""
        return self.asks_manager and not self.declines_person

    @property
    def upset(self) -> bool:
        return self.emotion is not None

    @property
    def question(self) -> bool:
        """Asks something ("?", "？", a Chinese sentence ending in 吗/呢, or a Chinese question
        word such as 有没有, 怎么办, 哪里)."""
        return is_question(self.text)

    @property
    def laughs(self) -> bool:
        """Laughs ("哈哈", "lol", "😂"): "电费已经炸了哈哈" is a joke, not anger."""
        return laughs(self.text)

    @property
    def wonders(self) -> bool:
        """Worries or wonders what would happen ("what if it arrives smashed?", "万一坏了")."""
        return worries(self.text, self.language)

    @property
    def detailed(self) -> bool:
        """Long enough to describe a problem (10+ words; 16+ characters in Chinese)."""
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
    confidence = float(intent.get("confidence") or 0.0)
    # a complaint or a request for a person is acted on only when the NLU is fairly sure of it
    sure = name != FALLBACK_INTENT and not (name in ACTED_ON and confidence < ACT_CONFIDENCE)
    if name == FALLBACK_INTENT:
        name = next((n for n, _ in ranking if n != FALLBACK_INTENT), None)
    return CustomerMessage(
        text=str(latest.get("text") or ""),
        intent=name,
        confidence=confidence,
        language=_language(analysis, tracker),
        emotion=analysis.get("emotion"),
        intensity=float(analysis.get("intensity") or 0.0),
        level=analysis.get("intensity_level") or "none",
        category=analysis.get("category"),
        cues=tuple(analysis.get("cues") or ()),
        product=analysis.get("product"),
        problem=analysis.get("problem"),
        problem_guess=analysis.get("problem_guess"),
        requests_person=bool(analysis.get("requests_person")),
        declines_person=bool(analysis.get("declines_person")),
        declines_offer=bool(analysis.get("declines_offer")),
        hypothetical=bool(analysis.get("hypothetical")),
        settled=bool(analysis.get("settled")),
        rejects_answer=bool(analysis.get("rejects_answer")),
        asks_manager=bool(analysis.get("asks_manager")),
        blames_bot=bool(analysis.get("blames_bot")),
        signal=analysis.get("signal"),
        signal_reason=analysis.get("signal_reason"),
        signal_confidence=float(analysis.get("signal_confidence") or 0.0),
        ranking=ranking,
        sure=sure,
    )


def latest(tracker: Tracker) -> CustomerMessage:
    return parse(tracker.latest_message or {}, tracker)


def in_context(message: CustomerMessage, earlier: list[CustomerMessage]) -> CustomerMessage:
    """The latest message with what the conversation already said: a customer who told the
    problem two turns ago and now asks for a manager is still talking about that problem (its
    product, problem and category carry over; the words of the earlier turns count for what it
    cost them)."""
    told = next((m for m in reversed(earlier) if m.problem), None)
    if message.problem or told is None:
        return message
    return replace(
        message,
        problem=told.problem,
        product=message.product or told.product,
        category=told.category or message.category,
        text=f"{told.text}\n{message.text}",
    )


def case_message(tracker: Tracker) -> CustomerMessage:
    """The latest message in the light of the conversation (see in_context)."""
    return in_context(latest(tracker), earlier_messages(tracker))


def earlier_messages(tracker: Tracker) -> list[CustomerMessage]:
    """The customer's messages before the latest one, oldest first."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return [parse(e.get("parse_data") or {**e, "text": e.get("text")}, tracker) for e in users[:-1]]


def language(tracker: Tracker) -> str:
    return latest(tracker).language
