"""Saying a LERA reply: composed from the latest message, its decision and what happens next."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import lera
from actions.escalation import Decision, Outcome, Severity
from actions.message import CustomerMessage, case_message
from actions.shop import facts
from actions.triage import current, triage_events


def say(dispatcher: CollectingDispatcher, tracker: Tracker, nxt: lera.NextStep) -> list[EventType]:
    """Says the LERA reply to the latest message, now that its next step is known."""
    message = case_message(tracker)
    severity = Severity(str(current(tracker)["severity"]))
    picker = lera.Picker(tracker.get_slot("lera_recent"))
    for bubble in lera.compose(message, severity, nxt, picker, facts(message.language)):
        dispatcher.utter_message(text=bubble)
    return [SlotSet("lera_recent", picker.recent)]


def lera_reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, message: CustomerMessage, decision: Decision
) -> list[EventType]:
    """Records the turn's decision. When the bot keeps the chat, the LERA reply is said now;
    when a ticket or a person follows, the action that opens it says the whole reply, with the
    case number, who and by when — one message, never a promise a later bubble takes back."""
    events = triage_events(decision, tracker)
    if decision.outcome is not Outcome.BOT:
        return events
    picker = lera.Picker(tracker.get_slot("lera_recent"))
    nxt = lera.NextStep(lera.Step.DETAILS)
    for bubble in lera.compose(message, decision.severity, nxt, picker, facts(message.language)):
        dispatcher.utter_message(text=bubble)
    return [*events, SlotSet("lera_recent", picker.recent)]
