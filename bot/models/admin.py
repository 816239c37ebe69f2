from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, stored_as_string, utcnow


class KnowledgeChange(Base):
    """One admin edit of the assistant's project files: who, when, what, and every file's text
    before and after (so it can be reverted)."""

    __tablename__ = "knowledge_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    # {path: text or None (the file did not exist)} before and after the change
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reverted_at: Mapped[datetime | None]
    reverted_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    # the change that undid this one, or the one this one undid
    reverts: Mapped[int | None] = mapped_column(ForeignKey("knowledge_changes.id"))


class RunStatus(StrEnum):
    QUEUED = "queued"
    TRAINING = "training"
    EVALUATING = "evaluating"
    READY = "ready"  # trained and measured, not serving
    FAILED = "failed"
    ACTIVE = "active"  # the model the Rasa server answers with
    RETIRED = "retired"  # was active; can be rolled back to


class TrainingRun(Base):
    """One model trained from the admin pages (or found serving at start), with its figures."""

    __tablename__ = "training_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[RunStatus] = mapped_column(stored_as_string(RunStatus, 20))
    started_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # the model file, relative to the models folder
    model: Mapped[str | None] = mapped_column(String(200))
    # the newest knowledge change the run trained on
    change_id: Mapped[int | None] = mapped_column(ForeignKey("knowledge_changes.id"))
    # {"stages": [{"name", "share", "state", "seconds"}], "stage": name}
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    figures: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    log_path: Mapped[str | None] = mapped_column(String(300))
    activated_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    activated_at: Mapped[datetime | None]
