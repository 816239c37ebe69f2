"""Tickets and their audit trail, in one place: every ticket is opened here and every change
to one leaves a TicketEvent (who, what, when) through `record`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import utcnow
from bot.errors import Conflict, Invalid, NotFound
from bot.events import Hub
from bot.models import Agent, Conversation, Customer, Ticket, TicketEvent, TicketStatus
from bot.queries import current_ticket_of, customer_with_uid, open_conversation_of, tickets_of
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


class Tickets:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], hub: Hub) -> None:
        self._sessions = sessions
        self._hub = hub

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
            await session.commit()
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

    async def resolve(self, conversation_id: int, agent: Agent, solution: str) -> None:
        async with self._sessions() as session:
            ticket = await current_ticket_of(session, conversation_id)
            if ticket is None:
                raise NotFound("this conversation has no ticket")
            ticket.status = TicketStatus.RESOLVED
            ticket.resolved_at = utcnow()
            ticket.solution = solution.strip() or None
            record(session, ticket, actor(agent), "resolved", solution=ticket.solution)
            await session.commit()
        self._hub.publish({"type": "queue_changed"})
