"""Hand the conversation to a human agent: a ticket, a place in the queue, an honest wait."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import Reason
from actions.gateway import Gateway, GatewayUnavailable, HandoffRequest
from actions.message import latest
from actions.settings import get_settings
from actions.shop import facts
from actions.tickets import open_ticket
from actions.triage import current


def handoff_reasons(tracker: Tracker) -> list[str]:
    reasons = list(current(tracker)["reasons"])
    message = latest(tracker)
    asked = message.requests_person or (message.sure and message.intent == "contact_human_agent")
    if asked or tracker.get_slot("fallback_stage") == "offered_human":
        reasons.append(Reason.EXPLICIT_REQUEST.value)
    if tracker.get_slot("fallback_stage") in ("offered_human", "handoff"):
        reasons.append(Reason.REPEATED_FALLBACK.value)
    return list(dict.fromkeys(reasons)) or [Reason.EXPLICIT_REQUEST.value]


class ActionHandoffToHuman(Action):
    def name(self) -> str:
        return "action_handoff_to_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        settings = get_settings()
        language = latest(tracker).language
        reasons = handoff_reasons(tracker)
        events: list[EventType] = []
        ticket = tracker.get_slot("ticket")
        if not ticket:
            events = await open_ticket(dispatcher, tracker, reasons)
            ticket = next((e["value"] for e in events if e.get("name") == "ticket"), None)
        shop = facts(language)
        if not ticket:
            dispatcher.utter_message(response="utter_handoff_failed", **shop)
            return events
        request: HandoffRequest = {
            "sender_id": tracker.sender_id,
            "ticket_number": ticket["number"],
            "reasons": reasons,
            "severity": str(current(tracker)["severity"]),
            "language": language,
        }
        try:
            info = await Gateway(settings).hand_off(request)
        except GatewayUnavailable:
            dispatcher.utter_message(response="utter_handoff_failed", **shop)
            return events
        if info.get("agents_online", 0) > 0:
            dispatcher.utter_message(
                response="utter_handoff_queued",
                ticket_number=ticket["number"],
                position=info.get("queue_position", 1),
                wait=max(1, int(info.get("expected_wait_minutes", 5))),
                **shop,
            )
        else:
            dispatcher.utter_message(
                response="utter_handoff_offline",
                ticket_number=ticket["number"],
                next_opening=info.get("next_opening") or shop["support_hours"],
                **shop,
            )
        return [
            *events,
            SlotSet("escalation", "human"),
            SlotSet("fallback_count", 0),
            SlotSet("fallback_stage", None),
        ]
