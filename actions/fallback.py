"""Low-confidence messages: ask with the likely options as buttons, then offer a human."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation import Outcome
from actions.speech import lera_reply
from actions.triage import triage
from bot.wire.yaml_files import read_yaml

TITLES_FILE = Path(__file__).with_name("intent_titles.yml")
OPTIONS = 3
# intents not worth offering as a clarifying option
NOT_OFFERED = frozenset({"nlu_fallback", "affirm", "deny", "inform", "out_of_scope"})
DECLINED = frozenset({"contact_human_agent"})


def titles() -> dict[str, dict[str, str]]:
    """The intents' titles as the file says now (the admin pages add some)."""
    data: dict[str, dict[str, str]] = read_yaml(TITLES_FILE) or {}
    return data


def buttons(
    ranking: tuple[tuple[str, float], ...], language: str, declined: frozenset[str] = frozenset()
) -> list[dict[str, str]]:
    left_out = NOT_OFFERED | declined
    names = [n for n, _ in ranking if n not in left_out and n in titles()][:OPTIONS]
    return [{"title": titles()[n][language], "payload": f"/{n}"} for n in names]


class ActionClarify(Action):
    """First miss: clarify with buttons. Second in a row: offer a human. Third: hand over.

    An unclear message that still says enough to act on (a safety hazard, money taken, strong
    anger) is met with a LERA reply and a ticket or a person instead of a question."""

    def name(self) -> str:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return clarify(dispatcher, tracker)


def clarify(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Asks about an unclear message (or offers a person, or hands over), unless it says
    enough to act on."""
    message, decision = triage(tracker)
    if decision.outcome is not Outcome.BOT:
        return lera_reply(dispatcher, tracker, message, decision)
    count = int(tracker.get_slot("fallback_count") or 0) + 1
    declined = message.declines_person or (
        message.declines_offer and tracker.get_slot("fallback_stage") == "offered_human"
    )
    if declined:
        # "no need for a person, just …": ask again rather than offer or call one
        count = 1
    # the escalation slot always says what follows this action (data/rules/fallback.yml)
    if count == 1:
        dispatcher.utter_message(
            response="utter_clarify",
            buttons=buttons(
                message.ranking,
                message.language,
                DECLINED if declined else frozenset(),
            ),
        )
        return _stage(count, "clarified", Outcome.BOT)
    if count == 2:
        dispatcher.utter_message(response="utter_offer_human")
        return _stage(count, "offered_human", Outcome.BOT)
    return [
        *_stage(count, "handoff", Outcome.HUMAN),
        SlotSet(
            "triage",
            {"outcome": "human", "severity": "medium", "reasons": ["repeated_fallback"]},
        ),
    ]


def _stage(count: int, stage: str, outcome: Outcome) -> list[EventType]:
    return [
        SlotSet("fallback_count", count),
        SlotSet("fallback_stage", stage),
        SlotSet("escalation", outcome.value),
    ]
