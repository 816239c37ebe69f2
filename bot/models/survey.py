from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, stored_as_string, utcnow


class SurveyKind(StrEnum):
    CASE = "case"  # after a ticket is resolved: CSAT, solved?, NPS, comment
    BOT = "bot"  # after a chat the assistant handled alone: "did that help?"


class SurveyStep(StrEnum):
    """The question the customer is asked now; DONE when nothing is left to ask."""

    HELPED = "helped"
    CSAT = "csat"
    SOLVED = "solved"
    NPS = "nps"
    COMMENT = "comment"
    DONE = "done"


class SurveyStatus(StrEnum):
    ASKED = "asked"  # waiting for an answer
    ANSWERED = "answered"  # every question asked was answered (or the comment skipped)
    EXPIRED = "expired"  # closed unanswered after the survey's lifetime


class Survey(Base):
    """A follow-up survey on the customer's channel, one question at a time."""

    __tablename__ = "surveys"
    __table_args__ = (Index("ix_surveys_status_asked", "status", "asked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SurveyKind] = mapped_column(stored_as_string(SurveyKind, 10))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[SurveyStatus] = mapped_column(
        stored_as_string(SurveyStatus, 20), default=SurveyStatus.ASKED
    )
    step: Mapped[SurveyStep] = mapped_column(stored_as_string(SurveyStep, 20))
    # CSAT 1–5; "was it solved?" (or, for the bot, "did that help?"); NPS 0–10; a comment
    csat: Mapped[int | None]
    solved: Mapped[bool | None]
    nps: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
