"""Operations' figures for Prometheus (the official client): what flows (messages in and out by
channel, Rasa's answer time and errors, escalations by reason, SLA breaches, surveys) counted
where it happens, and what stands (unanswered messages, the queue and its oldest wait) read
from the database when `/metrics` is scraped. HTTP latency by route comes from
prometheus-fastapi-instrumentator (`bot/ops.py`)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import as_utc, utcnow
from bot.models import Author, Conversation, ConversationStatus, Message

MESSAGES_IN = Counter("lera_messages_in", "Customer messages stored", ["channel"])
MESSAGES_OUT = Counter(
    "lera_messages_out", "Messages recorded for customers", ["channel", "author"]
)
RASA_SECONDS = Histogram(
    "lera_rasa_seconds",
    "Time Rasa took to answer a customer message",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13),
)
RASA_ERRORS = Counter("lera_rasa_errors", "Rasa calls that failed or timed out", ["call"])
SET_ASIDE = Counter(
    "lera_messages_set_aside", "Customer messages the assistant kept failing on, set aside"
)
ESCALATIONS = Counter("lera_escalations", "Chats handed to people, by reason", ["reason"])
SLA_BREACHES = Counter("lera_sla_breaches", "Tickets past their due time", ["severity"])
SURVEYS = Counter("lera_surveys", "Survey questions asked and answers taken", ["kind", "event"])
PENDING = Gauge("lera_pending_messages", "Customer messages not answered yet")
QUEUE_LENGTH = Gauge("lera_queue_length", "Chats waiting for a person")
OLDEST_WAIT = Gauge("lera_queue_oldest_wait_seconds", "How long the longest-waiting chat waits")


async def refresh(session: AsyncSession) -> None:
    """The standing figures, read now."""
    pending = await session.scalar(
        select(func.count())
        .select_from(Message)
        .where(Message.author == Author.CUSTOMER, Message.handled_at.is_(None))
    )
    length, oldest = (
        await session.execute(
            select(func.count(), func.min(Conversation.queued_at)).where(
                Conversation.status == ConversationStatus.QUEUED
            )
        )
    ).one()
    PENDING.set(int(pending or 0))
    QUEUE_LENGTH.set(int(length or 0))
    OLDEST_WAIT.set((utcnow() - as_utc(oldest)).total_seconds() if oldest else 0)
