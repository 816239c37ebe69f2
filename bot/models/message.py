from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, stored_as_string, utcnow

class Author(StrEnum):
    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class Message(Base):
    """One message of a conversation. Internal notes are agent messages with `private`."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "channel_message_id"),
        Index("ix_messages_conversation", "conversation_id", "id"),
        Index("ix_messages_pending", "handled_at", "author"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    # the channel's own id of a customer message: storing is idempotent on it
    channel_message_id: Mapped[str | None] = mapped_column(String(128))
    author: Mapped[Author] = mapped_column(stored_as_string(Author, 20))
    text: Mapped[str | None] = mapped_column(Text)
    # buttons, image, custom payload of an outgoing message
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    private: Mapped[bool] = mapped_column(default=False)
    # the customer message an outgoing message answers
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    agent_id: Mapped[int | None]
    # when a customer message was answered (routed to Rasa or seen by an agent); NULL = pending
    handled_at: Mapped[datetime | None]
    # how often the assistant failed on it while it was otherwise up (`bot/assistant.py`)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
