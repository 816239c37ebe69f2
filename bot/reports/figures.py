"""The supervisors' figures for a period, each as the reports page and the CSV show it.

Conversations and tickets count in the period they began in (a cohort: a ticket opened on
Monday and resolved on Wednesday counts on Monday); surveys in the period they were asked in.
Business-hour times count only the team's working hours (`desk/calendar.py`). The definitions
are in the README ("Reports").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import as_utc, utcnow
from bot.desk.calendar import business_minutes
from bot.models import Conversation, Customer, Survey, SurveyKind, SurveyStatus, Ticket
from bot.reports.period import Period, mean, median, minutes, p90, share
from bot.settings import Settings

SEVERITIES = ("light", "medium", "severe", "critical")
TOP = 10


@dataclass
class Cohort:
    """What a period's figures are made of, loaded once."""

    conversations: list[Conversation]
    tickets: list[Ticket]
    surveys: list[Survey]
    ticketed: set[int]  # conversations with a ticket

    def bot_alone(self) -> list[Conversation]:
        unhelped = {
            s.conversation_id
            for s in self.surveys
            if s.kind == SurveyKind.BOT and s.solved is False
        }
        return [
            c
            for c in self.conversations
            if c.id not in self.ticketed
            and c.queued_at is None
            and c.assigned_at is None
            and c.id not in unhelped
        ]


async def load(session: AsyncSession, period: Period) -> Cohort:
    conversations = (
        select(Conversation)
        .join(Customer)
        .where(Conversation.created_at >= period.since, Conversation.created_at < period.until)
    )
    tickets = (
        select(Ticket)
        .join(Conversation)
        .where(Ticket.created_at >= period.since, Ticket.created_at < period.until)
    )
    surveys = (
        select(Survey)
        .join(Conversation)
        .where(Survey.asked_at >= period.since, Survey.asked_at < period.until)
    )
    if period.channel:
        conversations = conversations.where(Conversation.channel == period.channel)
        tickets = tickets.where(Conversation.channel == period.channel)
        surveys = surveys.where(Conversation.channel == period.channel)
    if period.language:
        conversations = conversations.where(Customer.language == period.language)
        tickets = tickets.where(Ticket.language == period.language)
        surveys = surveys.where(Survey.language == period.language)
    found_tickets = list(await session.scalars(tickets.order_by(Ticket.id)))
    every_ticketed = await session.scalars(
        select(Ticket.conversation_id).where(Ticket.created_at >= period.since)
    )
    return Cohort(
        list(await session.scalars(conversations.order_by(Conversation.id))),
        found_tickets,
        list(await session.scalars(surveys.order_by(Survey.id))),
        set(every_ticketed),
    )


def durations(
    pairs: list[tuple[datetime, datetime]], settings: Settings
) -> dict[str, float | int | None]:
    wall = [minutes(a, b) for a, b in pairs]
    work = [business_minutes(a, b, settings) for a, b in pairs]
    return {
        "count": len(pairs),
        "median_minutes": median(wall),
        "p90_minutes": p90(wall),
        "median_business_minutes": median(work),
        "p90_business_minutes": p90(work),
    }


def first_response_pairs(tickets: list[Ticket]) -> list[tuple[datetime, datetime]]:
    return [(t.created_at, t.first_response_at) for t in tickets if t.first_response_at]


def resolution_pairs(tickets: list[Ticket]) -> list[tuple[datetime, datetime]]:
    return [(t.created_at, t.resolved_at) for t in tickets if t.resolved_at]


def _on_time(done: datetime | None, due: datetime | None, now: datetime) -> tuple[bool, bool]:
    """(counted, met): a due time counts once it is met or has passed."""
    if due is None:
        return False, False
    if done is not None:
        return True, as_utc(done) <= as_utc(due)
    return as_utc(due) < now, False


def sla(tickets: list[Ticket], now: datetime) -> dict[str, Any]:
    first = [_on_time(t.first_response_at, t.first_response_due_at, now) for t in tickets]
    resolved = [
        _on_time(t.resolved_at, t.due_at, now) if t.sla_breached_at is None else (True, False)
        for t in tickets
    ]
    breaches = Counter(t.severity for t in tickets if t.sla_breached_at is not None)

    def part(marks: list[tuple[bool, bool]]) -> dict[str, Any]:
        due = sum(counted for counted, _ in marks)
        met = sum(ok for counted, ok in marks if counted)
        return {"value": share(met, due), "met": met, "due": due}

    return {
        "first_response": part(first),
        "resolution": part(resolved),
        "breaches_by_severity": {s: breaches.get(s, 0) for s in SEVERITIES},
    }


def satisfaction(surveys: list[Survey]) -> dict[str, Any]:
    case = [s for s in surveys if s.kind == SurveyKind.CASE]
    scores = [s.csat for s in case if s.csat is not None]
    marks = [s.nps for s in case if s.nps is not None]
    promoters = sum(n >= 9 for n in marks)
    detractors = sum(n <= 6 for n in marks)
    answered = sum(s.status == SurveyStatus.ANSWERED or s.csat is not None for s in case)
    nps = round(100 * (promoters - detractors) / len(marks), 1) if marks else None
    return {
        "csat": {
            "mean": mean([float(x) for x in scores]),
            "count": len(scores),
            "distribution": {str(n): scores.count(n) for n in range(1, 6)},
        },
        "nps": {
            "value": nps,
            "promoters": promoters,
            "passives": len(marks) - promoters - detractors,
            "detractors": detractors,
            "count": len(marks),
        },
        "survey_response_rate": {
            "value": share(answered, len(case)),
            "answered": answered,
            "asked": len(case),
        },
    }


def figures(cohort: Cohort, settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    conversations, tickets = cohort.conversations, cohort.tickets
    alone = cohort.bot_alone()
    escalated = [c for c in conversations if c.queued_at is not None]
    reasons = Counter(r for c in escalated for r in c.reasons)
    finished = [t for t in tickets if t.resolved_at is not None or t.reopen_count > 0]
    reopened = sum(t.reopen_count > 0 for t in finished)
    repeats = sum(t.repeat_of_id is not None for t in tickets)
    return {
        "containment": {
            "value": share(len(alone), len(conversations)),
            "bot_alone": len(alone),
            "conversations": len(conversations),
        },
        "escalation_rate": {
            "value": share(len(escalated), len(conversations)),
            "escalated": len(escalated),
            "conversations": len(conversations),
            "by_reason": dict(reasons.most_common()),
        },
        "first_response": durations(first_response_pairs(tickets), settings),
        "resolution": durations(resolution_pairs(tickets), settings),
        "sla": sla(tickets, now),
        **satisfaction(cohort.surveys),
        "reopen_rate": {
            "value": share(reopened, len(finished)),
            "reopened": reopened,
            "resolved": len(finished),
        },
        "repeat_rate": {
            "value": share(repeats, len(tickets)),
            "repeats": repeats,
            "tickets": len(tickets),
        },
    }


def voice(cohort: Cohort, period: Period) -> dict[str, Any]:
    """Voice of the customer: complaints by category and severity per day, and the products
    and problems the assistant read in them most often."""
    days = period.days
    index = {day: n for n, day in enumerate(days)}
    by_category: dict[str, list[int]] = {}
    by_severity: dict[str, list[int]] = {s: [0] * len(days) for s in SEVERITIES}
    for ticket in cohort.tickets:
        day = index.get(period.day_of(ticket.created_at))
        if day is None:
            continue
        by_category.setdefault(ticket.category, [0] * len(days))[day] += 1
        if ticket.severity in by_severity:
            by_severity[ticket.severity][day] += 1
    products = Counter(
        str(t.analysis["product"]) for t in cohort.tickets if t.analysis.get("product")
    )
    problems = Counter(
        str(t.analysis["problem"]) for t in cohort.tickets if t.analysis.get("problem")
    )
    return {
        "days": [d.isoformat() for d in days],
        "by_category": dict(sorted(by_category.items())),
        "by_severity": by_severity,
        "products": [[name, n] for name, n in products.most_common(TOP)],
        "problems": [[name, n] for name, n in problems.most_common(TOP)],
    }
