"""The trained model's name: a hash of the files it is trained from, so that a model is reused
while they are unchanged (`make train`, and training from the admin pages, name it alike).

    python -m bot.model_name [project folder]      prints lera-<16 hex digits>

Standard library only: the Makefile runs it before anything is installed.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

FIXED_INPUTS = ("config.yml", "domain.yml", "tests/escalation/dev.yml")
FOLDERS = ("data/nlu", "data/rules", "data/stories", "nlu")
# read by the evaluation only, not by training
NOT_INPUTS = frozenset({"evaluate.py", "figures.py"})


def model_inputs(root: Path) -> list[str]:
    found = [
        path.relative_to(root).as_posix()
        for folder in FOLDERS
        if (root / folder).is_dir()
        for path in (root / folder).rglob("*")
        if path.is_file() and path.suffix in (".yml", ".py") and path.name not in NOT_INPUTS
    ]
    return [name for name in FIXED_INPUTS if (root / name).is_file()] + sorted(found)


def model_name(root: Path) -> str:
    listing = "".join(
        f"{hashlib.sha256((root / name).read_bytes()).hexdigest()}  {name}\n"
        for name in model_inputs(root)
    )
    return f"lera-{hashlib.sha256(listing.encode()).hexdigest()[:16]}"


if __name__ == "__main__":
    print(model_name(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
