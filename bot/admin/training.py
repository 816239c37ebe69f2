"""Training runs from the admin pages: one at a time, in a process of its own (Rasa's trainer,
then the figures), with its progress and log; the model it makes is measured beside the active
one, and activated — or an earlier one rolled back to — without losing a message.

Rasa's training cache (`.rasa/cache`) and the embedding cache (`.cache/embeddings.sqlite3`)
make a small edit train in seconds: only the components whose inputs changed run again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.admin.changes import ChangeLog
from bot.admin.progress import Progress
from bot.admin.run_views import GOING, log_tail, run_dict
from bot.admin.steps import Steps
from bot.db import utcnow
from bot.errors import Conflict, NotFound
from bot.events import Hub
from bot.model_name import model_name
from bot.models import Agent, RunStatus, TrainingRun
from bot.rasa import RasaClient
from bot.settings import PROJECT, Settings

logger = logging.getLogger(__name__)


class Trainer:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        hub: Hub,
        log: ChangeLog,
        rasa: RasaClient,
    ) -> None:
        self._sessions = sessions
        self._steps = Steps(settings.project_dir, settings.rasa_venv)
        self._hub = hub
        self._log = log
        self._rasa = rasa
        self._root = settings.project_dir
        self._models = settings.project_dir / "models"
        self._logs = settings.project_dir / "results" / "training"
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._progress: dict[int, Progress] = {}
        self.fast = settings.training_fast  # tests: no figures, no stories

    # --- what the page reads -------------------------------------------------------------

    async def overview(self) -> dict[str, Any]:
        async with self._sessions() as session:
            runs = list(
                await session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(30))
            )
            active = next((r for r in runs if r.status == RunStatus.ACTIVE), None)
            dicts = [await run_dict(session, r, active, self._progress.get(r.id)) for r in runs]
        return {
            "running": next((d for d in dicts if d["status"] in GOING), None),
            "active": next((d for d in dicts if d["status"] == RunStatus.ACTIVE), None),
            "runs": dicts,
        }

    async def run(self, run_id: int) -> dict[str, Any]:
        async with self._sessions() as session:
            row = await session.get(TrainingRun, run_id)
            if row is None:
                raise NotFound("no such training run")
            active = await session.scalar(
                select(TrainingRun).where(TrainingRun.status == RunStatus.ACTIVE)
            )
            out = await run_dict(session, row, active, self._progress.get(row.id))
        out["log"] = log_tail(row.log_path)
        return out

    # --- training ------------------------------------------------------------------------

    async def start(self, by: Agent) -> dict[str, Any]:
        async with self._lock:
            async with self._sessions() as session:
                going = await session.scalar(
                    select(TrainingRun.id).where(TrainingRun.status.in_(GOING)).limit(1)
                )
                if going is not None:
                    raise Conflict(f"training run {going} is still going")
                earlier = await session.scalar(
                    select(TrainingRun)
                    .where(TrainingRun.status.not_in([*GOING, RunStatus.FAILED]))
                    .order_by(TrainingRun.id.desc())
                    .limit(1)
                )
                measured = dict((earlier.progress or {}).get("timings") or {}) if earlier else {}
                row = TrainingRun(
                    status=RunStatus.QUEUED,
                    started_by=by.id,
                    change_id=await self._log.newest_id(),
                    progress={},
                )
                session.add(row)
                await session.commit()
                run_id = row.id
            self._progress[run_id] = Progress(measured=measured)
            self._task = asyncio.create_task(self._train(run_id), name=f"training-{run_id}")
        return await self.run(run_id)

    async def _set(self, run_id: int, **values: Any) -> None:
        async with self._sessions() as session:
            row = await session.get(TrainingRun, run_id)
            assert row is not None
            for key, value in values.items():
                setattr(row, key, value)
            await session.commit()
        self._announce(run_id)

    def _reader(self, run_id: int) -> Any:
        """What reads the trainer's output into the run's progress."""
        progress = self._progress[run_id]

        def read(line: str) -> None:
            if progress.read(line):
                self._announce(run_id)

        return read

    async def _figures(self, run_id: int, log: TextIO, model: Path) -> dict[str, Any]:
        progress = self._progress[run_id]

        def stories() -> None:
            if progress.enter("stories"):
                self._announce(run_id)

        return await self._steps.figures(model, log, stories)

    def _announce(self, run_id: int) -> None:
        self._hub.publish({"type": "training_changed", "run_id": run_id, "audience": "admin"})

    async def _train(self, run_id: int) -> None:
        progress = self._progress[run_id]
        self._logs.mkdir(parents=True, exist_ok=True)
        log_path = self._logs / f"run-{run_id}.log"
        name = model_name(self._root)
        model = self._models / f"{name}.tar.gz"
        try:
            await self._set(run_id, status=RunStatus.TRAINING, log_path=str(log_path))
            with log_path.open("w", encoding="utf-8") as log:
                progress.enter("preparing")
                if model.is_file():
                    log.write(f"The files are unchanged since {model.name} was trained.\n")
                else:
                    await self._steps.train(name, self._models, log, self._reader(run_id))
                    if not model.is_file():
                        raise RuntimeError("Rasa finished without writing the model")
                progress.enter("measuring")
                await self._set(run_id, status=RunStatus.EVALUATING, model=model.name)
                figures = None if self.fast else await self._figures(run_id, log, model)
                if not self.fast:
                    await self._measure_active(run_id, log)
            progress.finish()
            await self._set(
                run_id,
                status=RunStatus.READY,
                figures=figures,
                finished_at=utcnow(),
                progress={**progress.as_dict(), "percent": 100.0, "timings": progress.timings()},
            )
        except Exception as error:  # the run failed; the page shows why, the active model stays
            logger.exception("training run %s failed", run_id)
            progress.finish()
            await self._set(
                run_id,
                status=RunStatus.FAILED,
                error=str(error)[:2000] or type(error).__name__,
                finished_at=utcnow(),
                progress=progress.as_dict(),
            )
        finally:
            self._progress.pop(run_id, None)

    async def _measure_active(self, run_id: int, log: TextIO) -> None:
        """The active model's figures, for the comparison, when it has none yet (the model
        Rasa served at start was never measured here)."""
        async with self._sessions() as session:
            active = await session.scalar(
                select(TrainingRun).where(
                    TrainingRun.status == RunStatus.ACTIVE, TrainingRun.figures.is_(None)
                )
            )
            found = self._models / active.model if active and active.model else None
        if active is None or found is None or not found.is_file():
            return
        log.write(f"Measuring the active model {found.name} to compare with.\n")
        try:
            figures = await self._figures(run_id, log, found)
        except RuntimeError as error:  # e.g. a model older code cannot read: no comparison
            log.write(f"The active model could not be measured: {error}\n")
            return
        async with self._sessions() as session:
            row = await session.get(TrainingRun, active.id)
            if row is not None:
                row.figures = figures
                await session.commit()

    # --- which model answers -------------------------------------------------------------

    async def activate(self, run_id: int, by: Agent) -> dict[str, Any]:
        """Rasa answers with this run's model from now on (a rollback, for an earlier one)."""
        async with self._lock:
            async with self._sessions() as session:
                row = await session.get(TrainingRun, run_id)
                if row is None:
                    raise NotFound("no such training run")
                if row.status not in (RunStatus.READY, RunStatus.RETIRED):
                    raise Conflict(f"a {row.status} run cannot be activated")
                assert row.model is not None
                model = self._models / row.model
                if not model.is_file():
                    raise Conflict(f"the model file {row.model} is gone")
            seconds = await self._rasa.load_model(str(model.resolve()))
            logger.info("model %s active after %.1f s", row.model, seconds)
            async with self._sessions() as session:
                for active in await session.scalars(
                    select(TrainingRun).where(TrainingRun.status == RunStatus.ACTIVE)
                ):
                    active.status = RunStatus.RETIRED
                row = await session.get(TrainingRun, run_id)
                assert row is not None
                row.status = RunStatus.ACTIVE
                row.activated_by = by.id
                row.activated_at = utcnow()
                await session.commit()
        self._announce(run_id)
        return await self.run(run_id)

    async def recover(self) -> None:
        """At start: runs a stopped gateway left going are failed; the model Rasa serves is
        recorded as the active run when no run is."""
        async with self._sessions() as session:
            for row in await session.scalars(
                select(TrainingRun).where(TrainingRun.status.in_(GOING))
            ):
                row.status = RunStatus.FAILED
                row.error = "the gateway stopped while this run was going"
                row.finished_at = utcnow()
            active = await session.scalar(
                select(TrainingRun.id).where(TrainingRun.status == RunStatus.ACTIVE)
            )
            status = await self._rasa.status() if active is None else None
            served = Path(str((status or {}).get("model_file") or "")).name
            if served:
                found = next(
                    (
                        f
                        for f in (self._models / served, PROJECT / "models" / served)
                        if f.is_file()
                    ),
                    None,
                )
                if found is not None:
                    session.add(
                        TrainingRun(
                            status=RunStatus.ACTIVE,
                            model=served if found.parent == self._models else str(found),
                            progress={},
                            finished_at=utcnow(),
                            activated_at=utcnow(),
                        )
                    )
            await session.commit()

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
