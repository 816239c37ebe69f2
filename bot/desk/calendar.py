"""The team's working calendar: when it is at work (weekday and weekend hours, holidays off, in
the shop's time zone), so nothing is promised or falls due while nobody is there."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.db import as_utc
from bot.settings import Settings
from bot.wire.clock import say_time


def next_opening(moment: datetime, settings: Settings) -> datetime:
    """When the team is next at work (now, if it is)."""
    zone = ZoneInfo(settings.timezone)
    local = moment.astimezone(zone)
    policy = settings.policy
    holidays = {date.fromisoformat(d) for d in policy.holidays}
    for days in range(60):
        day = (local + timedelta(days=days)).date()
        if day in holidays:
            continue
        start, end = policy.weekend_hours if day.weekday() >= 5 else policy.weekday_hours
        opens = datetime.combine(day, time.fromisoformat(start), zone)
        closes = datetime.combine(day, time.fromisoformat(end), zone)
        if local < closes:
            return max(opens, local)
    return local


def promise(now: datetime, hours: int, settings: Settings) -> datetime:
    """When a case opened now can be promised an answer: `hours` from now, or — when that falls
    while the team is away — when it is next at work (nobody promises an answer at 3 a.m.)."""
    return next_opening(now + timedelta(hours=hours), settings)


def opening_text(now: datetime, language: str, settings: Settings) -> str | None:
    """When the team is next at work, said to the customer; None when it is at work now."""
    upcoming = next_opening(now, settings)
    if upcoming > now + timedelta(minutes=1):
        return say_time(upcoming, language, settings.timezone)
    return None


def resumed_due(
    due: datetime, paused_from: datetime, now: datetime, settings: Settings
) -> datetime:
    """A due time after the SLA clock stood still from `paused_from` to `now` (the ticket waited
    on the customer): moved on by the pause, into the team's hours."""
    due, paused_from = as_utc(due), as_utc(paused_from)
    return next_opening(due + max(now - paused_from, timedelta(0)), settings)


def business_minutes(start: datetime, end: datetime, settings: Settings) -> float:
    """Minutes between two moments counted only while the team is at work (its hours, not on
    holidays): what a report's "business hours" clock reads."""
    zone = ZoneInfo(settings.timezone)
    start, end = as_utc(start).astimezone(zone), as_utc(end).astimezone(zone)
    if end <= start:
        return 0.0
    policy = settings.policy
    holidays = {date.fromisoformat(d) for d in policy.holidays}
    total = timedelta(0)
    day = start.date()
    while day <= end.date():
        if day not in holidays:
            opens_at, closes_at = (
                policy.weekend_hours if day.weekday() >= 5 else policy.weekday_hours
            )
            opens = datetime.combine(day, time.fromisoformat(opens_at), zone)
            closes = datetime.combine(day, time.fromisoformat(closes_at), zone)
            overlap = min(closes, end) - max(opens, start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 60
