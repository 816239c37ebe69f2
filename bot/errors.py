"""The gateway's domain errors. They say what went wrong, not how HTTP says it: one exception
handler (`bot/app.py`) maps each kind to an HTTP status code."""

from __future__ import annotations


class DomainError(Exception):
    """Something asked of the gateway that it cannot do; `str(error)` says why."""


class NotFound(DomainError):
    """No such thing (or none the asker may see)."""


class Conflict(DomainError):
    """Not in this state: the chat is someone else's, not waiting, and the like."""


class Invalid(DomainError):
    """A request that is malformed or out of range."""


class Unavailable(DomainError):
    """Something the gateway needs (the assistant) cannot be reached right now."""


class Forbidden(DomainError):
    """The asker is known but their role may not do this."""
