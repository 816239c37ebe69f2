"""The help desk's operations: escalate, claim, reply, note, transfer, hand back, resolve.

Every change to a ticket leaves a TicketEvent (who, what, when); every change the console should
see is published on the hub; every change the customer should see goes out on their channel.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import queue
from bot.channels.base import Reply
from bot.db import utcnow
from bot.events import Hub
from bot.models import (
    Agent,
    Author,
    CannedResponse,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    Presence,
    Role,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from bot.rasa import RasaClient, RasaUnavailable
from bot.routing import Router, iso, message_dict
from bot.settings import Settings

JOINED = {"en": "{name} from our team has joined the chat.", "zh": "客服 {name} 已接入，为您服务。"}
TRANSFERRED = {"en": "You're now chatting with {name}.", "zh": "已为您转接给 {name}。"}
BACK_TO_BOT = {
    "en": "You're back with the shop's assistant. Is there anything else I can help with?",
    "zh": "现在由智能助手继续为您服务。还有什么可以帮您的吗？",
}
# events appended to the Rasa tracker on hand-back, so the dialogue resumes cleanly
RESUME_EVENTS: list[dict[str, Any]] = [
    {"event": "slot", "name": "escalation", "value": None},
    {"event": "slot", "name": "triage", "value": None},
    {"event": "slot", "name": "fallback_stage", "value": None},
    {"event": "slot", "name": "fallback_count", "value": 0},
    {"event": "action", "name": "action_listen"},
]


class DeskError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def agent_dict(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "name": agent.name,
        "email": agent.email,
        "role": agent.role,
        "presence": agent.presence,
        "capacity": agent.capacity,
    }


def ticket_dict(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.id,
        "status": ticket.status,
        "category": ticket.category,
        "severity": ticket.severity,
        "subject": ticket.subject,
        "description": ticket.description,
        "reasons": ticket.reasons,
        "analysis": ticket.analysis,
        "due_at": iso(ticket.due_at) if ticket.due_at else None,
        "first_response_due_at": iso(ticket.first_response_due_at)
        if ticket.first_response_due_at
        else None,
        "first_response_at": iso(ticket.first_response_at) if ticket.first_response_at else None,
        "resolved_at": iso(ticket.resolved_at) if ticket.resolved_at else None,
        "solution": ticket.solution,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
    }


class Desk:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        router: Router,
        rasa: RasaClient,
        hub: Hub,
        settings: Settings,
    ) -> None:
        self._sessions = sessions
        self._router = router
        self._rasa = rasa
        self._hub = hub
        self._settings = settings
        router.on_customer_message_for_agent.append(self._customer_wrote)

    async def _customer_wrote(self, conversation_id: int, message: dict[str, Any]) -> None:
        self._hub.publish(
            {"type": "message", "conversation_id": conversation_id, "message": message}
        )

    # -- reading -----------------------------------------------------------------------------

    async def summary(self, session: AsyncSession, conversation: Conversation) -> dict[str, Any]:
        customer = await session.get(Customer, conversation.customer_id)
        assert customer is not None
        ticket = await session.scalar(
            select(Ticket)
            .where(Ticket.conversation_id == conversation.id)
            .order_by(Ticket.id.desc())
        )
        last = await session.scalar(
            select(Message)
            .where(
                Message.conversation_id == conversation.id, Message.author == Author.CUSTOMER.value
            )
            .order_by(Message.id.desc())
        )
        return {
            "id": conversation.id,
            "status": conversation.status,
            "channel": conversation.channel,
            "priority": conversation.priority,
            "reasons": (conversation.escalation_reason or "").split(",")
            if conversation.escalation_reason
            else [],
            "queued_at": iso(conversation.queued_at) if conversation.queued_at else None,
            "assigned_agent_id": conversation.assigned_agent_id,
            "customer": {
                "name": customer.display_name or f"{customer.channel} customer {customer.id}",
                "tier": customer.tier,
                "language": customer.language,
                "channel": customer.channel,
            },
            "ticket": ticket_dict(ticket) if ticket else None,
            "last_message": last.text if last else None,
        }

    async def queue_snapshot(self) -> list[dict[str, Any]]:
        """Every chat waiting for or held by a person: the queue in serving order, then the rest."""
        async with self._sessions() as session:
            waiting = await queue.queued(session)
            held = list(
                await session.scalars(
                    select(Conversation)
                    .where(Conversation.status == ConversationStatus.ASSIGNED.value)
                    .order_by(Conversation.assigned_at)
                )
            )
            return [await self.summary(session, c) for c in [*waiting, *held]]

    async def conversation(self, conversation_id: int) -> dict[str, Any]:
        """The full transcript, private notes included, with the assistant's analysis."""
        async with self._sessions() as session:
            conversation = await self._get(session, conversation_id)
            summary = await self.summary(session, conversation)
            customer = await session.get(Customer, conversation.customer_id)
            assert customer is not None
            messages = [
                {**message_dict(m), "private": m.private, "agent_id": m.agent_id}
                for m in await session.scalars(
                    select(Message)
                    .where(Message.conversation_id == conversation_id)
                    .order_by(Message.id)
                )
            ]
            events = []
            if summary["ticket"]:
                events = [
                    {"actor": e.actor, "action": e.action, "data": e.data, "at": iso(e.created_at)}
                    for e in await session.scalars(
                        select(TicketEvent)
                        .where(TicketEvent.ticket_id == summary["ticket"]["number"])
                        .order_by(TicketEvent.id)
                    )
                ]
        await self._attach_analysis(customer.uid, messages)
        return {**summary, "messages": messages, "ticket_events": events}

    async def _attach_analysis(self, sender: str, messages: list[dict[str, Any]]) -> None:
        """The assistant's reading of each customer message, from the Rasa tracker."""
        try:
            tracker = await self._rasa.tracker(sender)
        except RasaUnavailable:
            return
        parsed = [
            e.get("parse_data") or {}
            for e in tracker.get("events", [])
            if e.get("event") == "user" and e.get("text")
        ]
        customer_messages = iter(m for m in messages if m["author"] == Author.CUSTOMER.value)
        for data in parsed:
            for message in customer_messages:
                if message["text"] == data.get("text"):
                    analysis = data.get("analysis") or {}
                    intent = data.get("intent") or {}
                    message["analysis"] = {
                        "intent": intent.get("name"),
                        "confidence": round(float(intent.get("confidence") or 0), 3),
                        **{
                            k: analysis.get(k)
                            for k in (
                                "emotion",
                                "intensity_level",
                                "category",
                                "cues",
                                "problem",
                                "product",
                            )
                        },
                    }
                    break

    async def canned(self, query: str = "") -> list[dict[str, Any]]:
        async with self._sessions() as session:
            rows = await session.scalars(select(CannedResponse).order_by(CannedResponse.shortcut))
            items = [
                {
                    "shortcut": c.shortcut,
                    "title": c.title,
                    "text_en": c.text_en,
                    "text_zh": c.text_zh,
                }
                for c in rows
            ]
        needle = query.strip().lower()
        return [i for i in items if not needle or any(needle in str(v).lower() for v in i.values())]

    async def agents(self) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            return [
                agent_dict(a) for a in await session.scalars(select(Agent).order_by(Agent.name))
            ]

    # -- changing ----------------------------------------------------------------------------

    async def _get(self, session: AsyncSession, conversation_id: int) -> Conversation:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            raise DeskError(404, "no such conversation")
        return conversation

    async def _ticket(self, session: AsyncSession, conversation_id: int) -> Ticket | None:
        ticket: Ticket | None = await session.scalar(
            select(Ticket)
            .where(Ticket.conversation_id == conversation_id)
            .order_by(Ticket.id.desc())
        )
        return ticket

    async def _event(
        self, session: AsyncSession, conversation_id: int, actor: str, action: str, **data: Any
    ) -> None:
        ticket = await self._ticket(session, conversation_id)
        if ticket is not None:
            session.add(TicketEvent(ticket_id=ticket.id, actor=actor, action=action, data=data))
            ticket.updated_at = utcnow()

    async def _language(self, session: AsyncSession, conversation: Conversation) -> str:
        customer = await session.get(Customer, conversation.customer_id)
        return customer.language if customer and customer.language == "zh" else "en"

    async def escalate(
        self,
        conversation: Conversation,
        session: AsyncSession,
        severity: str,
        reasons: list[str],
        language: str,
    ) -> dict[str, Any]:
        """Puts a conversation in the queue (the action server's hand-off); the caller commits."""
        tier = await queue.tier_of(session, conversation)
        conversation.status = ConversationStatus.QUEUED.value
        conversation.priority = queue.priority(severity, tier)
        conversation.escalation_reason = ",".join(reasons)[:200]
        conversation.queued_at = utcnow()
        conversation.assigned_agent_id = None
        await self._event(
            session, conversation.id, "bot", "queued", reasons=reasons, severity=severity
        )
        assigned = await queue.auto_assign(session) if self._settings.auto_assign else []
        info = await queue.info(session, conversation, language, self._settings)
        await session.commit()
        self._hub.publish(
            {"type": "escalated", "conversation": await self.summary(session, conversation)}
        )
        for chat, agent in assigned:
            await self._joined(chat.id, agent)
        return info.as_dict()

    async def _joined(self, conversation_id: int, agent: Agent) -> None:
        async with self._sessions() as session:
            conversation = await self._get(session, conversation_id)
            language = await self._language(session, conversation)
        await self._router.send(
            conversation_id,
            [Reply(text=JOINED[language].format(name=agent.name), author=Author.SYSTEM.value)],
        )
        await self._router.notify_status(conversation_id)
        self._hub.publish({"type": "queue_changed"})

    async def claim(self, conversation_id: int, agent: Agent) -> dict[str, Any]:
        async with self._sessions() as session:
            conversation = await self._get(session, conversation_id)
            me = await session.get(Agent, agent.id)
            assert me is not None
            if (
                conversation.status == ConversationStatus.ASSIGNED.value
                and conversation.assigned_agent_id != agent.id
            ):
                raise DeskError(409, "another agent already has this chat")
            if conversation.status not in (
                ConversationStatus.QUEUED.value,
                ConversationStatus.ASSIGNED.value,
            ):
                raise DeskError(409, "this chat is not waiting for a person")
            queue.assign(conversation, me)
            await self._event(
                session, conversation.id, f"agent:{agent.id}", "assigned", agent=agent.name
            )
            await session.commit()
        await self._joined(conversation_id, agent)
        return await self.conversation(conversation_id)

    async def reply(
        self, conversation_id: int, agent: Agent, text: str, private: bool
    ) -> dict[str, Any]:
        text = text.strip()
        if not text:
            raise DeskError(422, "the message is empty")
        async with self._sessions() as session:
            conversation = await self._get(session, conversation_id)
            if not private and conversation.assigned_agent_id != agent.id:
                raise DeskError(409, "claim the chat before replying")
            ticket = await self._ticket(session, conversation_id)
            if not private and ticket is not None and ticket.first_response_at is None:
                ticket.first_response_at = utcnow()
                await self._event(session, conversation_id, f"agent:{agent.id}", "first_response")
            elif private:
                await self._event(session, conversation_id, f"agent:{agent.id}", "note")
            await session.commit()
        author = Author.AGENT.value
        [stored] = await self._router.send(
            conversation_id, [Reply(text=text, author=author)], agent_id=agent.id, private=private
        )
        stored = {**stored, "private": private, "agent_id": agent.id}
        self._hub.publish(
            {"type": "message", "conversation_id": conversation_id, "message": stored}
        )
        return stored

    async def transfer(
        self, conversation_id: int, agent: Agent, to_agent_id: int | None
    ) -> dict[str, Any]:
        async with self._sessions() as session:
            conversation = await self._get(session, conversation_id)
            if to_agent_id is None:  # to a supervisor: the least busy one
                supervisors = list(
                    await session.scalars(
                        select(Agent).where(
                            Agent.role.in_([Role.SUPERVISOR.value, Role.ADMIN.value])
                        )
                    )
                )
                if not supervisors:
                    raise DeskError(409, "no supervisor to transfer to")
                target = min(supervisors, key=lambda a: (a.presence != Presence.ONLINE.value, a.id))
            else:
                found = await session.get(Agent, to_agent_id)
                if found is None:
                    raise DeskError(404, "no such agent")
                target = found
            queue.assign(conversation, target)
            await self._event(
                session,
                conversation_id,
                f"agent:{agent.id}",
                "transferred",
                to=target.name,
                to_id=target.id,
            )
            language = await self._language(session, conversation)
            await session.commit()
            name = target.name
        await self._router.send(
            conversation_id,
            [Reply(text=TRANSFERRED[language].format(name=name), author=Author.SYSTEM.value)],
        )
        self._hub.publish({"type": "queue_changed"})
        return await self.conversation(conversation_id)

    async def hand_back(self, conversation_id: int, agent: Agent) -> dict[str, Any]:
        """Gives the chat back to the assistant, which resumes with a clean dialogue state."""
        async with self._sessions() as session:
            conversation = await self._get(session, conversation_id)
            customer = await session.get(Customer, conversation.customer_id)
            assert customer is not None
            sender, language = customer.uid, await self._language(session, conversation)
        try:
            await self._rasa.append_events(sender, RESUME_EVENTS)
        except RasaUnavailable as error:
            raise DeskError(503, "the assistant is not reachable; try again in a moment") from error
        async with self._sessions() as session:
            conversation = await self._get(session, conversation_id)
            conversation.status = ConversationStatus.BOT.value
            conversation.assigned_agent_id = None
            await self._event(session, conversation_id, f"agent:{agent.id}", "handed_back")
            await session.commit()
        await self._router.send(
            conversation_id, [Reply(text=BACK_TO_BOT[language], author=Author.BOT.value)]
        )
        await self._router.notify_status(conversation_id)
        self._hub.publish({"type": "queue_changed"})
        return await self.conversation(conversation_id)

    async def resolve(self, conversation_id: int, agent: Agent, solution: str) -> dict[str, Any]:
        async with self._sessions() as session:
            ticket = await self._ticket(session, conversation_id)
            if ticket is None:
                raise DeskError(404, "this conversation has no ticket")
            ticket.status = TicketStatus.RESOLVED.value
            ticket.resolved_at = utcnow()
            ticket.solution = solution.strip() or None
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    actor=f"agent:{agent.id}",
                    action="resolved",
                    data={"solution": ticket.solution},
                )
            )
            await session.commit()
        self._hub.publish({"type": "queue_changed"})
        return await self.conversation(conversation_id)

    async def set_presence(self, agent: Agent, presence: str) -> dict[str, Any]:
        if presence not in {p.value for p in Presence}:
            raise DeskError(422, "presence is online, away or offline")
        async with self._sessions() as session:
            me = await session.get(Agent, agent.id)
            assert me is not None
            me.presence = presence
            assigned = await queue.auto_assign(session) if self._settings.auto_assign else []
            await session.commit()
            result = agent_dict(me)
        for chat, who in assigned:
            await self._joined(chat.id, who)
        self._hub.publish({"type": "agents_changed"})
        return result
