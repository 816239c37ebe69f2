"""The team's accounts, as an admin changes them: inviting someone (with a temporary password
handed over once), their name, role and capacity, a password reset; deactivating an agent signs
them out for good (their sessions end) and puts the chats they held back in the queue."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import utcnow
from bot.errors import Conflict, Invalid, NotFound
from bot.events import Hub
from bot.models import Agent, Conversation, ConversationStatus, Presence, Role
from bot.passwords import hash_password, temporary_password
from bot.views import agent_dict

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_CAPACITY = 20


def _checked(name: str, role: str, capacity: int) -> tuple[str, Role, int]:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise Invalid("a name is 1 to 200 characters")
    if role not in {r.value for r in Role}:
        raise Invalid("the role is agent, supervisor or admin")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise Invalid(f"capacity is between 1 and {MAX_CAPACITY} chats")
    return name, Role(role), capacity


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

    async def everyone(self) -> list[dict[str, Any]]:
        """Every account, the deactivated ones too."""
        async with self._sessions() as session:
            rows = await session.scalars(select(Agent).order_by(Agent.active.desc(), Agent.name))
            return [{**agent_dict(a), "active": a.active} for a in rows]

    async def invite(
        self, name: str, email: str, role: str, capacity: int
    ) -> tuple[dict[str, Any], str]:
        """A new account and its temporary password (shown to the admin once)."""
        name, kind, capacity = _checked(name, role, capacity)
        address = email.strip().lower()
        if not EMAIL.match(address) or len(address) > 200:
            raise Invalid("that is not an e-mail address")
        password = temporary_password()
        async with self._sessions() as session:
            agent = Agent(
                name=name,
                email=address,
                role=kind,
                capacity=capacity,
                password_hash=hash_password(password),
            )
            session.add(agent)
            try:
                await session.commit()
            except IntegrityError as error:
                raise Conflict("someone on the team already has that e-mail address") from error
            result = {**agent_dict(agent), "active": agent.active}
        self._hub.publish({"type": "agents_changed"})
        return result, password

    async def update(
        self, agent_id: int, name: str, role: str, capacity: int, by: Agent
    ) -> dict[str, Any]:
        name, kind, capacity = _checked(name, role, capacity)
        if agent_id == by.id and kind != Role.ADMIN:
            raise Conflict("you cannot take the admin role from yourself")
        async with self._sessions() as session:
            agent = await session.get(Agent, agent_id)
            if agent is None:
                raise NotFound("no such agent")
            agent.name, agent.role, agent.capacity = name, kind, capacity
            await session.commit()
            result = {**agent_dict(agent), "active": agent.active}
        self._hub.publish({"type": "agents_changed"})
        return result

    async def reset_password(self, agent_id: int) -> tuple[dict[str, Any], str]:
        """A new temporary password; the caller ends the account's sessions."""
        password = temporary_password()
        async with self._sessions() as session:
            agent = await session.get(Agent, agent_id)
            if agent is None:
                raise NotFound("no such agent")
            agent.password_hash = hash_password(password)
            agent.password_changed_at = utcnow()
            await session.commit()
            return {**agent_dict(agent), "active": agent.active}, password
