"""How far a training run is: its stages, each with its share of the time (measured on the last
run that went through it, else an estimate), read from the trainer's output as it comes."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

# (name, share of a whole run when nothing was measured yet)
STAGES: tuple[tuple[str, float], ...] = (
    ("preparing", 0.08),
    ("understanding", 0.50),
    ("dialogue", 0.07),
    ("packing", 0.05),
    ("measuring", 0.20),
    ("stories", 0.10),
)
# Rasa's debug line for each component it trains or runs on the training data
NODE = re.compile(r"Node '(?P<node>[^']+)' running '(?P<component>[^.']+)\.")


@dataclass
class Progress:
    # seconds each stage took on an earlier run
    measured: dict[str, float] = field(default_factory=dict)
    current: str | None = None
    done: dict[str, float] = field(default_factory=dict)
    component: str | None = None
    _started: float = field(default_factory=time.monotonic)

    def shares(self) -> dict[str, float]:
        if all(name in self.measured for name, _ in STAGES):
            total = sum(self.measured.values()) or 1.0
            return {name: self.measured[name] / total for name, _ in STAGES}
        return dict(STAGES)

    def enter(self, stage: str) -> bool:
        """Moves on to `stage` (a stage before it that never ran took no time); True when it is
        a new one."""
        if stage == self.current or stage in self.done:
            return False
        self.finish()
        names = [name for name, _ in STAGES]
        for name in names[: names.index(stage)]:
            self.done.setdefault(name, 0.0)
        self.current, self._started = stage, time.monotonic()
        return True

    def finish(self) -> None:
        if self.current is not None and self.current not in self.done:
            self.done[self.current] = time.monotonic() - self._started
        self.current = None

    def read(self, line: str) -> bool:
        """Takes one line of Rasa's training output; True when the stage changed."""
        node = NODE.search(line)
        if node is None:
            if "Your Rasa model is trained and saved" in line:
                return self.enter("packing")
            return False
        self.component = node["component"]
        stage = "dialogue" if node["component"].endswith("Policy") else "understanding"
        return self.enter(stage)

    def as_dict(self) -> dict[str, Any]:
        shares = self.shares()
        percent = sum(shares[name] for name in self.done)
        if self.current is not None:
            expected = self.measured.get(self.current)
            elapsed = time.monotonic() - self._started
            part = min(0.9, elapsed / expected) if expected else 0.5
            percent += shares[self.current] * part
        return {
            "percent": round(min(100.0, percent * 100), 1),
            "stage": self.current,
            "component": self.component,
            "stages": [
                {
                    "name": name,
                    "share": round(shares[name], 3),
                    "state": "done"
                    if name in self.done
                    else "running"
                    if name == self.current
                    else "waiting",
                    "seconds": round(self.done[name], 1) if name in self.done else None,
                }
                for name, _ in STAGES
            ],
        }

    def timings(self) -> dict[str, float]:
        return dict(self.done)
