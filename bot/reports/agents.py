"""Per-agent figures for a period — and the assistant's own row: chats answered, tickets worked,
first response and resolution times, CSAT, reopen rate, QA score."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Agent, Author, Message, QaReview, SurveyKind, Ticket
from bot.reports.figures import Cohort, first_response_pairs, resolution_pairs
from bot.reports.period import mean, median, minutes, share

ASSISTANT = "Assistant"


async def agents(session: AsyncSession, cohort: Cohort) -> list[dict[str, Any]]:
    ids = [c.id for c in cohort.conversations]
    chats: dict[int, set[int]] = defaultdict(set)
    if ids:
        rows = await session.execute(
            select(Message.agent_id, Message.conversation_id).where(
                Message.conversation_id.in_(ids),
                Message.author == Author.AGENT,
                Message.private.is_(False),
                Message.agent_id.is_not(None),
            )
        )
        for agent_id, conversation_id in rows:
            chats[agent_id].add(conversation_id)
    tickets: dict[int, list[Ticket]] = defaultdict(list)
    for ticket in cohort.tickets:
        if ticket.assignee_id is not None:
            tickets[ticket.assignee_id].append(ticket)
    surveyed = [s for s in cohort.surveys if s.kind == SurveyKind.CASE and s.csat is not None]
    owners = dict(
        (
            await session.execute(
                select(Ticket.id, Ticket.assignee_id).where(
                    Ticket.id.in_([s.ticket_id for s in surveyed if s.ticket_id is not None])
                )
            )
        )
        .tuples()
        .all()
    )
    csat: dict[int | None, list[float]] = defaultdict(list)
    for survey in surveyed:
        csat[owners.get(survey.ticket_id or -1)].append(float(survey.csat or 0))
    qa: dict[int | None, list[float]] = defaultdict(list)
    if ids:
        for review in await session.scalars(
            select(QaReview).where(QaReview.conversation_id.in_(ids))
        ):
            qa[review.agent_id].append(review.score)
    people = set(chats) | set(tickets) | {k for k in qa if k is not None}
    named = {
        a.id: a.name
        for a in await session.scalars(select(Agent).where(Agent.id.in_(people or {-1})))
    }
    rows_out = []
    for agent_id in sorted(people, key=lambda i: named.get(i, "")):
        mine = tickets.get(agent_id, [])
        finished = [t for t in mine if t.resolved_at is not None or t.reopen_count > 0]
        rows_out.append(
            {
                "agent_id": agent_id,
                "name": named.get(agent_id, f"#{agent_id}"),
                "chats": len(chats.get(agent_id, ())),
                "tickets": len(mine),
                "first_response_median_minutes": median(
                    [minutes(a, b) for a, b in first_response_pairs(mine)]
                ),
                "resolution_median_minutes": median(
                    [minutes(a, b) for a, b in resolution_pairs(mine)]
                ),
                "csat_mean": mean(csat.get(agent_id, [])),
                "reopen_rate": share(sum(t.reopen_count > 0 for t in finished), len(finished)),
                "qa_score": mean(qa.get(agent_id, [])),
                "qa_reviews": len(qa.get(agent_id, [])),
            }
        )
    rows_out.append(
        {
            "agent_id": None,
            "name": ASSISTANT,
            "chats": len(cohort.bot_alone()),
            "tickets": 0,
            "first_response_median_minutes": None,
            "resolution_median_minutes": None,
            "csat_mean": None,
            "reopen_rate": None,
            "qa_score": mean(qa.get(None, [])),
            "qa_reviews": len(qa.get(None, [])),
        }
    )
    return rows_out
