"""A training run as the admin page reads it: its progress, log, figures, and each figure beside
the active model's, with the drops marked."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.changes import person
from bot.admin.progress import Progress
from bot.models import Agent, RunStatus, TrainingRun

GOING = (RunStatus.QUEUED, RunStatus.TRAINING, RunStatus.EVALUATING)
LOG_LINES = 200
# the figures compared with the active model's: (path, higher is better)
COMPARED = (
    ("intent_accuracy.en", True),
    ("intent_accuracy.zh", True),
    ("escalation.precision", True),
    ("escalation.recall", True),
    ("stories.passed_share", True),
)


def figure(figures: dict[str, Any] | None, path: str) -> float | None:
    value: Any = figures
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, int | float) else None


def compare(new: dict[str, Any] | None, active: dict[str, Any] | None) -> dict[str, Any] | None:
    """Each figure of the new model beside the active one's; `worse` where it dropped."""
    if not new or not active:
        return None
    out = {}
    for path, higher in COMPARED:
        a, b = figure(active, path), figure(new, path)
        if a is None or b is None:
            continue
        out[path] = {"active": a, "new": b, "worse": (b < a - 1e-9) if higher else (b > a + 1e-9)}
    return out


def log_tail(path: str | None) -> list[str]:
    """The run log's last lines."""
    if not path or not Path(path).is_file():
        return []
    with Path(path).open(encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for line in deque(f, LOG_LINES)]


async def run_dict(
    session: AsyncSession, row: TrainingRun, active: TrainingRun | None, live: Progress | None
) -> dict[str, Any]:
    starter = await session.get(Agent, row.started_by) if row.started_by else None
    activator = await session.get(Agent, row.activated_by) if row.activated_by else None
    progress = live.as_dict() if live is not None and row.status in GOING else row.progress
    seconds = (row.finished_at - row.started_at).total_seconds() if row.finished_at else None
    return {
        "id": row.id,
        "status": str(row.status),
        "started_by": person(starter),
        "started_at": row.started_at.isoformat(),
        "finished_at": row.finished_at.isoformat() if row.finished_at else None,
        "seconds": round(seconds, 1) if seconds is not None else None,
        "progress": progress,
        "model": Path(row.model).name if row.model else None,
        "error": row.error,
        "figures": row.figures,
        "compared": compare(row.figures, active.figures if active else None)
        if row.status == RunStatus.READY
        else None,
        "activated_by": person(activator),
        "activated_at": row.activated_at.isoformat() if row.activated_at else None,
    }
