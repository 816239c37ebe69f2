"""QA sampling: a random sample of closed conversations, stratified by channel, outcome and who
answered (the assistant included), and the supervisor's score of each on the rubric."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import Invalid, NotFound
from bot.models import (
    QA_PARTS,
    Agent,
    Author,
    Conversation,
    ConversationStatus,
    Message,
    QaReview,
    Ticket,
)
from bot.reports.agents import ASSISTANT
from bot.reports.period import Period
from bot.views import iso

MAX_SAMPLE = 50


def outcome_of(conversation: Conversation, ticketed: bool) -> str:
    if conversation.queued_at is not None or conversation.assigned_at is not None:
        return "human"
    return "ticket" if ticketed else "bot"


async def answered_by(session: AsyncSession, conversation_ids: list[int]) -> dict[int, int]:
    """Each conversation's agent: who wrote most of its agent replies (absent: the assistant)."""
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    if conversation_ids:
        rows = await session.execute(
            select(Message.conversation_id, Message.agent_id).where(
                Message.conversation_id.in_(conversation_ids),
                Message.author == Author.AGENT,
                Message.private.is_(False),
                Message.agent_id.is_not(None),
            )
        )
        for conversation_id, agent_id in rows:
            counts[conversation_id][agent_id] += 1
    return {c: n.most_common(1)[0][0] for c, n in counts.items()}


def review_dict(review: QaReview, reviewer: str | None) -> dict[str, Any]:
    return {
        "id": review.id,
        "conversation_id": review.conversation_id,
        "agent_id": review.agent_id,
        "reviewer": reviewer,
        "scores": review.scores,
        "score": review.score,
        "note": review.note,
        "created_at": iso(review.created_at),
    }


class QaSampling:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._random = random.SystemRandom()

    async def sample(self, period: Period, size: int) -> list[dict[str, Any]]:
        if not 1 <= size <= MAX_SAMPLE:
            raise Invalid(f"a sample is 1 to {MAX_SAMPLE} conversations")
        async with self._sessions() as session:
            query = select(Conversation).where(
                Conversation.status == ConversationStatus.CLOSED,
                Conversation.closed_at >= period.since,
                Conversation.closed_at < period.until,
            )
            if period.channel:
                query = query.where(Conversation.channel == period.channel)
            closed = list(await session.scalars(query))
            ids = [c.id for c in closed]
            ticketed = set(
                await session.scalars(
                    select(Ticket.conversation_id).where(Ticket.conversation_id.in_(ids or [-1]))
                )
            )
            reviewed = set(
                await session.scalars(
                    select(QaReview.conversation_id).where(
                        QaReview.conversation_id.in_(ids or [-1])
                    )
                )
            )
            agents = await answered_by(session, ids)
            names = {
                a.id: a.name
                for a in await session.scalars(
                    select(Agent).where(Agent.id.in_(set(agents.values()) or {-1}))
                )
            }
            strata: dict[tuple[str, str, int | None], list[Conversation]] = defaultdict(list)
            for conversation in closed:
                if period.language and conversation.language != period.language:
                    continue
                key = (
                    conversation.channel,
                    outcome_of(conversation, conversation.id in ticketed),
                    agents.get(conversation.id),
                )
                strata[key].append(conversation)
            for members in strata.values():
                self._random.shuffle(members)
            picked: list[tuple[tuple[str, str, int | None], Conversation]] = []
            groups = sorted(strata.items(), key=lambda kv: str(kv[0]))
            while len(picked) < size and any(members for _, members in groups):
                for key, members in groups:  # one from each stratum in turn
                    if members and len(picked) < size:
                        picked.append((key, members.pop()))
            return [
                {
                    "conversation_id": c.id,
                    "channel": channel,
                    "language": c.language,
                    "outcome": outcome,
                    "agent_id": agent_id,
                    "agent_name": names.get(agent_id, ASSISTANT) if agent_id else ASSISTANT,
                    "closed_at": iso(c.closed_at),
                    "reviewed": c.id in reviewed,
                }
                for (channel, outcome, agent_id), c in picked
            ]

    async def reviews(self, conversation_id: int) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(QaReview, Agent.name)
                .outerjoin(Agent, Agent.id == QaReview.reviewer_id)
                .where(QaReview.conversation_id == conversation_id)
                .order_by(QaReview.id)
            )
            return [review_dict(review, name) for review, name in rows.tuples()]

    async def review(
        self, conversation_id: int, reviewer: Agent, scores: dict[str, int], note: str
    ) -> dict[str, Any]:
        if set(scores) != set(QA_PARTS) or any(v not in (0, 1, 2) for v in scores.values()):
            raise Invalid(f"score each of {', '.join(QA_PARTS)} with 0, 1 or 2")
        async with self._sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                raise NotFound("no such conversation")
            agent_id = (await answered_by(session, [conversation_id])).get(conversation_id)
            review = QaReview(
                conversation_id=conversation_id,
                agent_id=agent_id,
                reviewer_id=reviewer.id,
                scores=dict(scores),
                score=round(100 * sum(scores.values()) / (2 * len(QA_PARTS)), 1),
                note=note.strip() or None,
            )
            session.add(review)
            await session.commit()
            return review_dict(review, reviewer.name)
