"""A customer's data on request (PIPL / GDPR): everything the desk keeps about one customer, as
one document, or erased; and the retention rule that deletes old closed conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import NotFound
from bot.models import (
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    QaReview,
    Survey,
    Ticket,
    TicketEvent,
)
from bot.rasa import RasaClient, RasaUnavailable
from bot.views import customer_dict, event_dict, iso, staff_message_dict, survey_dict, ticket_dict


async def _delete_conversations(session: AsyncSession, ids: list[int]) -> None:
    if not ids:
        return
    tickets = select(Ticket.id).where(Ticket.conversation_id.in_(ids))
    await session.execute(delete(TicketEvent).where(TicketEvent.ticket_id.in_(tickets)))
    await session.execute(delete(Survey).where(Survey.ticket_id.in_(tickets)))
    await session.execute(delete(Survey).where(Survey.conversation_id.in_(ids)))
    await session.execute(delete(Ticket).where(Ticket.conversation_id.in_(ids)))
    await session.execute(delete(QaReview).where(QaReview.conversation_id.in_(ids)))
    await session.execute(delete(Message).where(Message.conversation_id.in_(ids)))
    await session.execute(delete(Conversation).where(Conversation.id.in_(ids)))


class Privacy:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], rasa: RasaClient) -> None:
        self._sessions = sessions
        self._rasa = rasa

    async def export(self, customer_id: int) -> dict[str, Any]:
        async with self._sessions() as session:
            customer = await session.get(Customer, customer_id)
            if customer is None:
                raise NotFound("no such customer")
            conversations = []
            for conversation in await session.scalars(
                select(Conversation)
                .where(Conversation.customer_id == customer_id)
                .order_by(Conversation.id)
            ):
                messages = await session.scalars(
                    select(Message)
                    .where(Message.conversation_id == conversation.id)
                    .order_by(Message.id)
                )
                conversations.append(
                    {
                        "id": conversation.id,
                        "channel": conversation.channel,
                        "status": conversation.status.value,
                        "created_at": iso(conversation.created_at),
                        "closed_at": iso(conversation.closed_at),
                        "messages": [staff_message_dict(m) for m in messages],
                    }
                )
            tickets = []
            for ticket in await session.scalars(
                select(Ticket).where(Ticket.customer_id == customer_id).order_by(Ticket.id)
            ):
                events = await session.scalars(
                    select(TicketEvent)
                    .where(TicketEvent.ticket_id == ticket.id)
                    .order_by(TicketEvent.id)
                )
                tickets.append({**ticket_dict(ticket), "events": [event_dict(e) for e in events]})
            surveys = await session.scalars(
                select(Survey).where(Survey.customer_id == customer_id).order_by(Survey.id)
            )
            return {
                "customer": {
                    **customer_dict(customer),
                    "channel": customer.channel,
                    "external_id": customer.external_id,
                    "language": customer.language,
                    "preferences": customer.preferences,
                    "created_at": iso(customer.created_at),
                },
                "conversations": conversations,
                "tickets": tickets,
                "surveys": [survey_dict(s) for s in surveys],
            }

    async def erase(self, customer_id: int) -> dict[str, Any]:
        """Deletes the customer and everything about them, and empties their dialogue at
        Rasa."""
        async with self._sessions() as session:
            customer = await session.get(Customer, customer_id)
            if customer is None:
                raise NotFound("no such customer")
            uid = customer.uid
            ids = list(
                await session.scalars(
                    select(Conversation.id).where(Conversation.customer_id == customer_id)
                )
            )
            await _delete_conversations(session, ids)
            await session.execute(delete(Survey).where(Survey.customer_id == customer_id))
            await session.execute(delete(Customer).where(Customer.id == customer_id))
            await session.commit()
        try:
            await self._rasa.replace_events(uid, [])
            rasa_forgot = True
        except RasaUnavailable:
            rasa_forgot = False
        return {"erased": customer_id, "conversations": len(ids), "assistant_forgot": rasa_forgot}

    async def purge_closed_before(self, session: AsyncSession, cutoff: datetime) -> int:
        """The retention rule, in the caller's transaction: closed conversations older than
        `cutoff` go, with their messages, tickets and surveys. Returns how many."""
        ids = list(
            await session.scalars(
                select(Conversation.id)
                .where(
                    Conversation.status == ConversationStatus.CLOSED,
                    Conversation.closed_at < cutoff,
                )
                .limit(500)
            )
        )
        await _delete_conversations(session, ids)
        return len(ids)
