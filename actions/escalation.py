"""The escalation policy: every customer turn ends with the bot, a ticket, or a human.

Decided from the intent, the emotion and its strength, the complaint's severity cues, the
customer's tier and the conversation so far. The reason codes travel with the ticket to the
agent console.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from actions.message import CustomerMessage
from bot.wire.customers import VIP_TIERS, is_vip


class Outcome(StrEnum):
    BOT = "bot"
    TICKET = "ticket"
    HUMAN = "human"


class Reason(StrEnum):
    EXPLICIT_REQUEST = "explicit_request"
    ANGER_OR_FRUSTRATION = "anger_or_frustration"
    STILL_UPSET = "still_upset"
    REPEATED_FALLBACK = "repeated_fallback"
    SEVERE_COMPLAINT = "severe_complaint"
    VIP_CUSTOMER = "vip_customer"
    REPEAT_CONTACT = "repeat_contact"
    COMPLAINT = "complaint"
    BACK_OFFICE = "back_office"


class Severity(StrEnum):
    LIGHT = "light"
    MEDIUM = "medium"
    SEVERE = "severe"
    CRITICAL = "critical"


# intents whose request needs someone in the back office when money is involved
BACK_OFFICE_INTENTS = frozenset({"payment_issue", "get_refund", "track_refund"})
# small talk carries no request of its own: nothing to open a ticket for
SMALL_TALK_INTENTS = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope"}
)
# the reasons nlu/signals.py reads from a message's meaning when no cue word says it
SIGNAL_REASONS = {
    "explicit_request": Reason.EXPLICIT_REQUEST,
    "anger": Reason.ANGER_OR_FRUSTRATION,
    "severe": Reason.SEVERE_COMPLAINT,
    "repeat_contact": Reason.REPEAT_CONTACT,
}
# a learned reason to call a person that is less sure than nlu/signals.py's own threshold still
# counts when the analyser heard the matching feeling too (two readers agreeing): reason ->
# (least probability, feelings that back it up). Tuned on tests/escalation/dev.yml; "ugh, still
# processing after 2 days" reads a little like repeat contact, so that reason needs more.
SUPPORTED_SIGNALS: dict[str, tuple[float, frozenset[str]]] = {
    "anger": (0.6, frozenset({"anger"})),
    "severe": (0.6, frozenset({"anger", "frustration"})),
    "repeat_contact": (0.7, frozenset({"anger", "frustration"})),
}
# problems the bot answers itself (a late parcel is a tracking question)
ROUTINE_PROBLEMS = frozenset({"late_delivery", "unfair_policy", "no_reply"})


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    severity: Severity
    reasons: tuple[Reason, ...]
    # a complaint is "specific" when the customer said what went wrong
    specific: bool

    @property
    def reason_codes(self) -> list[str]:
        return [r.value for r in self.reasons]


def severity(message: CustomerMessage) -> Severity:
    cues = set(message.cues)
    if cues & {"safety", "legal_threat"}:
        return Severity.CRITICAL
    if (
        "media_threat" in cues
        or message.level == "strong"
        or ("money_lost" in cues and message.emotion == "anger")
    ):
        return Severity.SEVERE
    if message.level == "mild" or cues & {"money_lost", "repeat_contact"}:
        return Severity.MEDIUM
    return Severity.LIGHT


def is_specific(message: CustomerMessage) -> bool:
    """Did the customer say what went wrong (or at least describe it at some length)?

    A long question is not a description: "how do I complain?" asks, it does not report;
    nor is a long message the NLU could not make out."""
    described = message.detailed and not message.question and message.sure
    return bool(message.problem or message.category or message.cues or described)


def described_problem(message: CustomerMessage) -> bool:
    """A problem the back office must act on, reported under a non-complaint intent
    ("I paid 459 but the invoice says 499", "I got the 1.7L kettle, not the 1.5L"); "what
    happens if it arrives smashed?" reports nothing."""
    if message.intent in SMALL_TALK_INTENTS or message.wonders:
        return False
    if "money_lost" in message.cues:
        return True
    return message.problem is not None and message.problem not in ROUTINE_PROBLEMS


def decide(
    message: CustomerMessage,
    previous: CustomerMessage | None = None,
    previous_outcome: str | None = None,
    tier: str | None = None,
    vip_tiers: tuple[str, ...] = VIP_TIERS,
    has_open_ticket: bool = False,
) -> Decision:
    """The outcome of one customer message.

    When the NLU is unsure of the intent (`message.sure` is false), only what the analyser
    found (a safety hazard, money taken, strong anger, repeat contact) decides; a guessed
    complaint or request for a person is asked about first."""
    grade = severity(message)
    specific = is_specific(message)
    complaint = message.sure and message.intent == "complaint"
    cues = set(message.cues)
    # "never mind, it's arrived": nothing left to act on, unless something serious was said
    settled = message.settled and not cues and message.problem is None and message.level != "strong"
    human: list[Reason] = []
    learned = _learned(message)
    asks_for_person = (
        message.requests_person
        or message.asks_manager
        or learned is Reason.EXPLICIT_REQUEST
        or (message.sure and message.intent == "contact_human_agent")
    )
    if asks_for_person and not message.declines_person:
        human.append(Reason.EXPLICIT_REQUEST)
    if learned and learned is not Reason.EXPLICIT_REQUEST and not settled:
        human.append(learned)
        grade = max(grade, Severity.SEVERE, key=_rank)
    if cues & {"safety", "legal_threat", "media_threat"} or (
        "money_lost" in cues and message.emotion == "anger"
    ):
        human.append(Reason.SEVERE_COMPLAINT)
    if message.level == "strong" and message.emotion in {"anger", "frustration"}:
        human.append(Reason.ANGER_OR_FRUSTRATION)
    if "repeat_contact" in cues and (
        complaint or has_open_ticket or message.problem or message.category
    ):
        human.append(Reason.REPEAT_CONTACT)
    # still upset after the bot's answer: upset before and after it, or turning the answer down
    # ("that doesn't help at all", "说了等于没说")
    answered = previous_outcome in (None, Outcome.BOT, Outcome.TICKET)
    if (
        previous is not None
        and answered
        and not settled
        and (message.rejects_answer or (message.upset and previous.upset))
    ):
        human.append(Reason.STILL_UPSET)
    if complaint and is_vip(tier, vip_tiers):
        human.append(Reason.VIP_CUSTOMER)
    if human:
        return Decision(
            Outcome.HUMAN,
            max(grade, Severity.MEDIUM, key=_rank),
            tuple(dict.fromkeys(human)),
            specific,
        )
    if settled:
        return Decision(Outcome.BOT, grade, (), specific)
    if complaint and specific:
        return Decision(Outcome.TICKET, grade, (Reason.COMPLAINT,), specific)
    if (message.intent in BACK_OFFICE_INTENTS or not complaint) and described_problem(message):
        return Decision(
            Outcome.TICKET, max(grade, Severity.MEDIUM, key=_rank), (Reason.BACK_OFFICE,), specific
        )
    return Decision(Outcome.BOT, grade, (), specific)


def _learned(message: CustomerMessage) -> Reason | None:
    """The learned signal's reason (or an unsure one the analyser backs up), unless what the
    analyser read says otherwise: a question about what could happen reports no hazard, "are
    you a real person?" asks for none, and anger or a hazard read into a message the NLU could
    not make out, with no feeling or cue the analyser found either, is read into nonsense
    ("鬼鬼祟祟嘻嘻哈哈"); anger read into a laughing message is a joke ("这价格杀疯了😂")."""
    learned = SIGNAL_REASONS.get(message.signal or "")
    if learned is None and _supported(message):
        learned = SIGNAL_REASONS[message.signal_reason or ""]
    unfounded = not message.sure and not (message.emotion or message.cues or message.problem)
    if unfounded and learned in (Reason.ANGER_OR_FRUSTRATION, Reason.SEVERE_COMPLAINT):
        return None
    if learned is Reason.SEVERE_COMPLAINT and message.hypothetical and not message.cues:
        return None
    if learned is Reason.ANGER_OR_FRUSTRATION and message.laughs and message.level != "strong":
        return None
    if learned is Reason.EXPLICIT_REQUEST and (
        message.declines_person or (message.sure and message.intent == "bot_challenge")
    ):
        return None
    return learned


def _supported(message: CustomerMessage) -> bool:
    """An unsure learned reason that the analyser's reading of the feeling backs up."""
    least, feelings = SUPPORTED_SIGNALS.get(message.signal_reason or "", (1.0, frozenset()))
    return message.signal_confidence >= least and message.emotion in feelings


def _rank(s: Severity) -> int:
    return list(Severity).index(s)
