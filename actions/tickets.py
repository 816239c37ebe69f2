"""Tickets: open one for the customer's problem, and tell the customer where theirs stands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.case import CLOSED_STATUSES, Case
from actions.gateway import (
    Gateway,
    GatewayUnavailable,
    PresenceInfo,
    TicketInfo,
    TicketNotFound,
    TicketRequest,
)
from actions.lera import NextStep, Step
from actions.message import CustomerMessage, case_message, earlier_messages, latest
from actions.settings import ActionSettings, get_settings
from actions.speech import say
from actions.triage import current
from bot.wire.clock import say_time
from bot.wire.desk_policy import Sla

CATEGORY_NAMES = {
    "product_quality": {"en": "Product quality", "zh": "产品质量"},
    "service_attitude": {"en": "Service attitude", "zh": "服务态度"},
    "logistics": {"en": "Delivery", "zh": "物流配送"},
    "after_sales": {"en": "After-sales", "zh": "售后服务"},
    "billing": {"en": "Billing", "zh": "账单扣费"},
    "policy": {"en": "Policy", "zh": "政策规定"},
    "general": {"en": "General", "zh": "一般问题"},
}
STATUS_NAMES = {
    "open": {"en": "open and waiting for a specialist", "zh": "已受理，等待专员处理"},
    "pending": {"en": "being worked on by our team", "zh": "正在处理中"},
    "waiting_customer": {"en": "waiting for a reply from you", "zh": "等待您的回复"},
    "resolved": {"en": "resolved", "zh": "已解决"},
    "closed": {"en": "closed", "zh": "已关闭"},
}
SUBJECT_LIMIT = 80


def resolution_hours(severity: str, category: str | None, reasons: list[str], sla: Sla) -> int:
    """Major complaints: 12 h; complex ones (after-sales, repeat contact): 48 h; others: 24 h."""
    if severity in ("severe", "critical"):
        return sla.major_hours
    if category == "after_sales" or "repeat_contact" in reasons:
        return sla.complex_hours
    return sla.general_hours


def subject(message: CustomerMessage) -> str:
    """The ticket's subject in the customer's language: the category, then their words."""
    language = "zh" if message.language == "zh" else "en"
    names = CATEGORY_NAMES.get(message.category or "general", CATEGORY_NAMES["general"])
    text = " ".join(message.text.split())
    if len(text) > SUBJECT_LIMIT:
        cut = text[:SUBJECT_LIMIT]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return f"{names[language]}：{text}" if language == "zh" else f"{names['en']}: {text}"


def description(tracker: Tracker, message: CustomerMessage) -> str:
    """The customer's recent words, oldest first: the start of the ticket's problem file."""
    lines = [f"customer: {m.text}" for m in earlier_messages(tracker)[-4:] if m.text]
    lines.append(f"customer: {message.text}")
    return "\n".join(lines)


async def open_ticket(tracker: Tracker, reasons: list[str] | None = None) -> Case | None:
    """Opens a ticket for the conversation's problem; None when the gateway cannot."""
    settings = get_settings()
    message = case_message(tracker)
    decided = current(tracker)
    severity = str(decided["severity"])
    reasons = reasons or list(decided["reasons"])
    category = message.category or "general"
    now = datetime.now(UTC)
    hours = resolution_hours(severity, category, reasons, settings.policy.sla)
    first_response = settings.policy.sla.first_response_minutes.get(severity, 120)
    gateway = Gateway(settings)
    team = await presence(gateway, message.language, hours)
    due = datetime.fromisoformat(team["due_at"]) if team else now + timedelta(hours=hours)
    request: TicketRequest = {
        "sender_id": tracker.sender_id,
        "category": category,
        "severity": severity,
        "subject": subject(message),
        "description": description(tracker, message),
        "reasons": reasons,
        "language": message.language,
        "first_response_due_at": (now + timedelta(minutes=first_response)).isoformat(),
        "due_at": due.isoformat(),
        "analysis": (tracker.latest_message or {}).get("analysis") or {},
    }
    try:
        ticket = await gateway.open_ticket(request)
    except GatewayUnavailable:
        return None
    return Case(int(ticket["number"]), severity, due.isoformat(), message.problem, team)


async def presence(gateway: Gateway, language: str, hours: int) -> PresenceInfo | None:
    """Whether anyone is at work and when an answer can be promised; None when the gateway
    cannot say (the reply then promises nothing about who is online)."""
    try:
        return await gateway.presence(language, hours)
    except GatewayUnavailable:
        return None


def team_step(step: Step, case: Case, language: str, team: PresenceInfo | None) -> NextStep:
    """The next step of a case the bot keeps: with nobody at work, when they are back."""
    away = team is not None and not team["agents_online"] and bool(team["next_opening"])
    opening = str(team["next_opening"]) if team and away else ""
    return NextStep(
        step, case.number, case.due(language), opening=opening, reused=step is Step.EXISTING
    )


async def open_case(tracker: Tracker) -> Case | None:
    """The customer's case this message belongs to, when it is still open: the one of this
    conversation, else — for a customer who says they are writing again — the newest open one
    of theirs."""
    message = case_message(tracker)
    kept = tracker.get_slot("ticket") or {}
    repeat = "repeat_contact" in message.cues
    gateway = Gateway(get_settings())
    try:
        if kept.get("number"):
            # one conversation, one case while it is open: a follow-up is added to it
            ticket = await gateway.ticket(int(kept["number"]), tracker.sender_id)
            if ticket.get("status") not in CLOSED_STATUSES:
                return Case.of(ticket, kept.get("problem"))
            return None
        if repeat:
            for ticket in await gateway.tickets(tracker.sender_id):
                if ticket.get("status") not in CLOSED_STATUSES:
                    return Case.of(ticket, message.problem)
    except (GatewayUnavailable, TicketNotFound):
        return None
    return None


def case_slot(case: Case) -> EventType:
    return SlotSet(
        "ticket",
        {
            "number": case.number,
            "severity": case.severity,
            "due_at": case.due_at,
            "problem": case.problem,
        },
    )


class ActionOpenTicket(Action):
    def name(self) -> str:
        return "action_open_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        existing = await open_case(tracker)
        case = existing or await open_ticket(tracker)
        if case is None:
            return say(dispatcher, tracker, NextStep(Step.FAILED))
        language = latest(tracker).language
        # a new case already asked who is at work; an existing one asks now
        team = case.team or await presence(Gateway(get_settings()), language, 1)
        nxt = team_step(Step.EXISTING if existing else Step.TICKET, case, language, team)
        return [*say(dispatcher, tracker, nxt), case_slot(case)]


def _status_note(ticket: TicketInfo, language: str, settings: ActionSettings) -> str:
    due_at = ticket.get("due_at")
    if ticket.get("status") in CLOSED_STATUSES or not due_at:
        return ""
    due = say_time(datetime.fromisoformat(due_at), language, settings.timezone)
    return f"预计 {due} 前答复。" if language == "zh" else f"You'll have an answer by {due}."


class ActionTicketStatus(Action):
    """Where the customer's ticket stands — only ever one of their own tickets."""

    def name(self) -> str:
        return "action_ticket_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = get_settings()
        language = latest(tracker).language
        gateway = Gateway(settings)
        number = next(tracker.get_latest_entity_values("ticket_number"), None)
        try:
            if number is not None:
                ticket = await gateway.ticket(int(number), tracker.sender_id)
            else:
                own = await gateway.tickets(tracker.sender_id)
                if not own:
                    dispatcher.utter_message(response="utter_no_tickets")
                    return []
                ticket = own[0]
        except TicketNotFound:
            dispatcher.utter_message(response="utter_ticket_not_found", ticket_number=number)
            return []
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_status_unavailable")
            return []
        status = STATUS_NAMES.get(ticket.get("status", "open"), STATUS_NAMES["open"])[language]
        dispatcher.utter_message(
            response="utter_ticket_status",
            ticket_number=ticket["number"],
            subject=ticket.get("subject", ""),
            status=status,
            due_note=_status_note(ticket, language, settings),
        )
        return []
