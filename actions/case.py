"""A customer's case as the actions see it: its number, severity, due time and problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from actions.gateway import TicketInfo
from actions.settings import ActionSettings, get_settings

CLOSED_STATUSES = frozenset({"resolved", "closed"})


def format_due(due: datetime, language: str, settings: ActionSettings) -> str:
    local = due.astimezone(ZoneInfo(settings.timezone))
    if language == "zh":
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return local.strftime("%a %d %b, %H:%M")


@dataclass(frozen=True)
class Case:
    number: int
    severity: str
    due_at: str
    problem: str | None = None

    @classmethod
    def of(cls, ticket: TicketInfo, problem: str | None) -> Case:
        return cls(
            int(ticket["number"]),
            str(ticket.get("severity") or "medium"),
            str(ticket.get("due_at") or ""),
            problem,
        )

    def due(self, language: str) -> str:
        if not self.due_at:
            return ""
        return format_due(datetime.fromisoformat(self.due_at), language, get_settings())
