"""YAML files an admin edits while the processes run (the shop's facts, the phrase bank, the
intent titles, the desk policy): read again when the file has changed, else from memory.

An edit replaces the file (written aside and renamed), so its inode, time or size differs."""

from __future__ import annotations

from pathlib import Path
from threading import Lock
from typing import Any

import yaml

_cache: dict[Path, tuple[tuple[int, int, int], Any]] = {}
_lock = Lock()


def read_yaml(path: Path) -> Any:
    """The file's data as it is now (None when there is no such file)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    stamp = (found.st_ino, found.st_mtime_ns, found.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    with _lock:
        _cache[path] = (stamp, data)
    return data
