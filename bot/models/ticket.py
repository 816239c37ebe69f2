from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base, stored_as_string, utcnow

if TYPE_CHECKING:
    from bot.models.agent import Agent
    from bot.models.customer import Customer


class TicketStatus(StrEnum):
    OPEN = "open"  # nobody works it yet (or it was reopened)
    PENDING = "pending"  # an agent works it
    WAITING_CUSTOMER = "waiting_customer"  # the agent needs something from the customer
    RESOLVED = "resolved"  # solved; the customer is surveyed
    CLOSED = "closed"  # the survey is done or expired, or an agent closed it


# the statuses of a case somebody still has to work on
ACTIVE_STATUSES = (TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.WAITING_CUSTOMER)


class Ticket(Base):
    """The problem file of a case: what happened, how it was solved, what the customer said."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)  # the number customers see
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(20))
    status: Mapped[TicketStatus] = mapped_column(
        stored_as_string(TicketStatus, 30), default=TicketStatus.OPEN
    )
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[str]] = mapped_column(default=list)
    analysis: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(8), default="en")
    first_response_due_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    solution: Mapped[str | None] = mapped_column(Text)
    reopen_count: Mapped[int] = mapped_column(default=0)
    # who works the case (not necessarily who has the chat)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    # the queue order of tickets: severity, raised by a breach or a reopen
    priority: Mapped[int] = mapped_column(default=2)
    # what the agent needs from the customer while the ticket waits on them
    waiting_for: Mapped[str | None] = mapped_column(Text)
    # the SLA clock is stopped from this moment while the ticket waits on the customer
    sla_paused_at: Mapped[datetime | None]
    # when the SLA clock started: opening, or the latest reopen
    sla_started_at: Mapped[datetime | None]
    # the SLA monitor's marks: each fires once
    sla_warned_at: Mapped[datetime | None]
    sla_breached_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # an earlier closed ticket of the customer about the same problem (a repeat complaint)
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
    assignee: Mapped[Agent | None] = relationship(lazy="joined")
    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", passive_deletes=True
    )

    @property
    def number(self) -> int:
        return self.id

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class TicketEvent(Base):
    """The audit trail: who changed what on a ticket, and when."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(100))  # "bot", "agent:<id>", "customer", "system"
    action: Mapped[str] = mapped_column(String(40))  # created, assigned, status, note, ...
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="events")
