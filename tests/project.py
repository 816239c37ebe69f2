"""A copy of the assistant's Rasa project for a test to edit (the real files stay as they are)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = (
    "config.yml",
    "domain.yml",
    "data",
    "actions/lera_phrases.yml",
    "actions/intent_titles.yml",
)


def copy_project(target: Path) -> Path:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project copy with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix == ".yml"
    }
