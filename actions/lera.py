"""LERA replies: Listen, Empathize, Resolve, Action — composed once the next step is known.

Listen says the problem back in the shop's words (the product, what happened, what it cost the
customer), never the customer's message; Empathize names the feeling at its strength (fear for a
hazard, exhaustion for chasing, anger for anger); Resolve states the real problem in its
category; Action is the concrete next step with the case number, who and by when — with nobody
online, that in the same sentence. A hazard first asks after the person and gives the safe
step. Variations come from lera_phrases.yml; one used recently in the conversation is not used
again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from actions import details
from actions.escalation import Severity
from actions.message import CustomerMessage
from bot.wire.yaml_files import read_yaml

PHRASES_FILE = Path(__file__).with_name("lera_phrases.yml")
RECENT_LIMIT = 24
HAZARDS = frozenset(
    {
        "fire_hazard",
        "electric_shock",
        "injury",
        "health_reaction",
        "child_hazard",
        "gas_leak",
        "safety_hazard",
    }
)
HURT = frozenset({"injury", "health_reaction", "child_hazard"})
# problems whose cost is the time waited
WAITING_PROBLEMS = frozenset({"late_delivery", "refund_missing", "no_reply", "repair_problem"})
# how sure the learned signal must be of anger the analyser did not hear, to name it
LEARNED_ANGER = 0.6
ORDER_PROBLEMS = frozenset({"late_delivery", "lost_parcel", "missing_part", "wrong_item"})


def phrases() -> dict[str, Any]:
    """The phrase bank as the file says now (edited on the admin pages)."""
    data: dict[str, Any] = read_yaml(PHRASES_FILE)
    return data


class Picker:
    """Picks variations, avoiding those used recently (kept in the `lera_recent` slot)."""

    def __init__(self, recent: list[str] | None = None, rng: random.Random | None = None) -> None:
        self._recent = list(recent or [])
        self._rng = rng or random.Random()

    @property
    def recent(self) -> list[str]:
        return self._recent[-RECENT_LIMIT:]

    def pick(self, key: str, options: list[str] | str) -> str:
        """A variation not used recently; when all were, the one used longest ago."""
        if isinstance(options, str):
            return options
        last_used = {i: -1 for i in range(len(options))}
        for position, used in enumerate(self._recent):
            name, _, index = used.rpartition("#")
            if name == key and index.isdigit() and int(index) in last_used:
                last_used[int(index)] = position
        fresh = [i for i, position in last_used.items() if position < 0]
        choice = self._rng.choice(fresh) if fresh else min(last_used, key=last_used.__getitem__)
        self._recent.append(f"{key}#{choice}")
        return options[choice]


class Step(StrEnum):
    """What happens after the reply."""

    DETAILS = "details"  # the bot keeps the chat and asks what happened
    TICKET = "ticket"  # a case was opened; the bot keeps the chat
    EXISTING = "existing"  # the customer's open case got this message instead of a new one
    QUEUED = "queued"  # a case was opened and the chat waits for an agent who is online
    OFFLINE = "offline"  # a case was opened; nobody is online until `opening`
    FAILED = "failed"  # the case could not be opened


@dataclass(frozen=True)
class NextStep:
    step: Step
    number: int | None = None
    due: str = ""
    position: int = 1
    wait: int = 5
    opening: str = ""
    reused: bool = False  # the case is one the customer opened before


def problem_of(message: CustomerMessage) -> str | None:
    """The problem when the phrase bank can say it back (a likely one the decision did not act
    on counts too; a hazard only when it is one)."""
    problem = message.problem or message.problem_guess
    if problem in HAZARDS and "safety" not in message.cues:
        return None
    return problem if problem in phrases()["problems"] else None


def category_of(message: CustomerMessage) -> str | None:
    """With no problem the bank can say back, the complaint's category when it has words."""
    if problem_of(message) is not None:
        return None
    return message.category if message.category in phrases()["categories"] else None


def product(message: CustomerMessage, problem: str | None) -> str:
    default = phrases()["default_product"][message.language]
    if not message.product:
        return str(default["order" if problem in ORDER_PROBLEMS else "item"])
    word = message.product
    return word if message.language == "zh" or word.isupper() else word.lower()


def with_article(word: str) -> str:
    """ "An electric kettle", "A lamp" — to open an English sentence."""
    return ("An " if word[:1].lower() in "aeiou" else "A ") + word


def _cost(message: CustomerMessage, problem: str | None) -> str:
    bank, lang = phrases()["cost"], message.language
    costs = details.costs(message.text, lang)
    if problem == "double_charge" and costs.amount:
        return str(bank["amount"][lang]).format(amount=costs.amount)
    if costs.contacts and "repeat_contact" in message.cues:
        return str(bank["contacts"][lang]).format(count=costs.contacts)
    if "repeat_contact" in message.cues:
        return str(bank["chased"][lang])
    if costs.waited and (problem in WAITING_PROBLEMS or message.emotion == "frustration"):
        return str(bank["waited"][lang]).format(waited=costs.waited)
    return ""


def listen(message: CustomerMessage, picker: Picker) -> str:
    bank, lang = phrases(), message.language
    problem = problem_of(message)
    thing = product(message, problem)
    if problem:
        entry = bank["problems"][problem]
        hazard = details.fire(message.text, lang) if problem == "fire_hazard" else ""
        clause = entry["listen"][lang].format(product=thing, hazard=hazard)
        if problem in HAZARDS:
            return picker.pick(f"listen.hazard.{lang}", bank["listen"]["hazard"][lang]).format(
                clause=clause
            )
        template = picker.pick(f"listen.problem.{lang}", bank["listen"]["problem"][lang])
        return template.format(clause=clause, cost=_cost(message, problem))
    known = category_of(message)
    if known and not message.wants_person:
        template = picker.pick(f"listen.problem.{lang}", bank["listen"]["problem"][lang])
        clause = bank["categories"][known]["listen"][lang].format(product=thing)
        return template.format(clause=clause, cost=_cost(message, None))
    if message.wants_manager:
        return picker.pick(f"listen.manager.{lang}", bank["listen"]["manager"][lang])
    if message.wants_person:
        return picker.pick(f"listen.person.{lang}", bank["listen"]["person"][lang])
    if message.intent == "complaint" and message.sure and not message.emotion:
        return picker.pick(f"listen.request.{lang}", bank["listen"]["request"][lang])
    template = picker.pick(f"listen.vague.{lang}", bank["listen"]["vague"][lang])
    return template.format(product=thing, cost=_cost(message, None))


def feeling(message: CustomerMessage) -> str:
    """Which feeling to name: the strongest thing this customer is going through."""
    problem = problem_of(message)
    cues = set(message.cues)
    if problem in HURT:
        return "hurt"
    if problem in HAZARDS or "safety" in cues:
        return "fear"
    if cues & {"legal_threat", "media_threat"}:
        return "threat"
    if message.blames_bot:
        return "bot"
    if (
        "repeat_contact" in cues
        or problem == "no_reply"
        or (message.emotion == "frustration" and message.level == "strong")
    ):
        return "exhausted"
    if message.emotion in ("anger", "frustration", "disappointment") and message.level in (
        "mild",
        "strong",
    ):
        return f"{message.emotion}.{message.level}"
    if message.signal_reason == "anger" and message.signal_confidence >= LEARNED_ANGER:
        # anger the learned signal heard where no cue word said it (sarcasm, "thanks a lot")
        return "anger.strong" if message.signal_confidence >= 0.8 else "anger.mild"
    if message.wants_person and problem is None:
        return "person"
    return "calm"


def empathize(message: CustomerMessage, picker: Picker) -> str:
    bank, lang = phrases()["empathize"], message.language
    name = feeling(message)
    node: Any = bank
    for part in name.split("."):
        node = node[part]
    return picker.pick(f"empathize.{name}.{lang}", node[lang])


def safety(message: CustomerMessage, picker: Picker) -> list[str]:
    """For a hazard: ask after the person, the immediate safe step, what we will cover."""
    problem = problem_of(message)
    if problem not in HAZARDS:
        return []
    bank, lang = phrases(), message.language
    thing = product(message, problem)
    entry = bank["problems"][str(problem)]
    return [
        picker.pick(f"ask_after.{lang}", bank["ask_after"][lang]),
        entry["safe_step"][lang].format(product=thing),
        bank["hazard_care"][lang].format(product=thing),
    ]


def resolve(message: CustomerMessage) -> str:
    bank, lang = phrases(), message.language
    problem = problem_of(message)
    if problem:
        thing = product(message, problem)
        return str(bank["problems"][problem]["resolve"][lang]).format(
            product=thing, A_product=with_article(thing)
        )
    known = category_of(message)
    if known:
        return str(bank["categories"][known]["resolve"][lang]).format(
            product=product(message, None)
        )
    if message.wants_person or message.wants_manager:
        return str(bank["resolve_unknown"]["person"][lang])
    return ""


def _team(message: CustomerMessage) -> tuple[str, str]:
    bank, lang = phrases(), message.language
    problem = problem_of(message)
    known = category_of(message)
    entry = bank["problems"][problem] if problem else bank["categories"].get(known or "")
    if entry:
        return str(entry["team"][lang]), str(entry["fix"][lang])
    fallback = {"en": ("a specialist", "look into it"), "zh": ("专员", "跟进处理")}
    return fallback[lang]


def variant(nxt: NextStep) -> str:
    """The phrase bank's name for the next step: a case the bot keeps while the team is away
    says so; a hand-off with nobody online and no opening time says the first one online."""
    if nxt.step in (Step.TICKET, Step.EXISTING) and nxt.opening:
        return f"{nxt.step.value}_away"
    if nxt.step is Step.OFFLINE and not nxt.opening:
        return "offline_now"
    return nxt.step.value


def action(
    message: CustomerMessage,
    nxt: NextStep,
    severity: Severity,
    picker: Picker,
    shop: dict[str, str],
) -> str:
    bank, lang = phrases()["action"], message.language
    team, fix = _team(message)
    priority = bank["priority"][lang] if severity is Severity.CRITICAL else ""
    if nxt.step is Step.QUEUED:
        ahead = max(0, nxt.position - 1)
        place = (
            bank["place_first"][lang]
            if ahead == 0
            else bank["place"][lang].format(position=nxt.position, ahead=ahead)
        )
        values = {"place": place, "wait": nxt.wait}
    else:
        values = {"opening": nxt.opening}
    text = picker.pick(f"action.{variant(nxt)}.{lang}", bank[variant(nxt)][lang]).format(
        n=nxt.number, due=nxt.due, team=team, fix=fix, priority=priority, **values, **shop
    )
    if message.wants_manager and nxt.step in (Step.QUEUED, Step.OFFLINE, Step.TICKET):
        text += bank["supervisor"][lang]
    return text


def compose(
    message: CustomerMessage,
    severity: Severity,
    nxt: NextStep,
    picker: Picker,
    shop: dict[str, str] | None = None,
) -> list[str]:
    """The LERA reply as chat bubbles: one, or two for a hazard (the person and the safe step
    first, then the problem and what happens)."""
    first = [listen(message, picker), empathize(message, picker), *safety(message, picker)]
    if nxt.reused and nxt.step in (Step.QUEUED, Step.OFFLINE):
        earlier = phrases()["listen"]["earlier"][message.language].format(n=nxt.number)
        first.insert(1, earlier)
    second = [resolve(message), action(message, nxt, severity, picker, shop or {})]
    if problem_of(message) in HAZARDS:
        return [_join(first, message.language), _join(second, message.language)]
    return [_join(first + second, message.language)]


def _join(parts: list[str], language: str) -> str:
    return ("" if language == "zh" else " ").join(p for p in parts if p)


def opening(message: CustomerMessage, picker: Picker) -> str | None:
    """A short empathetic opening before a routine answer, for a mildly upset customer: their
    problem said back when it is known ("Sorry your order still hasn't reached you — …")."""
    bank, lang = phrases(), message.language
    problem = problem_of(message)
    if message.emotion is None or problem is None or problem in HAZARDS:
        return None  # a generic "here's the quick answer" before an answer is filler
    clause = bank["problems"][problem]["listen"][lang].format(
        product=product(message, problem), hazard=""
    )
    template = picker.pick(f"opening_problem.{lang}", bank["opening_problem"][lang])
    return template.format(clause=clause)
