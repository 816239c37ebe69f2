"""A report's period and filters: shop-local calendar days (the end day included), a channel, a
language; and the statistics every figure shares."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.db import as_utc
from bot.errors import Invalid

CHANNELS = ("", "web", "telegram")
LANGUAGES = ("", "en", "zh")
LONGEST = timedelta(days=366)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    timezone: str
    channel: str = ""
    language: str = ""

    @classmethod
    def parse(cls, start: str, end: str, timezone: str, channel: str, language: str) -> Period:
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError as error:
            raise Invalid("start and end are dates: YYYY-MM-DD") from error
        if last < first or last - first > LONGEST:
            raise Invalid("the period runs forward, a year at most")
        if channel not in CHANNELS or language not in LANGUAGES:
            raise Invalid("channel is web or telegram, language en or zh")
        return cls(first, last, timezone, channel, language)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(0), ZoneInfo(self.timezone))

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(0), ZoneInfo(self.timezone))

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.since <= as_utc(moment) < self.until

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def day_of(self, moment: datetime) -> date:
        return as_utc(moment).astimezone(ZoneInfo(self.timezone)).date()

    def as_dict(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "channel": self.channel,
            "language": self.language,
            "timezone": self.timezone,
        }


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile (linear between the closest ranks, the value itself for one)."""
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=10, method="inclusive")[8], 2)


def mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def minutes(start: datetime, end: datetime) -> float:
    return (as_utc(end) - as_utc(start)).total_seconds() / 60
