"""Reads a customer message for what a good agent notices first.

Language, emotion and its strength, the complaint's category, severity cues (safety, money lost,
legal or media threat, repeat contact), the product and the problem — from a bilingual cue
lexicon (lexicon.yml), with negation ("not angry", "不生气"), hedges ("nearly caught fire",
"怕会爆炸") and amplifiers (intensifiers, "!!", CAPITALS) taken into account — plus order
numbers, ticket numbers and e-mail addresses.

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
THREAT_ANGER = 3.0  # a legal or media threat is anger at its strongest
SAFETY_ANGER = 1.0  # an actual hazard or injury leans towards anger
REPEAT_FRUSTRATION = 1.0  # having to contact the shop again is at least mild frustration
FURTHER_WORDS_SHARE = 0.75  # how much each further word of the same emotion adds
OTHER_EMOTIONS_SHARE = 0.5  # how much the other emotions add to the main one's strength
CUE_VOTE = 1.0  # weight of a severity cue's vote for its category
PROBLEM_VOTE = 1.5  # weight of the described problem's vote for its category
# severity cues that point at a complaint category
CUE_CATEGORY = {"safety": "product_quality", "money_lost": "billing"}
HEDGED_CUES = frozenset({"safety", "media_threat"})  # cues a hedge turns hypothetical

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# 8-20 digits; digits joined by dashes or a leading + are phone numbers
ORDER_NUMBER = re.compile(r"(?<![0-9A-Za-z+-])(\d{8,20})(?![0-9]|-\d)")
TICKET_NUMBER = re.compile(
    r"(?i)(?:(?:ticket|case|complaint|claim|request|工单|投诉|案件|单)\s*"
    r"(?:number|no\.?|num\.?|id|编号|号码|号)?\s*[:：#＃]?\s*|#\s?|＃|\bLD-?)(\d{1,6})(?![0-9])"
)
EXCLAIM = re.compile(r"[!！]{2,}")
LONG_EXCLAIM = re.compile(r"[!！]{3,}")
REPEATED_QUESTION = re.compile(r"[?？]{2,}|[?？][!！]|[!！][?？]")
A_NOT_A = re.compile(r"(.)[不没]\1[^，。！？,.!?]?$")  # 是不是, 能不能: a question, not a negation
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# sounds, not words: hesitation (额, 呃) or a run of interjections ("啊啊啊", "嗯额呃")
INTERJECTIONS = frozenset("啊嗯额呃哦噢喔哈呵嘿诶欸唉哎呀嗷唔")
HESITATION = frozenset("额呃唔")
CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
# laughing at oneself ("刚下单就后悔了哈哈", "ugh mondays lol") takes the edge off a mild word
LAUGHTER = re.compile(r"(?i)\b(?:a?ha(?:ha)+h?|he(?:he)+|lol+|lmao)\b|哈哈|嘿嘿|😂|🤣|😆|😄")
LAUGHTER_SHARE = 1.0
# a question: "?", a Chinese sentence ending in 吗/呢, or a Chinese question word
QUESTION = re.compile(
    r"[?？]|[吗呢][。.!！~～]?\s*$|有没有|什么(渠道|时候|方式|办法)|怎么(办|弄|申请|操作)|哪(里|儿|个)"
    r"|多少|多久|能不能|可不可以|是不是|要不要|(先|想)问(问|一下|下)"
)
ZH_QUESTION_END = re.compile(r"[吗嘛][?？]?$|[?？]$")
SENTENCE_END = re.compile(r"[.!?。！？\n]")
# a yes/no question about what might happen: "does the basket get hot enough to burn you?",
# "这个会漏水吗" — asks about a hazard or a fault, does not report one
ASKS_WHETHER = {
    "en": re.compile(
        r"^\W*(?:(?:and|but|so|also|ok|hi|hey),?\s+)?"
        r"(?:does|do|is|are|can|could|will|would|should|might|may)\b(?!\s+you\b)"
    ),
    "zh": re.compile(r"(?:会|能|可能|容易|是否)"),
}
WORRY = {
    "en": re.compile(
        r"\b(worried|afraid|scared|concerned|nervous|in case|what if|what happens if|suppose)\b"
    ),
    "zh": re.compile(
        r"怕|担心|万一|会不会|(?:如果|要是|假如).{0,20}(?:怎么办|咋办|怎么处理|咋处理)"
    ),
}
ASKS_WHETHER_END = {
    "en": re.compile(r"^[^.!。！]*\?"),
    "zh": re.compile(r"^[^。！!]*(?:[吗嘛么][?？]?|[?？])"),
}


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
    unintelligible: bool = False  # "xcvb nm", "嗯额呃": nothing the assistant can read
    requests_person: bool = False  # "could a colleague of yours look at this", "叫个真人客服"
    declines_person: bool = False  # "no need for an agent", "不用转人工"
    declines_offer: bool = False  # opens with "no", "不用": turns down what was just offered
    hypothetical: bool = False  # "does it get hot enough to burn?", "怕着火": nothing happened
    settled: bool = False  # "never mind, found it", "那行吧，谢谢"
    rejects_answer: bool = False  # "that doesn't help at all", "说了等于没说": the bot's answer
    asks_manager: bool = False  # "I want your manager", "叫你们主管来"
    blames_bot: bool = False  # "this bot is useless", "机器人听不懂人话"
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
        self.stances = self._by_lang(raw["stances"])
        # the words of the training data (stored in the model): no known word, no meaning
        self.vocabulary = frozenset(raw.get("vocabulary") or ())
        self.problems = self._by_lang({k: v for k, v in raw["problems"].items()})
        self.problem_category = {k: v["category"] for k, v in raw["problems"].items()}
        self.intensifiers = {
            lang: self._compile(lang, p) for lang, p in raw["intensifiers"].items()
        }
        self.hedge = self._lookback(raw["hedges"], zh_gap=2)
        self.negation = self._lookback(raw["negations"], zh_gap=1)

    @staticmethod
    def _lookback(words: dict[str, list[str]], zh_gap: int) -> dict[str, re.Pattern[str]]:
        """Patterns for a word just before a cue: up to two English words in between (not
        across "and"/"but" or a sentence end), or up to `zh_gap` characters within the Chinese
        clause."""
        return {
            "en": re.compile(
                r"\b(?:"
                + "|".join(words["en"])
                + r")\b(?:[^\w.!?;]+(?!and\b|but\b)\w+){0,2}[^\w.!?;]*$"
            ),
            "zh": re.compile("(?:" + "|".join(words["zh"]) + f")[^，。！？,.!?]{{0,{zh_gap}}}$"),
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
        window = text[max(0, start - 24) : start]
        if lang == "zh" and A_NOT_A.search(window):
            return False
        return bool(self.negation[lang].search(window))

    def _hedged(self, text: str, start: int, end: int, lang: str) -> bool:
        return bool(self.hedge[lang].search(text[max(0, start - 24) : start])) or _asks_whether(
            text, start, end, lang
        )

    def spans(
        self,
        pattern: re.Pattern[str],
        text: str,
        lang: str,
        weight: float = 1.0,
        hedged: bool = False,
    ) -> list[Span]:
        """Matches of the pattern that are neither negated nor, when `hedged`, hypothetical."""
        return [
            Span(m.start(), m.end(), weight)
            for m in pattern.finditer(text)
            if m.end() > m.start()
            and not self._negated(text, m.start(), lang, m.group(0))
            and not (hedged and self._hedged(text, m.start(), m.end(), lang))
        ]


def _asks_whether(text: str, start: int, end: int, lang: str) -> bool:
    """Is the match inside a yes/no question about whether something could happen?"""
    breaks = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    before = text[breaks[-1] if breaks else 0 : start]
    if lang == "en":
        asking = ASKS_WHETHER["en"].search(before)
    else:
        asking = ASKS_WHETHER["zh"].search(before.split("，")[-1].split(",")[-1])
    if asking and ASKS_WHETHER_END[lang].search(text[end:]):
        return True
    # "过热会自动断电吗": a Chinese yes/no question with nothing said to have happened (no 了)
    rest = re.split(r"[，。！,!\s]", text[end:], maxsplit=1)[0]
    return lang == "zh" and bool(ZH_QUESTION_END.search(rest)) and "了" not in rest


def laughs(text: str) -> bool:
    """Does the message laugh ("哈哈", "lol", "😂")?"""
    return bool(LAUGHTER.search(text))


def worries(text: str, lang: str) -> bool:
    """Does the message worry or wonder what would happen ("what if it arrives smashed?",
    "如果碎了咋办", "怕着火")?"""
    return bool(WORRY.get(lang, WORRY["en"]).search(text.lower()))


def hypothetical(text: str, lang: str) -> bool:
    """Does the message ask or worry about what could happen ("does it get hot enough to
    burn?", "I was worried about burns", "会不会着火", "怕着火") rather than report it?"""
    if worries(text, lang):
        return True
    pattern = r"[^.!?。！？\n]+[.!?。！？]*" if lang == "en" else r"[^。！？!?，,\s]+[？?]?"
    for clause in re.findall(pattern, text.lower()):
        body = clause.strip()
        if lang == "en" and ASKS_WHETHER["en"].search(body) and body.endswith("?"):
            return True
        if lang == "zh" and ASKS_WHETHER["zh"].search(body) and ZH_QUESTION_END.search(body):
            return True
    return False


def is_question(text: str) -> bool:
    return bool(QUESTION.search(text))


def unintelligible(text: str, vocabulary: frozenset[str]) -> bool:
    """Nothing to read: Latin letters that form no word of the training data ("xcvb nm"),
    and Chinese, if any, that is only sounds ("嗯额呃", "sdfj 哦哦")."""
    words = [w for w in WORD.findall(text.lower()) if len(w) > 1 or w in "ai"]
    chinese = CJK.findall(text)
    if not words and not chinese:
        return False  # numbers, e-mails, emoji: other parts of the assistant read those
    if words and (not vocabulary or any(w in vocabulary for w in words)):
        return False
    if chinese and not set(chinese) <= INTERJECTIONS:
        return False
    sounds_only = not words
    return not sounds_only or len(chinese) >= 3 or bool(set(chinese) & HESITATION)


def vocabulary_of(texts: list[str]) -> list[str]:
    """The Latin words of the training examples, for `unintelligible`."""
    return sorted({w for text in texts for w in WORD.findall(text.lower())})


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Keeps the heaviest, then longest, of overlapping spans."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-s.weight, -(s.end - s.start), s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return kept


def _score(
    lexicon: Lexicon,
    groups: dict[str, dict[str, re.Pattern[str]]],
    text: str,
    lang: str,
    hedged: frozenset[str] | bool = False,
) -> dict[str, list[Span]]:
    """Non-overlapping matches per group; `hedged` (all groups, or the named ones) drops
    hypothetical mentions."""
    found = {}
    for name, by_lang in groups.items():
        if lang in by_lang:
            hedge = hedged if isinstance(hedged, bool) else name in hedged
            spans = _non_overlapping(lexicon.spans(by_lang[lang], text, lang, hedged=hedge))
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


def _emotion_scores(lexicon: Lexicon, text: str, lang: str, cues: list[str]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for emotion, by_lang in lexicon.emotion.items():
        spans = [s for w, p in by_lang.get(lang, []) for s in lexicon.spans(p, text, lang, w)]
        weights = sorted((s.weight for s in _non_overlapping(spans)), reverse=True)
        # the strongest word counts in full; each further one adds less ("ugh", "still",
        # "been six days" together are weary, not furious)
        scores[emotion] = sum(weights[:1]) + FURTHER_WORDS_SHARE * sum(weights[1:])
    if "legal_threat" in cues or "media_threat" in cues:
        scores["anger"] += THREAT_ANGER
    if "safety" in cues:
        scores["anger"] += SAFETY_ANGER
    if "repeat_contact" in cues:
        scores["frustration"] = max(scores["frustration"], REPEAT_FRUSTRATION)
    return scores


def _amplification(lexicon: Lexicon, text: str, lowered: str, lang: str) -> float:
    """Extra strength from punctuation, shouting and intensifiers."""
    extra = 0.0
    exclaims = len(EXCLAIM.findall(text))
    if exclaims:
        extra += 1.0 if exclaims >= 2 or LONG_EXCLAIM.search(text) else 0.5
    if REPEATED_QUESTION.search(text):
        extra += 0.5
    caps = len(CAPS_WORD.findall(text))
    if caps:
        extra += 1.0 if caps >= 2 else 0.5
    if lexicon.spans(lexicon.intensifiers[lang], lowered, lang):
        extra += 0.5
    return extra


def _read_emotion(result: Analysis, lexicon: Lexicon, text: str, lang: str) -> None:
    lowered = text.lower()
    scores = _emotion_scores(lexicon, lowered, lang, result.cues)
    # hostility at full strength (insults, swearing, threats) is anger whatever else is said
    hostile = scores["anger"] >= STRONG
    emotion = "anger" if hostile else max(EMOTIONS, key=lambda e: scores[e])
    score = scores[emotion]
    if not hostile and laughs(text):
        score -= LAUGHTER_SHARE
    if score < MILD:
        return
    score += OTHER_EMOTIONS_SHARE * sum(v for e, v in scores.items() if e != emotion)
    score += _amplification(lexicon, text, lowered, lang)
    result.emotion = emotion
    result.intensity = round(min(1.0, score / 5.0), 2)
    result.intensity_level = "strong" if score >= STRONG else "mild"


def _read_category(result: Analysis, lexicon: Lexicon, text: str, lang: str) -> None:
    """The complaint's category; a bare question with no problem, cue or emotion has none."""
    categories = _score(lexicon, lexicon.category, text, lang)
    votes = {c: float(len(spans)) for c, spans in categories.items()}
    if result.problem_category:
        votes[result.problem_category] = votes.get(result.problem_category, 0.0) + PROBLEM_VOTE
    for cue in result.cues:
        category = CUE_CATEGORY.get(cue)
        if category and not (cue == "money_lost" and result.problem_category == "after_sales"):
            votes[category] = votes.get(category, 0.0) + CUE_VOTE
    if not votes:
        return
    complaint = result.problem or result.cues or result.emotion or not is_question(text)
    if complaint:
        result.category = max(CATEGORIES, key=lambda c: (votes.get(c, 0.0), -CATEGORIES.index(c)))


def analyse(text: str, lexicon: Lexicon, fallback_language: str | None = None) -> Analysis:
    """Everything the analyser reads from one message."""
    result = Analysis(entities=_entities(text))
    result.language = detect_language(text)
    result.unintelligible = unintelligible(text, lexicon.vocabulary)
    lang = result.language or fallback_language
    if lang not in ("en", "zh"):
        return result
    lowered = text.lower()

    cues = _score(lexicon, lexicon.cues, lowered, lang, hedged=HEDGED_CUES)
    result.cues = [c for c in CUES if c in cues]
    _read_emotion(result, lexicon, text, lang)

    problems = _score(lexicon, lexicon.problems, lowered, lang, hedged=True)
    if problems:
        first = min(problems, key=lambda k: (-len(problems[k]), problems[k][0].start))
        result.problem = first
        result.problem_category = lexicon.problem_category[first]
    _read_category(result, lexicon, lowered, lang)

    result.hypothetical = hypothetical(text, lang)
    stances = _score(lexicon, lexicon.stances, lowered, lang)
    result.declines_person = "declines_person" in stances
    result.requests_person = "requests_person" in stances and not result.declines_person
    result.declines_offer = "declines_offer" in stances
    result.settled = "settled" in stances
    result.rejects_answer = "rejects_answer" in stances
    result.asks_manager = "asks_manager" in stances and not result.declines_person
    result.blames_bot = "blames_bot" in stances

    products = _score(lexicon, lexicon.products, lowered, lang)
    if products:
        key = min(products, key=lambda k: products[k][0].start)
        span = products[key][0]
        result.product_key = key
        result.product = text[span.start : span.end]
    return result
