"""A ticket's status as an agent moves it — open → pending → waiting on customer → resolved →
closed, and reopened — and the case followed up when the customer is unhappy with it: reopened
to a senior colleague with a raised priority, the customer told who follows up and by when.

Resolving gives the chat back to the assistant (the agent's capacity is free) and surveys the
customer; waiting on the customer stops the SLA clock and tells them what is needed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import Reply
from bot.db import utcnow
from bot.delivery import Notice
from bot.desk import notices, surveys
from bot.desk.case_states import holds_chat, reopen, resume_clock
from bot.desk.casework import CaseWork, Change, conversation_of, ticket_with_number
from bot.desk.permissions import NOT_YOUR_CHAT, NOT_YOUR_TICKET, SENIOR_ROLES, require_holder
from bot.desk.release import give_back
from bot.desk.ticket_list import MOVES
from bot.desk.tickets import actor, record
from bot.errors import Conflict, Invalid, NotFound
from bot.models import ACTIVE_STATUSES, Agent, Presence, Ticket, TicketStatus
from bot.queries import current_ticket_of
from bot.rasa import RasaClient

REOPEN_PRIORITY = 2


async def senior_for(session: AsyncSession) -> Agent | None:
    """The supervisor (or admin) to follow a case up: at work first, then the least loaded."""
    seniors = list(await session.scalars(select(Agent).where(Agent.role.in_(SENIOR_ROLES))))
    if not seniors:
        return None
    rows = await session.execute(
        select(Ticket.assignee_id, func.count())
        .where(Ticket.status.in_(ACTIVE_STATUSES), Ticket.assignee_id.is_not(None))
        .group_by(Ticket.assignee_id)
    )
    loads: dict[int | None, int] = {agent_id: count for agent_id, count in rows.all()}
    return min(seniors, key=lambda a: (a.presence != Presence.ONLINE, loads.get(a.id, 0), a.id))


class CaseStatus:
    def __init__(self, work: CaseWork, rasa: RasaClient) -> None:
        self._work = work
        self._rasa = rasa

    async def move(self, number: int, agent: Agent, status: str, note: str) -> dict[str, Any]:
        try:
            target = TicketStatus(status)
        except ValueError as error:
            raise Invalid("no such status") from error
        note = note.strip()
        async with self._work.sessions() as session:
            ticket = await ticket_with_number(session, number)
            # a ticket nobody has is anyone's to take (pending, or waiting on the customer);
            # ending it is for its agent or a supervisor
            taking = target in (TicketStatus.PENDING, TicketStatus.WAITING_CUSTOMER)
            require_holder(agent, ticket.assignee_id, NOT_YOUR_TICKET, unheld_is_open=taking)
            if target not in MOVES[ticket.status]:
                raise Conflict(f"a {ticket.status.value} ticket cannot become {target.value}")
            change = await self.move_in(session, ticket, agent, target, note)
            return await self._work.finish(session, ticket, change)

    async def move_in(
        self, session: AsyncSession, ticket: Ticket, agent: Agent, target: TicketStatus, note: str
    ) -> Change:
        """Moves the ticket to `target` in the caller's session (the caller commits and
        announces the change)."""
        now = utcnow()
        source = ticket.status
        conversation = await conversation_of(session, ticket)
        language = conversation.language
        me = await session.get(Agent, agent.id)
        assert me is not None
        change = Change([])
        if target == TicketStatus.WAITING_CUSTOMER and not note:
            raise Invalid("say what you need from the customer")
        if target == TicketStatus.RESOLVED and not note:
            raise Invalid("say how it was solved, in a sentence")
        if source == TicketStatus.WAITING_CUSTOMER:
            resume_clock(ticket, now, self._work.settings)
        record(
            session,
            ticket,
            actor(agent),
            "status",
            **{"from": source.value},
            to=target.value,
            note=note or None,
        )
        ticket.status = target
        working = target in (TicketStatus.PENDING, TicketStatus.WAITING_CUSTOMER)
        if working and ticket.assignee_id is None:
            ticket.assignee_id = agent.id
        if target == TicketStatus.OPEN and source == TicketStatus.PENDING:
            ticket.assignee_id = None
        if target == TicketStatus.WAITING_CUSTOMER:
            ticket.waiting_for = note
            ticket.sla_paused_at = now
            await self._work.chat_for(session, ticket, agent)
            change.notices.append(
                await self._work.tell(
                    session, ticket, [notices.waiting(ticket, me, note, language)]
                )
            )
        elif target == TicketStatus.RESOLVED:
            change.notices.extend(await self.resolve_in(session, ticket, note))
        elif target == TicketStatus.CLOSED:
            ticket.closed_at = now
            if await holds_chat(session, ticket, conversation):
                await give_back(conversation, self._rasa, strict=False)
        elif target == TicketStatus.OPEN and source in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
            reopen(session, ticket, actor(agent), "reopened by an agent", now, self._work.settings)
            ticket.assignee_id = agent.id
            change.notices.append(
                await self._work.tell(session, ticket, [notices.reopened_by(ticket, me, language)])
            )
        return change

    async def resolve_in(
        self, session: AsyncSession, ticket: Ticket, solution: str
    ) -> list[Notice]:
        """Resolves the ticket: the chat goes back to the assistant (the agent's capacity is
        free), the customer hears the solution and is asked the survey's first question."""
        ticket.status = TicketStatus.RESOLVED
        ticket.resolved_at = utcnow()
        ticket.solution = solution or None
        ticket.sla_paused_at = None
        ticket.waiting_for = None
        conversation = await conversation_of(session, ticket)
        if await holds_chat(session, ticket, conversation):
            await give_back(conversation, self._rasa, strict=False)
        replies = [notices.resolved(ticket, conversation.language)]
        replies += surveys.ask_case(session, ticket, conversation, self._work.settings)
        return [await self._work.delivery.record(session, conversation, replies, status=True)]

    async def resolve_chat(self, conversation_id: int, agent: Agent, solution: str) -> None:
        """The console's "resolve" on a chat: its current ticket is resolved."""
        async with self._work.sessions() as session:
            ticket = await current_ticket_of(session, conversation_id)
            if ticket is None:
                raise NotFound("this conversation has no ticket")
            conversation = await conversation_of(session, ticket)
            holder = conversation.assigned_agent_id or ticket.assignee_id
            require_holder(agent, holder, NOT_YOUR_CHAT)
            if not ticket.active:
                raise Conflict("this ticket is already resolved")
            if ticket.status == TicketStatus.WAITING_CUSTOMER:
                resume_clock(ticket, utcnow(), self._work.settings)
            record(session, ticket, actor(agent), "resolved", solution=solution.strip() or None)
            change = Change(await self.resolve_in(session, ticket, solution.strip()))
            await self._work.finish(session, ticket, change)

    # --- the case followed up -------------------------------------------------------------

    async def follow_up(
        self, session: AsyncSession, ticket: Ticket, reason: str
    ) -> tuple[list[Reply], int | None]:
        """The customer is unhappy with the resolved case: it is reopened to a senior colleague
        with a raised priority. Returns what to tell the customer (who follows up, by when) and
        the colleague's id; the caller records, commits and announces."""
        now = utcnow()
        reopen(session, ticket, "customer", reason, now, self._work.settings)
        ticket.priority += REOPEN_PRIORITY
        senior = await senior_for(session)
        if senior is None:
            return [], None
        ticket.assignee_id = senior.id
        record(
            session,
            ticket,
            "system",
            "routed",
            to=senior.name,
            to_id=senior.id,
            role=senior.role.value,
        )
        conversation = await conversation_of(session, ticket)
        reply = notices.reopened(ticket, senior, conversation.language, self._work.settings)
        return [reply], senior.id
