"""The team's accounts, as an admin changes them: deactivating an agent signs them out for good
(their sessions end) and puts the chats they held back in the queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import utcnow
from bot.errors import Conflict, NotFound
from bot.events import Hub
from bot.models import Agent, Conversation, ConversationStatus, Presence
from bot.views import agent_dict


class Staff:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], hub: Hub) -> None:
        self._sessions = sessions
        self._hub = hub

    async def set_active(self, agent_id: int, active: bool, by: Agent) -> dict[str, Any]:
        if agent_id == by.id and not active:
            raise Conflict("you cannot deactivate your own account")
        async with self._sessions() as session:
            agent = await session.get(Agent, agent_id)
            if agent is None:
                raise NotFound("no such agent")
            agent.active = active
            if not active:
                agent.presence = Presence.OFFLINE
                held = await session.scalars(
                    select(Conversation).where(
                        Conversation.assigned_agent_id == agent_id,
                        Conversation.status == ConversationStatus.ASSIGNED,
                    )
                )
                for conversation in held:
                    conversation.status = ConversationStatus.QUEUED
                    conversation.assigned_agent_id = None
                    conversation.queued_at = conversation.queued_at or utcnow()
            await session.commit()
            result = agent_dict(agent)
        self._hub.publish({"type": "agents_changed"})
        self._hub.publish({"type": "queue_changed"})
        return result
