"""The bot's own replies: reading the message, routine answers, and LERA replies."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import lera
from actions.escalation import SMALL_TALK_INTENTS, Outcome
from actions.fallback import clarify
from actions.shop import facts
from actions.speech import lera_reply
from actions.triage import triage, triage_events


class ActionReadMessage(Action):
    """Custom slot mapping: language and emotion of each message, from the NLU analysis."""

    def name(self) -> str:
        return "action_read_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        analysis = (tracker.latest_message or {}).get("analysis") or {}
        events: list[EventType] = []
        if analysis.get("language") in ("en", "zh"):
            events.append(SlotSet("language", analysis["language"]))
        emotion = analysis.get("emotion")
        events.append(SlotSet("emotion", emotion))
        events.append(
            SlotSet("emotion_level", analysis.get("intensity_level") if emotion else None)
        )
        return events


# small talk with no answer of its own
RESPONSES = {"affirm": "utter_anything_else", "deny": "utter_anything_else"}


class ActionAnswer(Action):
    """Answers a routine question from the shop's facts — or meets an upset customer first."""

    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message, decision = triage(tracker)
        small_talk = message.intent in SMALL_TALK_INTENTS
        if decision.outcome is not Outcome.BOT or (small_talk and message.upset):
            # "thanks for nothing" is not thanks: meet the feeling, not the words
            return lera_reply(dispatcher, tracker, message, decision)
        picker = lera.Picker(tracker.get_slot("lera_recent"))
        opening = lera.opening(message, picker) if message.upset else None
        if opening:
            dispatcher.utter_message(text=opening)
        response = RESPONSES.get(str(message.intent), f"utter_{message.intent}")
        if response not in (domain.get("responses") or {}):
            response = "utter_default"
        dispatcher.utter_message(response=response, **facts(message.language))
        return [*triage_events(decision, tracker), SlotSet("lera_recent", picker.recent)]


class ActionLeraReply(Action):
    """Meets a complaint with Listen, Empathize, Resolve, Action, and decides what follows."""

    def name(self) -> str:
        return "action_lera_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message, decision = triage(tracker)
        if decision.outcome is Outcome.BOT and (not message.sure or message.declines_person):
            # a guessed complaint is asked about, with the likely options; "no need for a
            # person, just tell me…" is asked what it is about
            return clarify(dispatcher, tracker)
        return lera_reply(dispatcher, tracker, message, decision)
