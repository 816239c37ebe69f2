"""Hand the conversation to a human agent: a ticket, a place in the queue, an honest wait."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import Reason
from actions.gateway import Gateway, GatewayUnavailable, HandoffRequest
from actions.lera import NextStep, Step
from actions.message import latest
from actions.settings import get_settings
from actions.speech import say
from actions.tickets import case_slot, open_case, open_ticket
from actions.triage import current


def handoff_reasons(tracker: Tracker) -> list[str]:
    reasons = list(current(tracker)["reasons"])
    message = latest(tracker)
    if message.wants_person or tracker.get_slot("fallback_stage") == "offered_human":
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
        language = latest(tracker).language
        reasons = handoff_reasons(tracker)
        existing = await open_case(tracker)
        case = existing or await open_ticket(tracker, reasons)
        if case is None:
            return say(dispatcher, tracker, NextStep(Step.FAILED))
        request: HandoffRequest = {
            "sender_id": tracker.sender_id,
            "ticket_number": case.number,
            "reasons": reasons,
            "severity": str(current(tracker)["severity"]),
            "language": language,
        }
        try:
            info = await Gateway(get_settings()).hand_off(request)
        except GatewayUnavailable:
            return [*say(dispatcher, tracker, NextStep(Step.FAILED)), case_slot(case)]
        online = info.get("agents_online", 0) > 0
        nxt = NextStep(
            Step.QUEUED if online else Step.OFFLINE,
            case.number,
            case.due(language),
            position=int(info.get("queue_position", 1)),
            wait=max(1, int(info.get("expected_wait_minutes", 5))),
            opening=str(info.get("next_opening") or ""),
            reused=existing is not None,
        )
        return [
            *say(dispatcher, tracker, nxt),
            case_slot(case),
            SlotSet("escalation", "human"),
            SlotSet("fallback_count", 0),
            SlotSet("fallback_stage", None),
        ]
