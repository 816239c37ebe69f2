"""The escalation decision of the current turn, made once and kept in the `triage` slot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.escalation import Decision, decide
from actions.message import CustomerMessage, earlier_messages, latest
from actions.settings import get_settings


def triage(tracker: Tracker) -> tuple[CustomerMessage, Decision]:
    """The escalation decision for the latest message, in the light of the conversation."""
    message = latest(tracker)
    earlier = earlier_messages(tracker)
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    decision = decide(
        message,
        previous=earlier[-1] if earlier else None,
        previous_outcome=tracker.get_slot("escalation"),
        tier=metadata.get("tier"),
        vip_tiers=get_settings().vip_tiers,
        has_open_ticket=bool(tracker.get_slot("ticket")),
    )
    return message, decision


def as_slot(decision: Decision, tracker: Tracker) -> dict[str, Any]:
    return {
        "message_id": (tracker.latest_message or {}).get("message_id"),
        "outcome": decision.outcome.value,
        "severity": decision.severity.value,
        "reasons": decision.reason_codes,
    }


def triage_events(decision: Decision, tracker: Tracker) -> list[EventType]:
    """Records the turn's decision; a handled message also ends a run of misunderstandings."""
    return [
        SlotSet("escalation", decision.outcome.value),
        SlotSet("triage", as_slot(decision, tracker)),
        SlotSet("fallback_count", 0),
        SlotSet("fallback_stage", None),
    ]


def current(tracker: Tracker) -> dict[str, Any]:
    """This turn's decision: from the slot when an earlier action of the turn made it."""
    kept = tracker.get_slot("triage") or {}
    message_id = (tracker.latest_message or {}).get("message_id")
    if kept and message_id is not None and kept.get("message_id") == message_id:
        return dict(kept)
    _, decision = triage(tracker)
    return as_slot(decision, tracker)
