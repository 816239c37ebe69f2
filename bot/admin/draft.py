"""A change to the project files staged in memory: documents loaded once, edited, checked, and
only then written — every file at once, each replaced atomically (written aside, renamed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bot.admin.round_trip import dumps, loads

# the C loader where PyYAML has it: the checks read every project file
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Draft:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._docs: dict[str, Any] = {}
        self._before: dict[str, str | None] = {}
        self._texts: dict[str, str | None] = {}

    def original(self, path: str) -> str | None:
        """The file's text as it is on disk (None: no such file)."""
        if path not in self._before:
            file = self.root / path
            self._before[path] = file.read_text(encoding="utf-8") if file.is_file() else None
        return self._before[path]

    def doc(self, path: str, empty: Any = None) -> Any:
        """The file's round-trip document, to edit in place (`empty` when there is no file)."""
        if path not in self._docs:
            text = self.text(path)
            self._docs[path] = loads(text) if text is not None else empty
        return self._docs[path]

    def put(self, path: str, doc: Any) -> Any:
        """A new document for the file (one that does not exist yet, or is empty)."""
        self.original(path)
        self._texts.pop(path, None)
        self._docs[path] = doc
        return doc

    def text(self, path: str) -> str | None:
        """The file's text as the draft has it now."""
        if path in self._docs:
            doc = self._docs[path]
            return None if doc is None else dumps(doc)
        if path in self._texts:
            return self._texts[path]
        return self.original(path)

    def plain(self, path: str) -> Any:
        """The file as plain data (what Rasa and the checks read)."""
        text = self.text(path)
        return yaml.load(text, Loader=SafeLoader) if text is not None else None

    def set_text(self, path: str, text: str | None) -> None:
        """Replaces a file's whole text (None: the file goes); used by reverts."""
        self.original(path)
        self._docs.pop(path, None)
        self._texts[path] = text

    def changed(self) -> dict[str, tuple[str | None, str | None]]:
        """{path: (before, after)} of every file the draft changes."""
        out = {}
        for path in sorted({*self._docs, *self._texts}):
            before, after = self.original(path), self.text(path)
            if before != after:
                out[path] = (before, after)
        return out

    def write(self) -> None:
        for path, (_, after) in self.changed().items():
            target = self.root / path
            if after is None:
                target.unlink(missing_ok=True)
                continue
            write_atomically(target, after)


def write_atomically(target: Path, text: str) -> None:
    """The file is replaced whole or not at all: a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
