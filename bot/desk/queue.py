"""The agent queue: who waits first, who takes the chat, and what to tell the customer.

Order: the VIP lane first, then severity (critical > severe > medium > light), then the longest
wait. Agents who are online and have free capacity take chats by hand (claim) or, when
auto-assignment is on, in turn (the agent who was assigned longest ago goes next).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import claim, utcnow
from bot.desk.calendar import opening_text, promise
from bot.models import Agent, Conversation, ConversationStatus, Presence
from bot.settings import Settings
from bot.wire.customers import is_vip
from bot.wire.internal_api import HandoffInfo, PresenceInfo

SEVERITY_PRIORITY = {"light": 1, "medium": 2, "severe": 3, "critical": 4}
VIP_LANE = 100


def priority(severity: str, tier: str) -> int:
    return SEVERITY_PRIORITY.get(severity, 2) + (VIP_LANE if is_vip(tier) else 0)


async def queued(session: AsyncSession) -> list[Conversation]:
    """Queued conversations in the order they are served."""
    rows = await session.scalars(
        select(Conversation)
        .where(Conversation.status == ConversationStatus.QUEUED)
        .order_by(Conversation.priority.desc(), Conversation.queued_at, Conversation.id)
    )
    return list(rows)


async def held(session: AsyncSession) -> list[Conversation]:
    """Conversations an agent has, the longest held first."""
    rows = await session.scalars(
        select(Conversation)
        .where(Conversation.status == ConversationStatus.ASSIGNED)
        .order_by(Conversation.assigned_at, Conversation.id)
    )
    return list(rows)


async def load(session: AsyncSession, agent_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Conversation)
        .where(
            Conversation.assigned_agent_id == agent_id,
            Conversation.status == ConversationStatus.ASSIGNED,
        )
    )
    return int(count or 0)


async def agents_online(session: AsyncSession) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Agent)
        .where(Agent.presence == Presence.ONLINE, Agent.active)
    )
    return int(count or 0)


async def available_agents(session: AsyncSession) -> list[Agent]:
    """Online agents with free capacity, the one assigned longest ago first."""
    agents = await session.scalars(
        select(Agent)
        .where(Agent.presence == Presence.ONLINE, Agent.active)
        .order_by(Agent.last_assigned_at.asc().nulls_first(), Agent.id)
    )
    return [a for a in agents if await load(session, a.id) < a.capacity]


def enqueue(conversation: Conversation, severity: str, reasons: list[str]) -> None:
    """Puts the conversation in the queue; the bot falls silent."""
    conversation.status = ConversationStatus.QUEUED
    conversation.priority = priority(severity, conversation.customer.tier)
    conversation.escalation_reason = ",".join(reasons)[:200]
    conversation.queued_at = utcnow()
    conversation.assigned_agent_id = None


def assign(conversation: Conversation, agent: Agent) -> None:
    now = utcnow()
    conversation.status = ConversationStatus.ASSIGNED
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


async def presence(
    session: AsyncSession, language: str, hours: int, settings: Settings
) -> PresenceInfo:
    now = utcnow()
    return {
        "agents_online": await agents_online(session),
        "next_opening": opening_text(now, language, settings),
        "due_at": promise(now, hours, settings).isoformat(),
    }


@dataclass(frozen=True)
class QueueInfo:
    position: int
    agents_online: int
    expected_wait_minutes: int
    next_opening: str | None

    def as_wire(self) -> HandoffInfo:
        return {
            "status": "queued",
            "queue_position": self.position,
            "agents_online": self.agents_online,
            "expected_wait_minutes": self.expected_wait_minutes,
            "next_opening": self.next_opening,
        }


async def info(
    session: AsyncSession,
    conversation: Conversation,
    severity: str,
    language: str,
    settings: Settings,
) -> QueueInfo:
    """What to tell a customer whose chat joins the queue with this severity: the chats served
    before it are those of a higher or the same priority already waiting."""
    mine = priority(severity, conversation.customer.tier)
    ahead = [c for c in await queued(session) if c.priority >= mine and c.id != conversation.id]
    position = len(ahead) + 1
    online = await agents_online(session)
    wait = expected_wait(position, online, settings)
    opening = None if online else opening_text(utcnow(), language, settings)
    return QueueInfo(position, online, wait, opening)


def retier(conversation: Conversation) -> None:
    """The chat's place after its customer's tier changed: the same severity, in or out of the
    VIP lane."""
    severity_part = conversation.priority % VIP_LANE
    conversation.priority = severity_part + (VIP_LANE if is_vip(conversation.customer.tier) else 0)


def expected_wait(position: int, online: int, settings: Settings) -> int:
    """Minutes until a chat at this place in line is picked up, by the agents at work."""
    return max(1, round(position * settings.average_handle_minutes / max(online, 1)))


async def position_of(session: AsyncSession, conversation: Conversation) -> int:
    """The chat's place in line now (1 = next)."""
    chats = await queued(session)
    ids = [c.id for c in chats]
    return ids.index(conversation.id) + 1 if conversation.id in ids else len(ids) + 1


async def claim_mark(
    session: AsyncSession, conversation: Conversation, mark: str, now: datetime
) -> bool:
    """Sets the conversation's `mark` if nobody did: True for the one caller that set it."""
    return await claim(session, conversation, {mark: now}, getattr(Conversation, mark).is_(None))


async def claim_close(session: AsyncSession, conversation: Conversation, now: datetime) -> bool:
    """Closes the conversation unless somebody else just did (or a message moved it on)."""
    closed = {"status": ConversationStatus.CLOSED, "closed_at": now}
    return await claim(session, conversation, closed, Conversation.status == conversation.status)
