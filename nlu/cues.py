"""Reads a customer message for what a good agent notices first.

Language, emotion and its strength, the complaint's category, severity cues (safety, money lost,
legal or media threat, repeat contact), the product and the problem — from a bilingual cue
lexicon (lexicon.yml), with negation ("not angry", "不生气") and amplifiers (intensifiers, "!!",
CAPITALS) taken into account — plus order numbers, ticket numbers and e-mail addresses.

Pure Python with no Rasa import: the Rasa component in analysis.py wraps it, and tests call it
directly.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

EMOTIONS = ("anger", "frustration", "disappointment")
# a tie between categories goes to the earlier one
CATEGORIES = (
    "product_quality",
    "logistics",
    "billing",
    "after_sales",
    "service_attitude",
    "policy",
)
CUES = ("safety", "money_lost", "legal_threat", "media_threat", "repeat_contact")
MILD, STRONG = 1.0, 3.0  # emotion score thresholds of the two strength levels

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
ORDER_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{9,12})(?![0-9])")
TICKET_NUMBER = re.compile(
    r"(?i)(?:(?:ticket|case|complaint|claim|request|工单|投诉|案件|单)\s*"
    r"(?:number|no\.?|num\.?|id|编号|号码|号)?\s*[:：#＃]?\s*|#\s?|＃|\bLD-?)(\d{1,6})(?![0-9])"
)
EXCLAIM = re.compile(r"[!！]{2,}")
CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    weight: float = 1.0


@dataclass
class Entity:
    entity: str
    value: str
    start: int
    end: int


@dataclass
class Analysis:
    language: str | None = None
    emotion: str | None = None
    intensity: float = 0.0  # 0..1
    intensity_level: str = "none"  # none | mild | strong
    category: str | None = None
    cues: list[str] = field(default_factory=list)
    product: str | None = None  # the customer's own word for it
    product_key: str | None = None
    problem: str | None = None
    problem_category: str | None = None
    entities: list[Entity] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("entities")
        return data


def detect_language(text: str) -> str | None:
    """zh when the message is written in Chinese characters, en when in Latin words."""
    cjk = len(CJK.findall(text))
    latin = len(LATIN_WORD.findall(text))
    if cjk >= 2 or (cjk == 1 and latin <= 3):
        return "zh"
    if latin:
        return "en"
    return None


class Lexicon:
    """Compiled cue patterns, one regular expression per (group, language, weight)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.emotion = {
            emotion: {
                lang: [(float(w), self._compile(lang, p)) for w, p in by_weight.items()]
                for lang, by_weight in raw["emotion"][emotion].items()
            }
            for emotion in EMOTIONS
        }
        self.category = self._by_lang(raw["category"])
        self.cues = self._by_lang(raw["cues"])
        self.products = self._by_lang(raw["products"])
        self.problems = self._by_lang({k: v for k, v in raw["problems"].items()})
        self.problem_category = {k: v["category"] for k, v in raw["problems"].items()}
        self.intensifiers = {
            lang: self._compile(lang, p) for lang, p in raw["intensifiers"].items()
        }
        self.negation = {
            "en": re.compile(
                r"\b(?:" + "|".join(raw["negations"]["en"]) + r")\b(?:\W+\w+){0,2}\W*$"
            ),
            "zh": re.compile("(?:" + "|".join(raw["negations"]["zh"]) + ")[^，。！？,.!?]{0,1}$"),
        }

    @staticmethod
    def _compile(lang: str, phrases: list[str]) -> re.Pattern[str]:
        body = "|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True))
        if lang == "en":
            return re.compile(rf"(?<![a-z0-9'])(?:{body})(?![a-z0-9])")
        return re.compile(body)

    def _by_lang(self, groups: dict[str, Any]) -> dict[str, dict[str, re.Pattern[str]]]:
        return {
            name: {lang: self._compile(lang, group[lang]) for lang in ("en", "zh") if lang in group}
            for name, group in groups.items()
        }

    def _negated(self, text: str, start: int, lang: str, match: str) -> bool:
        if lang == "en" and re.match(r"(?:not|no|never|n't|without)\b", match):
            return False
        if lang == "zh" and match[:1] in "不没别":
            return False
        return bool(self.negation[lang].search(text[max(0, start - 24) : start]))

    def spans(
        self, pattern: re.Pattern[str], text: str, lang: str, weight: float = 1.0
    ) -> list[Span]:
        return [
            Span(m.start(), m.end(), weight)
            for m in pattern.finditer(text)
            if m.end() > m.start() and not self._negated(text, m.start(), lang, m.group(0))
        ]


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Keeps the heaviest, then longest, of overlapping spans."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-s.weight, -(s.end - s.start), s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return kept


def _score(
    lexicon: Lexicon, groups: dict[str, dict[str, re.Pattern[str]]], text: str, lang: str
) -> dict[str, list[Span]]:
    found = {}
    for name, by_lang in groups.items():
        if lang in by_lang:
            spans = _non_overlapping(lexicon.spans(by_lang[lang], text, lang))
            if spans:
                found[name] = spans
    return found


def _entities(text: str) -> list[Entity]:
    entities = [Entity("email", m.group(0), m.start(), m.end()) for m in EMAIL.finditer(text)]
    taken = [(e.start, e.end) for e in entities]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for m in ORDER_NUMBER.finditer(text):
        if free(m.start(1), m.end(1)):
            entities.append(Entity("order_number", m.group(1), m.start(1), m.end(1)))
            taken.append((m.start(1), m.end(1)))
    for m in TICKET_NUMBER.finditer(text):
        if free(m.start(1), m.end(1)):
            entities.append(Entity("ticket_number", m.group(1), m.start(1), m.end(1)))
    return sorted(entities, key=lambda e: e.start)


def analyse(text: str, lexicon: Lexicon, fallback_language: str | None = None) -> Analysis:
    """Everything the analyser reads from one message."""
    result = Analysis(entities=_entities(text))
    lang = detect_language(text) or fallback_language
    result.language = detect_language(text)
    if lang not in ("en", "zh"):
        return result
    lowered = text.lower()

    cues = _score(lexicon, lexicon.cues, lowered, lang)
    result.cues = [c for c in CUES if c in cues]

    scores: dict[str, float] = {}
    for emotion, by_lang in lexicon.emotion.items():
        spans = [s for w, p in by_lang.get(lang, []) for s in lexicon.spans(p, lowered, lang, w)]
        scores[emotion] = sum(s.weight for s in _non_overlapping(spans))
    if "legal_threat" in cues or "media_threat" in cues:
        scores["anger"] += 2.0
    if "repeat_contact" in cues:
        scores["frustration"] += 1.0
    emotion = max(EMOTIONS, key=lambda e: scores[e])
    score = scores[emotion]
    if score >= MILD:
        if EXCLAIM.search(text):
            score += 0.5
        if len(CAPS_WORD.findall(text)) >= 2:
            score += 1.0
        if lexicon.spans(lexicon.intensifiers[lang], lowered, lang):
            score += 0.5
        result.emotion = emotion
        result.intensity = round(min(1.0, score / 5.0), 2)
        result.intensity_level = "strong" if score >= STRONG else "mild"

    problems = _score(lexicon, lexicon.problems, lowered, lang)
    if problems:
        first = min(problems, key=lambda k: (-len(problems[k]), problems[k][0].start))
        result.problem = first
        result.problem_category = lexicon.problem_category[first]

    categories = _score(lexicon, lexicon.category, lowered, lang)
    votes = {c: float(len(spans)) for c, spans in categories.items()}
    if result.problem_category:
        votes[result.problem_category] = votes.get(result.problem_category, 0.0) + 1.5
    if votes:
        result.category = max(CATEGORIES, key=lambda c: (votes.get(c, 0.0), -CATEGORIES.index(c)))

    products = _score(lexicon, lexicon.products, lowered, lang)
    if products:
        key = min(products, key=lambda k: products[k][0].start)
        span = products[key][0]
        result.product_key = key
        result.product = text[span.start : span.end]
    return result
