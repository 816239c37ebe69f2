"""The agent queue: who waits first, who takes the chat, and what to tell the customer.

Order: the VIP lane first, then severity (critical > severe > medium > light), then the longest
wait. Agents who are online and have free capacity take chats by hand (claim) or, when
auto-assignment is on, in turn (the agent who was assigned longest ago goes next).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import utcnow
from bot.models import Agent, Conversation, ConversationStatus, Customer, Presence
from bot.settings import Settings

SEVERITY_PRIORITY = {"light": 1, "medium": 2, "severe": 3, "critical": 4}
VIP_LANE = 100


def priority(severity: str, tier: str) -> int:
    return SEVERITY_PRIORITY.get(severity, 2) + (VIP_LANE if tier == "vip" else 0)


async def queued(session: AsyncSession) -> list[Conversation]:
    """Queued conversations in the order they are served."""
    rows = await session.scalars(
        select(Conversation)
        .where(Conversation.status == ConversationStatus.QUEUED.value)
        .order_by(Conversation.priority.desc(), Conversation.queued_at, Conversation.id)
    )
    return list(rows)


async def load(session: AsyncSession, agent_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Conversation)
        .where(
            Conversation.assigned_agent_id == agent_id,
            Conversation.status == ConversationStatus.ASSIGNED.value,
        )
    )
    return int(count or 0)


async def available_agents(session: AsyncSession) -> list[Agent]:
    """Online agents with free capacity, the one assigned longest ago first."""
    agents = await session.scalars(
        select(Agent)
        .where(Agent.presence == Presence.ONLINE.value)
        .order_by(Agent.last_assigned_at.asc().nulls_first(), Agent.id)
    )
    return [a for a in agents if await load(session, a.id) < a.capacity]


def assign(conversation: Conversation, agent: Agent) -> None:
    now = utcnow()
    conversation.status = ConversationStatus.ASSIGNED.value
    conversation.assigned_agent_id = agent.id
    conversation.assigned_at = now
    agent.last_assigned_at = now


async def auto_assign(session: AsyncSession) -> list[tuple[Conversation, Agent]]:
    """Gives queued chats to free online agents in turn; the caller commits."""
    done = []
    for conversation in await queued(session):
        agents = await available_agents(session)
        if not agents:
            break
        assign(conversation, agents[0])
        await session.flush()
        done.append((conversation, agents[0]))
    return done


def in_business_hours(moment: datetime, settings: Settings) -> bool:
    local = moment.astimezone(ZoneInfo(settings.timezone))
    start, end = settings.weekend_hours if local.weekday() >= 5 else settings.weekday_hours
    return time.fromisoformat(start) <= local.time() < time.fromisoformat(end)


def next_opening(moment: datetime, settings: Settings) -> datetime:
    """When the team is next at work (now, if it is)."""
    zone = ZoneInfo(settings.timezone)
    local = moment.astimezone(zone)
    for days in range(8):
        day = (local + timedelta(days=days)).date()
        start, end = settings.weekend_hours if day.weekday() >= 5 else settings.weekday_hours
        opens = datetime.combine(day, time.fromisoformat(start), zone)
        closes = datetime.combine(day, time.fromisoformat(end), zone)
        if local < closes:
            return max(opens, local)
    return local


def say_time(moment: datetime, language: str, settings: Settings) -> str:
    local = moment.astimezone(ZoneInfo(settings.timezone))
    if language == "zh":
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return local.strftime("%a %d %b, %H:%M")


@dataclass(frozen=True)
class QueueInfo:
    position: int
    agents_online: int
    expected_wait_minutes: int
    next_opening: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "queued",
            "queue_position": self.position,
            "agents_online": self.agents_online,
            "expected_wait_minutes": self.expected_wait_minutes,
            "next_opening": self.next_opening,
        }


async def info(
    session: AsyncSession, conversation: Conversation, language: str, settings: Settings
) -> QueueInfo:
    """What to tell a customer whose chat is in the queue."""
    order = [c.id for c in await queued(session)]
    position = order.index(conversation.id) + 1 if conversation.id in order else 1
    online = int(
        await session.scalar(
            select(func.count()).select_from(Agent).where(Agent.presence == Presence.ONLINE.value)
        )
        or 0
    )
    wait = max(1, round(position * settings.average_handle_minutes / max(online, 1)))
    opening = None
    if not online:
        now = utcnow()
        upcoming = next_opening(now, settings)
        opening = (
            say_time(upcoming, language, settings)
            if upcoming > now + timedelta(minutes=1)
            else None
        )
    return QueueInfo(position, online, wait, opening)


async def tier_of(session: AsyncSession, conversation: Conversation) -> str:
    customer = await session.get(Customer, conversation.customer_id)
    return customer.tier if customer else "standard"
