"""The wire format of the gateway's internal API, which the action server calls with its
service token. One definition: the gateway validates requests against these types and the
action server builds them (typing_extensions' TypedDict, which pydantic can validate)."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

TICKETS_PATH = "/internal/tickets"
HANDOFFS_PATH = "/internal/handoffs"
PRESENCE_PATH = "/internal/presence"
SEVERITIES = ("light", "medium", "severe", "critical")
CATEGORY_MAX_CHARS = 40
SUBJECT_MAX_CHARS = 300


class TicketRequest(TypedDict):
    """POST /internal/tickets: open a ticket in the customer's open conversation (201)."""

    sender_id: str
    category: str
    severity: str  # one of SEVERITIES
    subject: str
    description: str
    reasons: NotRequired[list[str]]
    language: NotRequired[str]
    # ISO 8601
    first_response_due_at: NotRequired[str | None]
    due_at: NotRequired[str | None]
    analysis: NotRequired[dict[str, Any]]


class TicketInfo(TypedDict, total=False):
    """What the action server reads of a ticket the internal API answers with (POST and
    GET /internal/tickets, GET /internal/tickets/{number}?sender_id=…: newest first). The
    gateway's answer carries the whole ticket record; `due_at` is set on every ticket opened
    through POST /internal/tickets by the action server."""

    number: int
    status: str
    category: str
    severity: str
    subject: str
    due_at: str
    created_at: str
    updated_at: str


class HandoffRequest(TypedDict):
    """POST /internal/handoffs: the customer's chat is to go to a person. The gateway records
    it and applies it when the assistant's answer to the message in hand comes back."""

    sender_id: str
    ticket_number: NotRequired[int | None]
    reasons: NotRequired[list[str]]
    severity: NotRequired[str]
    language: NotRequired[str]


class HandoffInfo(TypedDict):
    """The answer to a hand-off: what to tell the customer about the wait."""

    status: str  # "queued"
    queue_position: int
    agents_online: int
    expected_wait_minutes: int
    next_opening: str | None  # when the team is back, if nobody is at work now


class PresenceInfo(TypedDict):
    """GET /internal/presence?language=…&hours=…: whether anyone is at work to take a case
    opened now, and when its answer can honestly be promised."""

    agents_online: int
    # when the team is next at work, said in the customer's language; None when it is now
    next_opening: str | None
    # ISO 8601: `hours` from now, moved to the next opening when that falls outside them
    due_at: str
