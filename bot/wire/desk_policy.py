"""The desk's working policy (`data/desk.yml`): business hours, holidays and service levels.

Read by the gateway (calendar, SLA monitor) and the action server (due times told to
customers); an admin edits it on the admin pages, and both processes see the change at their
next read (the file is read again when its modification time changes).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

from bot.wire.yaml_files import read_yaml

SEVERITIES = ("critical", "severe", "medium", "light")


def _clock(value: str) -> str:
    try:
        time.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a time of day (HH:MM)") from error
    if len(value) != 5:
        raise ValueError(f"{value!r} is not a time of day (HH:MM)")
    return value


class Sla(BaseModel):
    first_response_minutes: dict[str, int] = Field(
        default_factory=lambda: {"critical": 5, "severe": 15, "medium": 60, "light": 120}
    )
    major_hours: int = Field(default=12, ge=1, le=720)
    general_hours: int = Field(default=24, ge=1, le=720)
    complex_hours: int = Field(default=48, ge=1, le=720)
    warning_share: float = Field(default=0.75, gt=0, lt=1)

    @field_validator("first_response_minutes")
    @classmethod
    def _every_severity(cls, value: dict[str, int]) -> dict[str, int]:
        missing = [s for s in SEVERITIES if s not in value]
        if missing or set(value) - set(SEVERITIES):
            raise ValueError(f"needs exactly the severities {', '.join(SEVERITIES)}")
        if any(not 1 <= minutes <= 24 * 60 for minutes in value.values()):
            raise ValueError("first response targets are between 1 minute and 24 hours")
        return value


class DeskPolicy(BaseModel):
    weekday_hours: tuple[str, str] = ("09:00", "21:00")
    weekend_hours: tuple[str, str] = ("10:00", "18:00")
    holidays: tuple[str, ...] = ()
    sla: Sla = Sla()

    @field_validator("weekday_hours", "weekend_hours")
    @classmethod
    def _opening(cls, value: tuple[str, str]) -> tuple[str, str]:
        opens, closes = (_clock(v) for v in value)
        if opens >= closes:
            raise ValueError(f"opens at {opens} but closes at {closes}")
        return value

    @field_validator("holidays")
    @classmethod
    def _dates(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for day in value:
            try:
                date.fromisoformat(day)
            except ValueError as error:
                raise ValueError(f"{day!r} is not a date (YYYY-MM-DD)") from error
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _sla_order(self) -> DeskPolicy:
        if self.sla.major_hours > self.sla.general_hours:
            raise ValueError("a major complaint cannot be given longer than a general issue")
        return self


_read: dict[Path, tuple[Any, DeskPolicy]] = {}


def read_policy(path: Path) -> DeskPolicy:
    """The policy in `path` (the defaults when there is no such file), read again on change."""
    data = read_yaml(path)
    known = _read.get(path)
    if known is not None and known[0] is data:
        return known[1]
    policy = DeskPolicy.model_validate(data if isinstance(data, dict) else {})
    _read[path] = (data, policy)
    return policy
