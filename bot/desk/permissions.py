"""Who may act on a chat or a ticket held by someone: the holder, or a supervisor or admin.

The routes' role policy is `bot/policy.py`; these are the ownership rules inside the desk."""

from __future__ import annotations

from bot.errors import Forbidden
from bot.models import Agent, Role

SENIOR_ROLES = (Role.SUPERVISOR, Role.ADMIN)
NOT_YOUR_CHAT = "only the agent who has this chat or a supervisor can do that"
NOT_YOUR_TICKET = "only the ticket's agent or a supervisor can do that"


def is_senior(agent: Agent) -> bool:
    return agent.role in SENIOR_ROLES


def require_holder(
    agent: Agent, holder_id: int | None, message: str, *, unheld_is_open: bool = False
) -> None:
    """The agent holds it, or is senior; with `unheld_is_open`, anyone may act while nobody
    holds it (a ticket nobody has taken yet)."""
    if is_senior(agent) or holder_id == agent.id or (unheld_is_open and holder_id is None):
        return
    raise Forbidden(message)
