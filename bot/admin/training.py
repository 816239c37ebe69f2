"""Training runs from the admin pages: one at a time, in a process of its own (Rasa's trainer,
then the figures), with its progress and log; the model it makes is measured beside the active
one, and activated — or an earlier one rolled back to — without losing a message.

Rasa's training cache (`.rasa/cache`) and the embedding cache (`.cache/embeddings.sqlite3`)
make a small edit train in seconds: only the components whose inputs changed run again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.admin.changes import ChangeLog, person
from bot.admin.progress import Progress
from bot.db import utcnow
from bot.errors import Conflict, NotFound
from bot.events import Hub
from bot.model_name import model_name
from bot.models import Agent, RunStatus, TrainingRun
from bot.rasa import RasaClient
from bot.settings import PROJECT, Settings

logger = logging.getLogger(__name__)

GOING = (RunStatus.QUEUED, RunStatus.TRAINING, RunStatus.EVALUATING)
LOG_LINES = 200
STORY = re.compile(r"^- story:", re.MULTILINE)
# Rasa's debug output is kept in the log only where it says what is being trained
SHOWN = re.compile(r"\b(INFO|WARNING|ERROR)\b|Error|Traceback|running '[A-Za-z]+\.train'")
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
        self._settings = settings
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
            dicts = [await self._as_dict(session, r, active) for r in runs]
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
            out = await self._as_dict(session, row, active)
        out["log"] = self._tail(row.log_path)
        return out

    def _tail(self, path: str | None) -> list[str]:
        if not path or not Path(path).is_file():
            return []
        with Path(path).open(encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n") for line in deque(f, LOG_LINES)]

    async def _as_dict(
        self, session: AsyncSession, row: TrainingRun, active: TrainingRun | None
    ) -> dict[str, Any]:
        starter = await session.get(Agent, row.started_by) if row.started_by else None
        activator = await session.get(Agent, row.activated_by) if row.activated_by else None
        live = self._progress.get(row.id)
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
                    await self._step(
                        run_id,
                        log,
                        [
                            str(self._settings.rasa_venv / "bin" / "rasa"),
                            "train",
                            "--fixed-model-name",
                            name,
                            "--out",
                            str(self._models),
                            "--debug",
                        ],
                    )
                    if not model.is_file():
                        raise RuntimeError("Rasa finished without writing the model")
                progress.enter("measuring")
                await self._set(run_id, status=RunStatus.EVALUATING, model=model.name)
                figures = None if self.fast else await self._figures(run_id, log, model)
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

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(PROJECT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONWARNINGS": "ignore",
        }

    async def _step(self, run_id: int, log: Any, command: list[str]) -> str:
        """Runs one command of the run, its output into the log (and the progress); returns
        its output's last part. Raises when it fails."""
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=self._root,
            env=self._env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert process.stdout is not None
        progress = self._progress[run_id]
        kept: deque[str] = deque(maxlen=50)
        try:
            async for raw in process.stdout:
                line = raw.decode("utf-8", "replace").rstrip()
                if progress.read(line):
                    self._announce(run_id)
                if (SHOWN.search(line) and "DEBUG" not in line) or "running '" in line:
                    log.write(line[:500] + "\n")
                    log.flush()
                kept.append(line)
            code = await process.wait()
        except asyncio.CancelledError:  # the gateway stops: so does the run's process
            process.kill()
            await process.wait()
            raise
        if code != 0:
            tail = "\n".join(list(kept)[-8:])
            raise RuntimeError(
                f"{Path(command[0]).name} {command[1]} failed (exit {code}):\n{tail}"
            )
        return "\n".join(kept)

    async def _figures(self, run_id: int, log: Any, model: Path) -> dict[str, Any]:
        progress = self._progress[run_id]
        with tempfile.TemporaryDirectory(prefix="lera-figures-") as folder:
            readings = Path(folder) / "readings.json"
            rasa_python = str(self._settings.rasa_venv / "bin" / "python")
            await self._step(
                run_id,
                log,
                [rasa_python, "-m", "nlu.figures", "--model", str(model), "--out", str(readings)],
            )
            printed = await self._step(
                run_id, log, [sys.executable, "-m", "actions.figures", "--readings", str(readings)]
            )
            figures: dict[str, Any] = json.loads(printed.splitlines()[-1])
            progress.enter("stories")
            self._announce(run_id)
            out = Path(folder) / "stories"
            with contextlib.suppress(RuntimeError):  # a failed story is a figure, not an error
                await self._step(
                    run_id,
                    log,
                    [
                        str(self._settings.rasa_venv / "bin" / "rasa"),
                        "test",
                        "core",
                        "--model",
                        str(model),
                        "--stories",
                        str(PROJECT / "tests" / "stories"),
                        "--out",
                        str(out),
                    ],
                )
            figures["stories"] = stories_figures(PROJECT / "tests" / "stories", out)
        log.write(f"figures: {json.dumps(figures)}\n")
        return figures

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


def stories_figures(stories: Path, out: Path) -> dict[str, Any]:
    total = sum(len(STORY.findall(f.read_text(encoding="utf-8"))) for f in stories.glob("*.yml"))
    failed_file = out / "failed_test_stories.yml"
    failed = (
        len(STORY.findall(failed_file.read_text(encoding="utf-8"))) if failed_file.is_file() else 0
    )
    passed = total - failed
    return {
        "passed": passed,
        "total": total,
        "passed_share": round(passed / total, 4) if total else None,
    }
