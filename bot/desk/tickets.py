"""Tickets and their audit trail, in one place: every ticket is opened here and every change
to one leaves a TicketEvent (who, what, when) through `record`."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import utcnow
from bot.desk.queue import SEVERITY_PRIORITY
from bot.desk.ticket_list import TicketList
from bot.errors import Conflict, Invalid, NotFound
from bot.events import Hub
from bot.models import Agent, Conversation, Customer, Ticket, TicketEvent, TicketStatus
from bot.queries import current_ticket_of, customer_with_uid, open_conversation_of, tickets_of
from bot.settings import Settings
from bot.views import ticket_dict
from bot.wire.internal_api import CATEGORY_MAX_CHARS, SEVERITIES, SUBJECT_MAX_CHARS, TicketRequest

BOT = "bot"


def actor(agent: Agent) -> str:
    return f"agent:{agent.id}"


def record(session: AsyncSession, ticket: Ticket, who: str, action: str, **data: Any) -> None:
    """Adds one entry to the ticket's audit trail; the caller commits."""
    session.add(TicketEvent(ticket_id=ticket.id, actor=who, action=action, data=data))
    ticket.updated_at = utcnow()


async def record_on_current(
    session: AsyncSession, conversation: Conversation, who: str, action: str, **data: Any
) -> Ticket | None:
    """Records the change on the conversation's ticket, if it has one."""
    ticket = await current_ticket_of(session, conversation.id)
    if ticket is not None:
        record(session, ticket, who, action, **data)
    return ticket


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise Invalid(f"not an ISO 8601 time: {value!r}") from error


def _checked(request: TicketRequest) -> None:
    if request["severity"] not in SEVERITIES:
        raise Invalid(f"severity is one of {', '.join(SEVERITIES)}")
    if len(request["category"]) > CATEGORY_MAX_CHARS:
        raise Invalid(f"category: at most {CATEGORY_MAX_CHARS} characters")
    if len(request["subject"]) > SUBJECT_MAX_CHARS:
        raise Invalid(f"subject: at most {SUBJECT_MAX_CHARS} characters")


async def customer_and_conversation(
    session: AsyncSession, sender_id: str
) -> tuple[Customer, Conversation]:
    """The action server's customer and their open conversation."""
    customer = await customer_with_uid(session, sender_id)
    if customer is None:
        raise NotFound("unknown customer")
    conversation = await open_conversation_of(session, customer.id)
    if conversation is None:
        raise Conflict("no open conversation")
    return customer, conversation


async def earlier_case(session: AsyncSession, ticket: Ticket, window_days: int) -> Ticket | None:
    """The customer's resolved or closed ticket about the same problem (category, and the
    problem the assistant read when both have one) within the window: a repeat complaint."""
    since = utcnow() - timedelta(days=window_days)
    rows = await session.scalars(
        select(Ticket)
        .where(
            Ticket.customer_id == ticket.customer_id,
            Ticket.id != ticket.id,
            Ticket.category == ticket.category,
            Ticket.status.in_([TicketStatus.RESOLVED, TicketStatus.CLOSED]),
            Ticket.updated_at >= since,
        )
        .order_by(Ticket.id.desc())
    )
    problem = (ticket.analysis or {}).get("problem")
    for earlier in rows:
        theirs = (earlier.analysis or {}).get("problem")
        if not problem or not theirs or problem == theirs:
            return earlier
    return None


class Tickets:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        hub: Hub,
        listing: TicketList,
        settings: Settings,
    ) -> None:
        self._sessions = sessions
        self._hub = hub
        self._listing = listing
        self._settings = settings

    async def open(self, request: TicketRequest) -> dict[str, Any]:
        """Opens a ticket in the customer's open conversation (the action server decided)."""
        _checked(request)
        async with self._sessions() as session:
            customer, conversation = await customer_and_conversation(session, request["sender_id"])
            reasons = request.get("reasons", [])
            ticket = Ticket(
                conversation_id=conversation.id,
                customer_id=customer.id,
                category=request["category"],
                severity=request["severity"],
                subject=request["subject"],
                description=request["description"],
                reasons=reasons,
                analysis=request.get("analysis", {}),
                language=request.get("language", "en"),
                first_response_due_at=_moment(request.get("first_response_due_at")),
                due_at=_moment(request.get("due_at")),
                priority=SEVERITY_PRIORITY.get(request["severity"], 2),
                sla_started_at=utcnow(),
            )
            session.add(ticket)
            await session.flush()
            record(
                session,
                ticket,
                BOT,
                "created",
                severity=ticket.severity,
                category=ticket.category,
                reasons=reasons,
            )
            earlier = await earlier_case(session, ticket, self._settings.repeat_window_days)
            if earlier is not None:
                ticket.repeat_of_id = earlier.id
                record(session, ticket, BOT, "repeat_of", number=earlier.id)
            await session.commit()
            row = await self._listing.row_of(session, ticket)
            self._hub.publish({"type": "ticket_changed", "ticket": row})
            return ticket_dict(ticket)

    async def of_customer(self, sender_id: str, number: int | None = None) -> list[dict[str, Any]]:
        """The customer's tickets, newest first (or the one with this number: theirs only)."""
        async with self._sessions() as session:
            customer = await customer_with_uid(session, sender_id)
            if customer is None:
                raise NotFound("unknown customer")
            if number is None:
                return [ticket_dict(t) for t in await tickets_of(session, customer.id)]
            found = await session.get(Ticket, number)
            if found is None or found.customer_id != customer.id:
                raise NotFound("no such ticket")
            return [ticket_dict(found)]
