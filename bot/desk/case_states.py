"""The steps of a ticket's state that several desk actions share: the SLA clock stopped and
started again, a reopen, whether a chat is with people because of a ticket, and a customer
answering the agent who waited on them. Each works in the caller's session; the caller
commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import utcnow
from bot.desk.calendar import promise, resumed_due
from bot.desk.tickets import record
from bot.models import Conversation, ConversationStatus, Ticket, TicketStatus
from bot.queries import current_ticket_of
from bot.settings import Settings


def resume_clock(ticket: Ticket, now: datetime, settings: Settings) -> None:
    """The customer answered (or the agent went on): the SLA clock runs again, and the due
    times move on by the time it stood still."""
    paused = ticket.sla_paused_at
    if paused is not None:
        if ticket.due_at is not None:
            ticket.due_at = resumed_due(ticket.due_at, paused, now, settings)
        if ticket.first_response_due_at is not None and ticket.first_response_at is None:
            ticket.first_response_due_at = resumed_due(
                ticket.first_response_due_at, paused, now, settings
            )
    ticket.sla_paused_at = None
    ticket.waiting_for = None


def reopen(
    session: AsyncSession,
    ticket: Ticket,
    who: str,
    reason: str,
    now: datetime,
    settings: Settings,
) -> None:
    """Open again, counted, with a new due time and the SLA marks cleared."""
    ticket.status = TicketStatus.OPEN
    ticket.reopen_count += 1
    ticket.resolved_at = None
    ticket.closed_at = None
    ticket.sla_warned_at = None
    ticket.sla_breached_at = None
    ticket.sla_started_at = now  # the warning share counts from the reopen
    ticket.due_at = promise(now, settings.follow_up_hours, settings)
    record(session, ticket, who, "reopened", reason=reason, count=ticket.reopen_count)


async def holds_chat(session: AsyncSession, ticket: Ticket, conversation: Conversation) -> bool:
    """Whether the ticket's chat is with people because of this ticket."""
    current = await current_ticket_of(session, conversation.id)
    return (
        current is not None
        and current.id == ticket.id
        and conversation.status in (ConversationStatus.QUEUED, ConversationStatus.ASSIGNED)
    )


async def customer_replied(
    session: AsyncSession, conversation: Conversation, settings: Settings
) -> Ticket | None:
    """A customer the agent waited on wrote: the ticket is worked again, its clock runs."""
    ticket = await current_ticket_of(session, conversation.id)
    if ticket is None or ticket.status != TicketStatus.WAITING_CUSTOMER:
        return None
    resume_clock(ticket, utcnow(), settings)
    ticket.status = TicketStatus.PENDING
    record(
        session,
        ticket,
        "customer",
        "status",
        **{"from": "waiting_customer"},
        to="pending",
        note="the customer replied",
    )
    return ticket
