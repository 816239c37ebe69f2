from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db import Base, stored_as_string, utcnow

if TYPE_CHECKING:
    from bot.models.agent import Agent
    from bot.models.customer import Customer
    from bot.models.message import Message
    from bot.models.ticket import Ticket


class ConversationStatus(StrEnum):
    BOT = "bot"  # the assistant answers
    QUEUED = "queued"  # waiting for a human agent; the bot is silent
    ASSIGNED = "assigned"  # a human agent has the chat
    CLOSED = "closed"


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_customer_status", "customer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[ConversationStatus] = mapped_column(
        stored_as_string(ConversationStatus, 20), default=ConversationStatus.BOT
    )
    priority: Mapped[int] = mapped_column(default=0)
    escalation_reason: Mapped[str | None] = mapped_column(String(200))
    assigned_agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    # a hand-off the action server asked for while the assistant was answering: the router
    # applies it when the answer comes back ({"severity", "reasons", "language"})
    pending_handoff: Mapped[dict[str, Any] | None]
    queued_at: Mapped[datetime | None]
    # the customer was offered the ticket follow-up instead of waiting on (queue timeout)
    queue_offer_at: Mapped[datetime | None]
    # the place in the queue the customer was last told, to tell them when it moves
    told_position: Mapped[int | None]
    assigned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]

    # the customer always comes with the conversation; the rest on request
    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)
    assigned_agent: Mapped[Agent | None] = relationship()
    messages: Mapped[list[Message]] = relationship(order_by="Message.id", passive_deletes=True)
    tickets: Mapped[list[Ticket]] = relationship(order_by="Ticket.id", passive_deletes=True)

    @property
    def reasons(self) -> list[str]:
        return self.escalation_reason.split(",") if self.escalation_reason else []

    @property
    def language(self) -> str:
        """The language the desk speaks to this customer in."""
        return "zh" if self.customer.language == "zh" else "en"
