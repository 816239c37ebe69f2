"""The reports the console asks for: the period's summary, and each of its tables as CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import utcnow
from bot.errors import NotFound
from bot.reports.agents import agents
from bot.reports.figures import figures, load, voice
from bot.reports.period import Period
from bot.settings import Settings

TABLES = ("figures", "voice", "agents", "escalations")


def _flat(prefix: str, value: Any, out: list[list[Any]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}" if prefix else str(key), inner, out)
    else:
        out.append([prefix, value])


class Reports:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self._sessions = sessions
        self._settings = settings

    def period(self, start: str, end: str, channel: str, language: str) -> Period:
        """The period asked for; by default the last seven days, today (shop time) included."""
        zone = self._settings.timezone
        today = utcnow().astimezone(ZoneInfo(zone)).date()
        start = start or (today - timedelta(days=6)).isoformat()
        return Period.parse(start, end or today.isoformat(), zone, channel, language)

    async def summary(self, period: Period) -> dict[str, Any]:
        async with self._sessions() as session:
            cohort = await load(session, period)
            return {
                "period": period.as_dict(),
                "figures": figures(cohort, self._settings),
                "voice": voice(cohort, period),
                "agents": await agents(session, cohort),
            }

    async def table(self, name: str, period: Period) -> str:
        """One table of the summary as CSV (a header row, then one row per line)."""
        if name not in TABLES:
            raise NotFound(f"the tables are {', '.join(TABLES)}")
        summary = await self.summary(period)
        rows: list[list[Any]]
        if name == "figures":
            rows = [["figure", "value"]]
            _flat("", summary["figures"], rows)
        elif name == "escalations":
            reasons = summary["figures"]["escalation_rate"]["by_reason"]
            rows = [["reason", "conversations"], *([k, v] for k, v in reasons.items())]
        elif name == "agents":
            keys = list(summary["agents"][0])
            rows = [keys, *([row[k] for k in keys] for row in summary["agents"])]
        else:
            voice_of = summary["voice"]
            rows = [["kind", "name", *voice_of["days"], "total"]]
            for kind in ("by_category", "by_severity"):
                for key, counts in voice_of[kind].items():
                    rows.append([kind.removeprefix("by_"), key, *counts, sum(counts)])
            for kind in ("products", "problems"):
                rows.extend(
                    [kind.removesuffix("s"), key, *([""] * len(voice_of["days"])), n]
                    for key, n in voice_of[kind]
                )
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(
                json.dumps(v) if isinstance(v, list | dict) else ("" if v is None else v)
                for v in row
            )
        return out.getvalue()
