"""What the console reads: a conversation's summary, the queue as the console lists it, and
the full transcript with the assistant's reading of each customer message (from Rasa's
tracker)."""

from __future__ import annotations

import contextlib
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.desk import queue
from bot.errors import NotFound
from bot.models import Author, Conversation, Ticket
from bot.queries import current_ticket_of, last_customer_message
from bot.rasa import RasaClient, RasaUnavailable
from bot.views import event_dict, iso, staff_message_dict, ticket_dict

ANALYSIS_KEYS = ("emotion", "intensity_level", "category", "cues", "problem", "product")


async def summary(
    session: AsyncSession, conversation: Conversation, ticket: Ticket | None = None
) -> dict[str, Any]:
    """A conversation as the console's queue lists it (`ticket`: its current one, if known)."""
    customer = conversation.customer
    ticket = ticket or await current_ticket_of(session, conversation.id)
    last = await last_customer_message(session, conversation.id)
    return {
        "id": conversation.id,
        "status": conversation.status.value,
        "channel": conversation.channel,
        "priority": conversation.priority,
        "reasons": conversation.reasons,
        "queued_at": iso(conversation.queued_at),
        "assigned_agent_id": conversation.assigned_agent_id,
        "customer": {
            "name": customer.name,
            "tier": customer.tier,
            "language": customer.language,
            "channel": customer.channel,
        },
        "ticket": ticket_dict(ticket) if ticket else None,
        "last_message": last.text if last else None,
    }


def analysis_of(parse_data: dict[str, Any]) -> dict[str, Any]:
    """The part of Rasa's parse result the console shows beside a customer message."""
    analysis = parse_data.get("analysis") or {}
    intent = parse_data.get("intent") or {}
    return {
        "intent": intent.get("name"),
        "confidence": round(float(intent.get("confidence") or 0), 3),
        **{k: analysis.get(k) for k in ANALYSIS_KEYS},
    }


def attach_analysis(tracker: dict[str, Any], messages: list[dict[str, Any]]) -> None:
    """Pairs the tracker's user events with the customer messages, in order, by text."""
    parsed = [
        e.get("parse_data") or {}
        for e in tracker.get("events", [])
        if e.get("event") == "user" and e.get("text")
    ]
    customer_messages = iter(m for m in messages if m["author"] == Author.CUSTOMER)
    for data in parsed:
        for message in customer_messages:
            if message["text"] == data.get("text"):
                message["analysis"] = analysis_of(data)
                break


class Transcripts:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], rasa: RasaClient) -> None:
        self._sessions = sessions
        self._rasa = rasa

    async def queue(self) -> list[dict[str, Any]]:
        """Every chat waiting for or held by a person: the queue in serving order, then the rest."""
        async with self._sessions() as session:
            chats = [*await queue.queued(session), *await queue.held(session)]
            return [await summary(session, c) for c in chats]

    async def conversation(self, conversation_id: int) -> dict[str, Any]:
        """The full transcript, private notes included, with the assistant's analysis."""
        async with self._sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("no such conversation")
            about = await summary(session, conversation)
            messages = [staff_message_dict(m) for m in await conversation.awaitable_attrs.messages]
            events: list[dict[str, Any]] = []
            if about["ticket"]:
                ticket = await session.get(Ticket, about["ticket"]["number"])
                assert ticket is not None
                events = [event_dict(e) for e in await ticket.awaitable_attrs.events]
            sender = conversation.customer.uid
        with contextlib.suppress(RasaUnavailable):  # the transcript, without the analysis
            attach_analysis(await self._rasa.tracker(sender), messages)
        return {**about, "messages": messages, "ticket_events": events}
