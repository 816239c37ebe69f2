"""The programs of a training run, each in its own process in the project's folder: Rasa's
trainer (its output read line by line for the progress and the log), then the figures — the
held-out sets read with the model (`nlu.figures`, in Rasa's environment), the policy's decisions
on those readings (`actions.figures`) and the test stories (`rasa test core`)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sys
import tempfile
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from bot.settings import PROJECT

STORY = re.compile(r"^- story:", re.MULTILINE)
# Rasa's debug output is kept in the log only where it says what is being trained
SHOWN = re.compile(r"\b(INFO|WARNING|ERROR)\b|Error|Traceback|running '[A-Za-z]+\.train'")


class Steps:
    def __init__(self, root: Path, rasa_venv: Path) -> None:
        self._root = root
        self._rasa = str(rasa_venv / "bin" / "rasa")
        self._python = str(rasa_venv / "bin" / "python")

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(PROJECT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONWARNINGS": "ignore",
        }

    async def train(
        self, name: str, models: Path, log: TextIO, on_line: Callable[[str], None]
    ) -> None:
        """Rasa's trainer, to models/<name>.tar.gz (its debug output names each component)."""
        command = [self._rasa, "train", "--fixed-model-name", name, "--out", str(models)]
        await self.run([*command, "--debug"], log, on_line)

    async def run(
        self, command: list[str], log: TextIO, on_line: Callable[[str], None] = lambda _: None
    ) -> str:
        """Runs one program, its output into the log; returns the output's last part. Raises
        RuntimeError when it fails; kills it when the run is cancelled."""
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=self._root,
            env=self._env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert process.stdout is not None
        kept: deque[str] = deque(maxlen=50)
        try:
            async for raw in process.stdout:
                line = raw.decode("utf-8", "replace").rstrip()
                on_line(line)
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

    async def figures(
        self, model: Path, log: TextIO, on_stories: Callable[[], None] = lambda: None
    ) -> dict[str, Any]:
        """The model's figures: held-out intent accuracy per language, escalation precision
        and recall, the test stories passed."""
        with tempfile.TemporaryDirectory(prefix="lera-figures-") as folder:
            readings = Path(folder) / "readings.json"
            await self.run(
                [self._python, "-m", "nlu.figures", "--model", str(model), "--out", str(readings)],
                log,
            )
            printed = await self.run(
                [sys.executable, "-m", "actions.figures", "--readings", str(readings)], log
            )
            figures: dict[str, Any] = json.loads(printed.splitlines()[-1])
            on_stories()
            out = Path(folder) / "stories"
            stories = PROJECT / "tests" / "stories"
            with contextlib.suppress(RuntimeError):  # a failed story is a figure, not an error
                test = [self._rasa, "test", "core", "--model", str(model)]
                await self.run([*test, "--stories", str(stories), "--out", str(out)], log)
            figures["stories"] = stories_figures(stories, out)
        log.write(f"figures: {json.dumps(figures)}\n")
        return figures


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
