"""Where a ticket stands against its due time, and the monitor's SLA jobs: warn the agent at a
share of the time, mark a breach once (a TicketEvent, priority raised, supervisors alerted).

The clock stops while the ticket waits on the customer (`status.py` moves the due time on when
it starts again). Each mark is claimed with a conditional UPDATE, so it fires once even when two
gateway replicas look at the same moment.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import as_utc, claim
from bot.models import ACTIVE_STATUSES, Conversation, ConversationStatus, Ticket, TicketStatus

SYSTEM = "system"


class SlaState(StrEnum):
    OK = "ok"
    WARNING = "warning"  # past the warning share of the time to its due time
    BREACHED = "breached"
    PAUSED = "paused"  # waiting on the customer: the clock stands still
    MET = "met"  # resolved in time


def warning_at(ticket: Ticket, share: float) -> datetime | None:
    """When the agent is warned: at `share` of the time from opening to the due time."""
    if ticket.due_at is None:
        return None
    opened, due = as_utc(ticket.sla_started_at or ticket.created_at), as_utc(ticket.due_at)
    return opened + (due - opened) * share


def sla_state(ticket: Ticket, now: datetime, share: float) -> SlaState:
    if ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        done = ticket.resolved_at or ticket.closed_at
        late = ticket.sla_breached_at is not None or (
            ticket.due_at is not None and done is not None and as_utc(done) > as_utc(ticket.due_at)
        )
        return SlaState.BREACHED if late else SlaState.MET
    if ticket.status == TicketStatus.WAITING_CUSTOMER:
        return SlaState.PAUSED
    if ticket.sla_breached_at is not None or (
        ticket.due_at is not None and now >= as_utc(ticket.due_at)
    ):
        return SlaState.BREACHED
    warn = warning_at(ticket, share)
    return SlaState.WARNING if warn is not None and now >= warn else SlaState.OK


async def claim_mark(session: AsyncSession, ticket: Ticket, mark: str, now: datetime) -> bool:
    """Sets the ticket's `mark` column if nobody did: True for the one caller that set it."""
    return await claim(session, ticket, {mark: now}, getattr(Ticket, mark).is_(None))


async def running_tickets(session: AsyncSession) -> list[Ticket]:
    """Tickets whose SLA clock runs: active, not waiting on the customer, with a due time."""
    rows = await session.scalars(
        select(Ticket).where(
            Ticket.status.in_([s for s in ACTIVE_STATUSES if s != TicketStatus.WAITING_CUSTOMER]),
            Ticket.due_at.is_not(None),
        )
    )
    return list(rows)


async def raise_priority(session: AsyncSession, ticket: Ticket, by: int = 1) -> None:
    """A late or reopened case moves up: the ticket, and its chat if it waits in the queue."""
    ticket.priority += by
    conversation = await session.get(Conversation, ticket.conversation_id)
    if conversation is not None and conversation.status == ConversationStatus.QUEUED:
        conversation.priority += by
