"""Tickets as the console lists them: every ticket, not only chats in the queue, with filters
(status, severity, category, SLA state, assignee, channel, language) and search (number,
customer, text); and one ticket whole — transcript, audit trail, surveys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import utcnow
from bot.desk.sla import sla_state
from bot.errors import Invalid, NotFound
from bot.models import (
    ACTIVE_STATUSES,
    Agent,
    Conversation,
    Customer,
    Message,
    Survey,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from bot.settings import Settings
from bot.views import event_dict, staff_message_dict, survey_dict, ticket_dict, ticket_row

# where a ticket may go from where it is
MOVES: dict[TicketStatus, tuple[TicketStatus, ...]] = {
    TicketStatus.OPEN: (
        TicketStatus.PENDING,
        TicketStatus.WAITING_CUSTOMER,
        TicketStatus.RESOLVED,
        TicketStatus.CLOSED,
    ),
    TicketStatus.PENDING: (
        TicketStatus.OPEN,
        TicketStatus.WAITING_CUSTOMER,
        TicketStatus.RESOLVED,
        TicketStatus.CLOSED,
    ),
    TicketStatus.WAITING_CUSTOMER: (
        TicketStatus.PENDING,
        TicketStatus.RESOLVED,
        TicketStatus.CLOSED,
    ),
    TicketStatus.RESOLVED: (TicketStatus.OPEN, TicketStatus.CLOSED),
    TicketStatus.CLOSED: (TicketStatus.OPEN,),
}
SLA_STATES = ("ok", "warning", "breached", "paused", "met")
MAX_LIMIT = 200


@dataclass(frozen=True)
class TicketFilter:
    status: str = ""
    severity: str = ""
    category: str = ""
    sla: str = ""
    assignee: str = ""
    channel: str = ""
    language: str = ""
    q: str = ""
    limit: int = 50
    offset: int = 0


def _filtered(query: Select[Any], f: TicketFilter, me: Agent) -> Select[Any]:
    if f.status == "active":
        query = query.where(Ticket.status.in_(ACTIVE_STATUSES))
    elif f.status:
        if f.status not in {s.value for s in TicketStatus}:
            raise Invalid("status is open, pending, waiting_customer, resolved, closed or active")
        query = query.where(Ticket.status == TicketStatus(f.status))
    if f.severity:
        query = query.where(Ticket.severity == f.severity)
    if f.category:
        query = query.where(Ticket.category == f.category)
    if f.channel:
        query = query.where(Customer.channel == f.channel)
    if f.language:
        query = query.where(Ticket.language == f.language)
    if f.assignee == "me":
        query = query.where(Ticket.assignee_id == me.id)
    elif f.assignee == "none":
        query = query.where(Ticket.assignee_id.is_(None))
    elif f.assignee:
        if not f.assignee.isdigit():
            raise Invalid("assignee is me, none or an agent's id")
        query = query.where(Ticket.assignee_id == int(f.assignee))
    needle = f.q.strip().lstrip("#").strip()
    if needle:
        like = f"%{needle.lower()}%"
        matches: list[ColumnElement[bool]] = [
            func.lower(Ticket.subject).like(like),
            func.lower(Ticket.description).like(like),
            func.lower(func.coalesce(Customer.display_name, "")).like(like),
            func.lower(Customer.external_id).like(like),
        ]
        if needle.isdigit():
            matches.append(Ticket.id == int(needle))
            matches.append(cast(Customer.id, String) == needle)
        query = query.where(or_(*matches))
    return query


class TicketList:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings

    def row(
        self, ticket: Ticket, conversation_status: str | None, now: datetime | None = None
    ) -> dict[str, Any]:
        state = sla_state(ticket, now or utcnow(), self._settings.policy.sla.warning_share)
        return ticket_row(ticket, state.value, conversation_status)

    async def row_of(self, session: AsyncSession, ticket: Ticket) -> dict[str, Any]:
        await session.refresh(ticket, ["assignee"])  # who has it may have just changed
        conversation = await session.get(Conversation, ticket.conversation_id)
        return self.row(ticket, conversation.status.value if conversation else None)

    async def search(self, f: TicketFilter, me: Agent) -> dict[str, Any]:
        if f.sla and f.sla not in SLA_STATES:
            raise Invalid(f"sla is one of {', '.join(SLA_STATES)}")
        active_first = case((Ticket.status.in_(ACTIVE_STATUSES), 0), else_=1)
        query = _filtered(
            select(Ticket, Conversation.status)
            .join(Customer, Customer.id == Ticket.customer_id)
            .join(Conversation, Conversation.id == Ticket.conversation_id),
            f,
            me,
        ).order_by(
            active_first,
            Ticket.priority.desc(),
            Ticket.due_at.asc().nulls_last(),
            Ticket.updated_at.desc(),
            Ticket.id.desc(),
        )
        now = utcnow()
        async with self._sessions() as session:
            rows = [self.row(t, s.value, now) for t, s in (await session.execute(query)).all()]
        if f.sla:
            rows = [r for r in rows if r["sla_state"] == f.sla]
        limit = max(1, min(f.limit, MAX_LIMIT))
        return {"items": rows[f.offset : f.offset + limit], "total": len(rows)}

    async def detail(self, number: int) -> dict[str, Any]:
        async with self._sessions() as session:
            ticket = await session.get(Ticket, number)
            if ticket is None:
                raise NotFound("no such ticket")
            return await self.detail_in(session, ticket)

    async def detail_in(self, session: AsyncSession, ticket: Ticket) -> dict[str, Any]:
        row = await self.row_of(session, ticket)
        events = await session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )
        messages = await session.scalars(
            select(Message)
            .where(Message.conversation_id == ticket.conversation_id)
            .order_by(Message.id)
        )
        surveys = await session.scalars(
            select(Survey).where(Survey.ticket_id == ticket.id).order_by(Survey.id)
        )
        return {
            **ticket_dict(ticket),
            **row,
            "events": [event_dict(e) for e in events],
            "messages": [staff_message_dict(m) for m in messages],
            "surveys": [survey_dict(s) for s in surveys],
            "allowed_status": [s.value for s in MOVES[ticket.status]],
        }
