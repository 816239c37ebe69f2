from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, utcnow

# the QA rubric's parts, each scored 0 (no), 1 (partly) or 2 (yes)
QA_PARTS = ("listen", "empathize", "resolve", "action", "correct_answer", "tone", "resolution")


class QaReview(Base):
    """A supervisor's score of one closed conversation on the QA rubric."""

    __tablename__ = "qa_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # whose work is scored: the agent who answered, or None for the assistant alone
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score: Mapped[float]  # 0–100: the parts' sum over their maximum
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
