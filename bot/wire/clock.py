"""How a moment is said to a customer, in the shop's time zone and the customer's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def say_time(moment: datetime, language: str, timezone: str) -> str:
    """ "Tue 01 Dec, 18:30" or "12月1日 18:30" in the shop's time zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    if language == "zh":
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return local.strftime("%a %d %b, %H:%M")
