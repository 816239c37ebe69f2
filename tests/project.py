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


def trainable_project(target: Path) -> Path:
    """A copy that trains as the checkout does: with the embedding cache, the classifier's last
    weights and Rasa's training cache of the checkout (shared, not copied)."""
    copy_project(target)
    for cache in (".cache", ".rasa"):
        if (ROOT / cache).is_dir():
            (target / cache).symlink_to(ROOT / cache)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project copy with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix == ".yml"
    }
