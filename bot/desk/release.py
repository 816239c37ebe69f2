"""Giving a chat back to the assistant: the agent's capacity is freed, the bot answers the
customer's next message, and Rasa's dialogue resumes from a clean state."""

from __future__ import annotations

import logging
from typing import Any

from bot.errors import Unavailable
from bot.models import Conversation, ConversationStatus
from bot.rasa import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

UNREACHABLE = "the assistant is not reachable; try again in a moment"
# events appended to the Rasa tracker on hand-back, so the dialogue resumes cleanly
RESUME_EVENTS: list[dict[str, Any]] = [
    {"event": "slot", "name": "escalation", "value": None},
    {"event": "slot", "name": "triage", "value": None},
    {"event": "slot", "name": "fallback_stage", "value": None},
    {"event": "slot", "name": "fallback_count", "value": 0},
    {"event": "action", "name": "action_listen"},
]


async def give_back(conversation: Conversation, rasa: RasaClient, *, strict: bool) -> None:
    """The chat goes back to the bot (the caller commits). `strict`: fail when Rasa cannot be
    told (an agent's hand-back, which they can retry); else go on and log it (a resolve, a
    closing chat: the customer's case must not wait on the assistant)."""
    if conversation.status in (ConversationStatus.QUEUED, ConversationStatus.ASSIGNED):
        try:
            await rasa.append_events(conversation.customer.uid, RESUME_EVENTS)
        except RasaUnavailable as error:
            if strict:
                raise Unavailable(UNREACHABLE) from error
            logger.warning(
                "conversation %s given back without resuming Rasa: %s", conversation.id, error
            )
    if conversation.status != ConversationStatus.CLOSED:
        conversation.status = ConversationStatus.BOT
    conversation.assigned_agent_id = None
    conversation.pending_handoff = None
    conversation.queue_offer_at = None
    conversation.told_position = None
