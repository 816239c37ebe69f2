"""`rasa data validate` on the project as a change would leave it: the files are copied aside
with the draft applied, so an invalid change never touches the real ones."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
from pathlib import Path

from bot.admin.draft import Draft
from bot.admin.problems import Problem

PROJECT_FILES = ("config.yml", "domain.yml", "data")
# Rasa's own notes that say nothing about the project
NOISE = re.compile(r"Sanic|tensorflow|DeprecationWarning|warnings.warn|pkg_resources|^\s*$")
TIMEOUT = 180.0


def needs_rasa(draft: Draft) -> bool:
    return any(p == "domain.yml" or p.startswith("data/") for p in draft.changed())


async def rasa_problems(draft: Draft, rasa: Path) -> list[Problem]:
    """What Rasa's validator says of the draft (nothing: it passed)."""
    with tempfile.TemporaryDirectory(prefix="lera-validate-") as folder:
        staged = Path(folder)
        for name in PROJECT_FILES:
            source = draft.root / name
            if source.is_dir():
                shutil.copytree(source, staged / name)
            elif source.is_file():
                shutil.copy2(source, staged / name)
        for path, (_, after) in draft.changed().items():
            target = staged / path
            if after is None:
                target.unlink(missing_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(after, encoding="utf-8")
        process = await asyncio.create_subprocess_exec(
            str(rasa),
            "data",
            "validate",
            "--fail-on-warnings",
            cwd=staged,
            env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "PYTHONWARNINGS": "ignore"},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), TIMEOUT)
        except TimeoutError:
            process.kill()
            return [Problem("project", "Rasa's validator did not finish in time")]
    if process.returncode == 0:
        return []
    lines = [
        line.strip()
        for line in output.decode("utf-8", "replace").splitlines()
        if not NOISE.search(line)
    ]
    said = [line for line in lines if "WARNING" in line or "ERROR" in line or "Error" in line]
    return [Problem("project", _plain(line)) for line in (said or lines[-3:])][:10]


def _plain(line: str) -> str:
    """A log line without its timestamp and logger name."""
    return re.sub(r"^\S+ \S+\s+\S+\s+- ", "", line)[:400]
