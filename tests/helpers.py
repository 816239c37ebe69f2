"""Shared test helpers: trackers built inline, as rasa-sdk's own tests do."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def parse_data(
    text: str,
    intent: str,
    confidence: float = 0.95,
    analysis: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    ranking: list[tuple[str, float]] | None = None,
    message_id: str = "m1",
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking or []],
        "entities": entities or [],
        "analysis": {
            "language": "en",
            "emotion": None,
            "intensity_level": "none",
            **(analysis or {}),
        },
        "message_id": message_id,
        "metadata": metadata or {},
    }


def tracker(
    latest: dict[str, Any],
    slots: dict[str, Any] | None = None,
    earlier: list[dict[str, Any]] | None = None,
    sender_id: str = "customer-1",
) -> Tracker:
    events = [{"event": "user", "text": p["text"], "parse_data": p} for p in earlier or []]
    events.append({"event": "user", "text": latest["text"], "parse_data": latest})
    return Tracker(
        sender_id=sender_id,
        slots={"lera_recent": [], "fallback_count": 0, **(slots or {})},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
