"""A customer's tier, which a supervisor or admin sets in the console: VIP customers' chats
wait in their own lane of the queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.desk import queue
from bot.desk.tickets import actor, record
from bot.errors import Invalid, NotFound
from bot.events import Hub
from bot.models import (
    ACTIVE_STATUSES,
    Agent,
    Conversation,
    ConversationStatus,
    Customer,
    Ticket,
)
from bot.views import customer_dict

TIERS = ("standard", "vip")


class Tiers:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], hub: Hub) -> None:
        self._sessions = sessions
        self._hub = hub

    async def set_tier(self, customer_id: int, tier: str, agent: Agent) -> dict[str, Any]:
        if tier not in TIERS:
            raise Invalid(f"tier is one of {', '.join(TIERS)}")
        async with self._sessions() as session:
            customer = await session.get(Customer, customer_id)
            if customer is None:
                raise NotFound("no such customer")
            customer.tier = tier
            chats = await session.scalars(
                select(Conversation).where(
                    Conversation.customer_id == customer_id,
                    Conversation.status == ConversationStatus.QUEUED,
                )
            )
            for conversation in chats:
                queue.retier(conversation)
            for ticket in await session.scalars(
                select(Ticket).where(
                    Ticket.customer_id == customer_id, Ticket.status.in_(ACTIVE_STATUSES)
                )
            ):
                record(session, ticket, actor(agent), "tier", tier=tier)
            await session.commit()
            result = customer_dict(customer)
        self._hub.publish({"type": "queue_changed"})
        return result
