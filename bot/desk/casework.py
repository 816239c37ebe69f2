"""Tickets as work: an agent takes a ticket, replies to the customer on their channel, moves it
open → pending → waiting on customer → resolved → closed, corrects its category or severity
with a reason, adds notes; a supervisor marks a customer VIP. A case the customer is unhappy
with is reopened to a senior colleague (`follow_up`).

Every change is a TicketEvent and one transaction; what the customer is told is recorded in the
same transaction and sent once it is committed; the console hears `ticket_changed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contract import Reply
from bot.db import utcnow
from bot.delivery import Delivery, Notice
from bot.desk import notices, queue
from bot.desk.permissions import NOT_YOUR_TICKET, require_holder
from bot.desk.ticket_list import TicketList
from bot.desk.tickets import actor, record
from bot.errors import Conflict, Invalid, NotFound
from bot.events import Hub
from bot.models import (
    Agent,
    Conversation,
    ConversationStatus,
    Ticket,
    TicketStatus,
)
from bot.queries import open_conversation_of
from bot.settings import Settings
from bot.views import message_event, staff_message_dict
from bot.wire.internal_api import CATEGORY_MAX_CHARS, SEVERITIES

REOPEN_PRIORITY = 2


@dataclass
class Change:
    """What one change leaves to do after its commit."""

    notices: list[Notice]
    reopened_to: int | None = None


async def ticket_with_number(session: AsyncSession, number: int) -> Ticket:
    ticket = await session.get(Ticket, number)
    if ticket is None:
        raise NotFound("no such ticket")
    return ticket


async def conversation_of(session: AsyncSession, ticket: Ticket) -> Conversation:
    conversation = await session.get(Conversation, ticket.conversation_id)
    assert conversation is not None
    return conversation


class CaseWork:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        delivery: Delivery,
        hub: Hub,
        listing: TicketList,
        settings: Settings,
    ) -> None:
        self._sessions = sessions
        self._delivery = delivery
        self._hub = hub
        self._listing = listing
        self._settings = settings

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._sessions

    @property
    def delivery(self) -> Delivery:
        return self._delivery

    # --- after the commit ---------------------------------------------------------------

    async def announce(self, session: AsyncSession, ticket: Ticket, change: Change) -> None:
        for notice in change.notices:
            await self._delivery.send(notice)
        row = await self._listing.row_of(session, ticket)
        self._hub.publish({"type": "ticket_changed", "ticket": row})
        if change.reopened_to is not None:
            self._hub.publish(
                {"type": "ticket_reopened", "ticket": row, "agent_id": change.reopened_to}
            )
        self._hub.publish({"type": "queue_changed"})

    async def finish(self, session: AsyncSession, ticket: Ticket, change: Change) -> dict[str, Any]:
        await session.commit()
        await self.announce(session, ticket, change)
        return await self._listing.detail_in(session, ticket)

    # --- the chat that goes with a ticket -------------------------------------------------

    async def chat_for(self, session: AsyncSession, ticket: Ticket, agent: Agent) -> Conversation:
        """The chat in which the agent talks to the ticket's customer, now the agent's: the
        ticket's own, reopened if it closed (or the customer's live one, which the ticket
        follows). Another agent's chat is theirs."""
        conversation = await conversation_of(session, ticket)
        if conversation.status == ConversationStatus.CLOSED:
            live = await open_conversation_of(session, ticket.customer_id)
            if live is not None:
                ticket.conversation_id = live.id
                conversation = live
            else:
                conversation.status = ConversationStatus.BOT
                conversation.closed_at = None
        if (
            conversation.status == ConversationStatus.ASSIGNED
            and conversation.assigned_agent_id not in (None, agent.id)
        ):
            holder = await session.get(Agent, conversation.assigned_agent_id)
            raise Conflict(f"{holder.name if holder else 'another agent'} has this customer's chat")
        if conversation.status != ConversationStatus.ASSIGNED:
            me = await session.get(Agent, agent.id)
            assert me is not None
            queue.assign(conversation, me)
        return conversation

    async def tell(self, session: AsyncSession, ticket: Ticket, replies: list[Reply]) -> Notice:
        conversation = await conversation_of(session, ticket)
        return await self._delivery.record(session, conversation, replies, status=True)

    # --- the agent's actions --------------------------------------------------------------

    async def take(self, number: int, agent: Agent) -> dict[str, Any]:
        async with self._sessions() as session:
            ticket = await ticket_with_number(session, number)
            require_holder(agent, ticket.assignee_id, NOT_YOUR_TICKET, unheld_is_open=True)
            if not ticket.active:
                raise Conflict("this ticket is not open; reopen it first")
            change = Change([])
            self._take(session, ticket, agent)
            conversation = await conversation_of(session, ticket)
            if conversation.status == ConversationStatus.QUEUED:
                await self.chat_for(session, ticket, agent)
            language = conversation.language
            me = await session.get(Agent, agent.id)
            assert me is not None
            reply = notices.assigned(ticket, me, language, self._settings)
            change.notices.append(await self.tell(session, ticket, [reply]))
            return await self.finish(session, ticket, change)

    def _take(self, session: AsyncSession, ticket: Ticket, agent: Agent) -> None:
        if ticket.assignee_id != agent.id:
            record(
                session,
                ticket,
                actor(agent),
                "taken",
                agent=agent.name,
                previous=ticket.assignee_id,
            )
        ticket.assignee_id = agent.id
        if ticket.status == TicketStatus.OPEN:
            ticket.status = TicketStatus.PENDING

    async def write(self, number: int, agent: Agent, text: str, private: bool) -> dict[str, Any]:
        """A reply to the ticket's customer on their channel, or a private note."""
        text = text.strip()
        if not text:
            raise Invalid("the message is empty")
        async with self._sessions() as session:
            ticket = await ticket_with_number(session, number)
            if private:
                conversation = await conversation_of(session, ticket)
                record(session, ticket, actor(agent), "note", text=text[:500])
            else:
                require_holder(agent, ticket.assignee_id, NOT_YOUR_TICKET, unheld_is_open=True)
                conversation = await self.chat_for(session, ticket, agent)
                if ticket.active and ticket.assignee_id is None:
                    self._take(session, ticket, agent)
                if ticket.first_response_at is None:
                    ticket.first_response_at = utcnow()
                    record(session, ticket, actor(agent), "first_response")
                else:
                    record(session, ticket, actor(agent), "replied")
            notice = await self._delivery.record(
                session,
                conversation,
                [Reply(text=text, author="agent")],
                agent_id=agent.id,
                private=private,
                status=not private,
            )
            await session.commit()
            [message] = notice.messages
            stored = staff_message_dict(message)
            await self.announce(session, ticket, Change([notice]))
            event = message_event(conversation, stored)
        self._hub.publish(event)
        return stored

    async def note(self, number: int, agent: Agent, text: str) -> dict[str, Any]:
        text = text.strip()
        if not text:
            raise Invalid("the note is empty")
        async with self._sessions() as session:
            ticket = await ticket_with_number(session, number)
            record(session, ticket, actor(agent), "note", text=text[:4000])
            return await self.finish(session, ticket, Change([]))

    async def correct(
        self, number: int, agent: Agent, category: str | None, severity: str | None, reason: str
    ) -> dict[str, Any]:
        reason = reason.strip()
        if not reason:
            raise Invalid("say why it is corrected")
        if severity is not None and severity not in SEVERITIES:
            raise Invalid(f"severity is one of {', '.join(SEVERITIES)}")
        if category is not None and not 0 < len(category) <= CATEGORY_MAX_CHARS:
            raise Invalid(f"category: 1 to {CATEGORY_MAX_CHARS} characters")
        async with self._sessions() as session:
            ticket = await ticket_with_number(session, number)
            require_holder(agent, ticket.assignee_id, NOT_YOUR_TICKET, unheld_is_open=True)
            changed: dict[str, Any] = {}
            if category is not None and category != ticket.category:
                changed["category"] = {"from": ticket.category, "to": category}
                ticket.category = category
            if severity is not None and severity != ticket.severity:
                changed["severity"] = {"from": ticket.severity, "to": severity}
                ticket.priority += queue.SEVERITY_PRIORITY[severity] - queue.SEVERITY_PRIORITY.get(
                    ticket.severity, 2
                )
                ticket.severity = severity
            if not changed:
                raise Invalid("nothing to correct")
            record(session, ticket, actor(agent), "corrected", reason=reason, **changed)
            return await self.finish(session, ticket, Change([]))
