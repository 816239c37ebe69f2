"""The gateway's monitor: a loop that, every few seconds, watches SLAs (warns the agent at a
share of the time, marks breaches, raises priority, alerts supervisors), sends survey reminders
and closes surveys that expired, offers queued customers the ticket follow-up, tells them when
their place moves, closes idle conversations, and deletes closed conversations older than the
retention setting.

It fires each job once even with several gateway replicas on one PostgreSQL database: a round
runs only under a PostgreSQL advisory lock (the other replicas skip it), and every job claims
its row with a conditional UPDATE, so a job that two rounds see is still done once. `tick(now)`
takes the time, so tests drive it with their own clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db import as_utc, claim, utcnow
from bot.delivery import Delivery, Notice
from bot.desk import surveys
from bot.desk.assignment import Assignment
from bot.desk.ending import Endings
from bot.desk.feedback import close_after_survey
from bot.desk.privacy import Privacy
from bot.desk.sla import SlaState, claim_mark, raise_priority, running_tickets, sla_state
from bot.desk.ticket_list import TicketList
from bot.desk.tickets import record
from bot.events import Hub
from bot.metrics import SLA_BREACHES
from bot.models import Conversation, Survey, SurveyStatus, Ticket
from bot.settings import Settings

logger = logging.getLogger(__name__)

# pg_try_advisory_lock's key: "LERA" in ASCII
LOCK_KEY = 0x4C455241


class Monitor:
    def __init__(
        self,
        engine: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        delivery: Delivery,
        hub: Hub,
        listing: TicketList,
        endings: Endings,
        assignment: Assignment,
        privacy: Privacy,
        settings: Settings,
    ) -> None:
        self._engine = engine
        self._sessions = sessions
        self._delivery = delivery
        self._hub = hub
        self._listing = listing
        self._endings = endings
        self._assignment = assignment
        self._privacy = privacy
        self._settings = settings

    async def forever(self) -> None:
        while True:
            await asyncio.sleep(self._settings.monitor_interval_seconds)
            try:
                await self.tick()
            except Exception:  # the monitor must outlive one bad round
                logger.exception("monitor round failed")

    @contextlib.asynccontextmanager
    async def _turn(self) -> AsyncIterator[bool]:
        """Whether this replica runs the round: it holds the advisory lock (PostgreSQL)."""
        if self._engine.dialect.name != "postgresql":
            yield True
            return
        async with self._engine.connect() as connection:
            got = bool(await connection.scalar(text(f"SELECT pg_try_advisory_lock({LOCK_KEY})")))
            try:
                yield got
            finally:
                if got:
                    await connection.execute(text(f"SELECT pg_advisory_unlock({LOCK_KEY})"))
                await connection.commit()

    async def tick(self, now: datetime | None = None) -> bool:
        """One round of every job at `now`; False when another replica has the round."""
        now = now or utcnow()
        async with self._turn() as mine:
            if not mine:
                return False
            await self._sla(now)
            await self._surveys(now)
            await self._queue_and_idle(now)
            await self._retention(now)
        return True

    async def _retention(self, now: datetime) -> None:
        days = self._settings.retention_days
        if days <= 0:
            return
        async with self._sessions() as session:
            purged = await self._privacy.purge_closed_before(session, now - timedelta(days=days))
            await session.commit()
        if purged:
            logger.info("retention: deleted %d closed conversations", purged)

    async def _sla(self, now: datetime) -> None:
        share = self._settings.policy.sla.warning_share
        async with self._sessions() as session:
            changed: list[tuple[str, Ticket]] = []
            for ticket in await running_tickets(session):
                state = sla_state(ticket, now, share)
                if state == SlaState.BREACHED and ticket.sla_breached_at is None:
                    if await claim_mark(session, ticket, "sla_breached_at", now):
                        SLA_BREACHES.labels(ticket.severity).inc()
                        record(
                            session,
                            ticket,
                            "system",
                            "sla_breached",
                            due_at=as_utc(ticket.due_at).isoformat() if ticket.due_at else None,
                        )
                        await raise_priority(session, ticket)
                        changed.append(("sla_breached", ticket))
                elif (
                    state == SlaState.WARNING
                    and ticket.sla_warned_at is None
                    and await claim_mark(session, ticket, "sla_warned_at", now)
                ):
                    record(session, ticket, "system", "sla_warning")
                    changed.append(("sla_warning", ticket))
            await session.commit()
            for kind, ticket in changed:
                row = await self._listing.row_of(session, ticket)
                self._hub.publish({"type": kind, "ticket": row, "agent_id": ticket.assignee_id})
                self._hub.publish({"type": "ticket_changed", "ticket": row})

    async def _surveys(self, now: datetime) -> None:
        remind_before = now - timedelta(hours=self._settings.survey_reminder_hours)
        async with self._sessions() as session:
            waiting = list(
                await session.scalars(
                    select(Survey).where(Survey.status == SurveyStatus.ASKED).order_by(Survey.id)
                )
            )
            sent: list[Notice] = []
            closed: list[Ticket] = []
            for survey in waiting:
                ticket = await session.get(Ticket, survey.ticket_id) if survey.ticket_id else None
                if surveys.expired(survey, now):
                    expired = {"status": SurveyStatus.EXPIRED}
                    if await claim(session, survey, expired, Survey.status == SurveyStatus.ASKED):
                        close_after_survey(session, survey, ticket)
                        if ticket is not None:
                            closed.append(ticket)
                elif survey.reminded_at is None and as_utc(survey.asked_at) <= remind_before:
                    reminded = {"reminded_at": now}
                    first = await claim(session, survey, reminded, Survey.reminded_at.is_(None))
                    if first and survey.conversation_id:
                        conversation = await session.get(Conversation, survey.conversation_id)
                        assert conversation is not None
                        number = ticket.number if ticket is not None else None
                        reminder = surveys.reminder(survey, number)
                        sent.append(await self._delivery.record(session, conversation, [reminder]))
            await session.commit()
            for notice in sent:
                await self._delivery.send(notice)
            for ticket in closed:
                row = await self._listing.row_of(session, ticket)
                self._hub.publish({"type": "ticket_changed", "ticket": row})

    async def _queue_and_idle(self, now: datetime) -> None:
        async with self._sessions() as session:
            sent = await self._endings.offer_follow_ups(session, now)
            sent += await self._endings.tell_positions(session)
            closed = await self._endings.close_idle(session, now)
            joined = await self._assignment.auto_assign(session) if closed else []
            await session.commit()
            for notice in [*sent, *closed]:
                await self._delivery.send(notice)
            if joined or closed:
                await self._assignment.announce(*joined)
