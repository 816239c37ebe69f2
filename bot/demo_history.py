"""A week of demo history for `make run`, so that the reports show real charts on first start:
conversations the assistant handled alone, tickets, hand-offs to the demo agents, surveys.
Every demo customer is named "Demo customer N" (sender `demo-N`): clearly not real people."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import utcnow
from bot.models import (
    Agent,
    Author,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    Survey,
    SurveyKind,
    SurveyStatus,
    SurveyStep,
    Ticket,
    TicketStatus,
)

QUESTIONS = {
    "en": ["Where is my order?", "How long does shipping take?", "Can I return a lamp?"],
    "zh": ["我的订单到哪了？", "快递几天到？", "台灯可以退货吗？"],
}
ANSWER = {"en": "Here is what I found for you.", "zh": "这是为您查到的信息。"}
COMPLAINTS = [
    ("logistics", "medium", "parcel", "late_delivery", "My parcel is a week late!"),
    ("product_quality", "severe", "kettle", "electric_shock", "The kettle gave me a shock."),
    ("product_quality", "medium", "sofa", "broken_on_arrival", "The sofa leg arrived broken."),
    ("price_billing", "medium", "order", "double_charge", "I was charged twice."),
    ("service_attitude", "light", "courier", "rude_courier", "The courier was rude to me."),
    ("after_sales", "medium", "lamp", "refund_missing", "Where is my refund?"),
]
REASONS = ["severe_complaint", "asked_for_human", "safety_hazard", "repeated_fallback"]


async def seed_history(
    sessions: async_sessionmaker[AsyncSession], days: int = 7, *, only_into_empty: bool = True
) -> int:
    """Adds the week once (when there are no conversations yet); returns how many."""
    chance = random.Random(20261202)  # the same demo week on every first start
    async with sessions() as session:
        if only_into_empty and await session.scalar(select(func.count()).select_from(Conversation)):
            return 0
        staff = list(await session.scalars(select(Agent).order_by(Agent.id)))
        now = utcnow()
        made = 0
        for n in range(1, 8 * days + 1):
            started = now - timedelta(days=chance.uniform(0.05, days), hours=0)
            language = "zh" if chance.random() < 0.4 else "en"
            customer = Customer(
                channel="telegram" if chance.random() < 0.3 else "web",
                external_id=f"demo-{n}",
                display_name=f"Demo customer {n}",
                language=language,
            )
            session.add(customer)
            await session.flush()
            kind = chance.random()
            if kind < 0.55 or not staff:
                await _bot_alone(session, customer, started, chance)
            else:
                await _complaint(session, customer, started, chance, staff, human=kind > 0.78)
            made += 1
        await session.commit()
        return made


def _chat(customer: Customer, started: datetime, **fields: object) -> Conversation:
    return Conversation(
        customer_id=customer.id,
        channel=customer.channel,
        created_at=started,
        status=ConversationStatus.CLOSED,
        closed_at=started + timedelta(minutes=40),
        **fields,
    )


def _say(
    conversation: Conversation, author: Author, text: str, at: datetime, **f: object
) -> Message:
    return Message(
        conversation_id=conversation.id,
        channel=conversation.channel,
        author=author,
        text=text,
        created_at=at,
        handled_at=at,
        **f,
    )


async def _bot_alone(
    session: AsyncSession, customer: Customer, started: datetime, chance: random.Random
) -> None:
    language = customer.language or "en"
    conversation = _chat(customer, started)
    session.add(conversation)
    await session.flush()
    session.add(_say(conversation, Author.CUSTOMER, chance.choice(QUESTIONS[language]), started))
    session.add(_say(conversation, Author.BOT, ANSWER[language], started + timedelta(seconds=2)))
    if chance.random() < 0.6:
        session.add(
            Survey(
                kind=SurveyKind.BOT, customer_id=customer.id, conversation_id=conversation.id,
                language=language, step=SurveyStep.DONE, status=SurveyStatus.ANSWERED,
                solved=chance.random() < 0.8, asked_at=started + timedelta(minutes=5),
                answered_at=started + timedelta(minutes=6), expires_at=started + timedelta(days=3),
            )
        )  # fmt: skip


async def _complaint(
    session: AsyncSession,
    customer: Customer,
    started: datetime,
    chance: random.Random,
    staff: list[Agent],
    human: bool,
) -> None:
    category, severity, product, problem, text = chance.choice(COMPLAINTS)
    agent = chance.choice(staff)
    queued = started + timedelta(seconds=30) if human else None
    reason = chance.choice(REASONS) if human else None
    conversation = _chat(
        customer, started, queued_at=queued, assigned_at=queued, escalation_reason=reason
    )
    session.add(conversation)
    await session.flush()
    session.add(_say(conversation, Author.CUSTOMER, text, started))
    reply_after = timedelta(minutes=chance.choice([3, 8, 20, 45, 90, 300]))
    resolve_after = reply_after + timedelta(hours=chance.choice([1, 3, 8, 20, 30]))
    resolved = chance.random() < 0.85
    ticket = Ticket(
        conversation_id=conversation.id, customer_id=customer.id, category=category,
        severity=severity, subject=text, description=text,
        language=customer.language or "en", created_at=started,
        first_response_due_at=started + timedelta(minutes=60),
        due_at=started + timedelta(hours=24), first_response_at=started + reply_after,
        resolved_at=started + resolve_after if resolved else None,
        status=TicketStatus.CLOSED if resolved else TicketStatus.PENDING,
        assignee_id=agent.id, reopen_count=int(chance.random() < 0.08),
        analysis={"product": product, "problem": problem},
    )  # fmt: skip
    due = started + timedelta(hours=24)
    if (resolved and resolve_after > timedelta(hours=24)) or (not resolved and due < utcnow()):
        # marked as the SLA monitor would have: it does not alert on the demo week at start
        ticket.sla_warned_at = ticket.sla_breached_at = due
    session.add(ticket)
    await session.flush()
    session.add(
        _say(conversation, Author.AGENT, "I'm sorry — I'm on it.", started + reply_after,
             agent_id=agent.id)
    )  # fmt: skip
    if resolved and chance.random() < 0.7:
        csat = chance.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 4, 6])[0]
        session.add(
            Survey(
                kind=SurveyKind.CASE, customer_id=customer.id, conversation_id=conversation.id,
                ticket_id=ticket.id, language=ticket.language, step=SurveyStep.DONE,
                status=SurveyStatus.ANSWERED, csat=csat, solved=csat >= 3,
                nps=min(10, max(0, csat * 2 + chance.choice([-1, 0, 0, 1]))),
                asked_at=started + resolve_after, answered_at=started + resolve_after,
                expires_at=started + resolve_after + timedelta(days=3),
            )
        )  # fmt: skip
