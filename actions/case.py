"""A customer's case as the actions see it: its number, severity, due time and problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from actions.gateway import PresenceInfo, TicketInfo
from actions.settings import get_settings
from bot.wire.clock import say_time

CLOSED_STATUSES = frozenset({"resolved", "closed"})


@dataclass(frozen=True)
class Case:
    number: int
    severity: str
    due_at: str
    problem: str | None = None
    # who was at work when the case was opened (the gateway's answer), when it was asked
    team: PresenceInfo | None = None

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
        return say_time(datetime.fromisoformat(self.due_at), language, get_settings().timezone)
