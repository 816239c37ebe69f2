"""The customer's feedback: survey answers taken from their messages (before the assistant
sees them), the unhappy followed up by a senior colleague, and the resolved case closed once
its survey is done."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import Reply
from bot.db import utcnow
from bot.desk import surveys
from bot.desk.case_status import CaseStatus
from bot.desk.casework import CaseWork, Change
from bot.desk.tickets import record
from bot.models import Conversation, Message, Survey, SurveyStatus, Ticket, TicketStatus


@dataclass(frozen=True)
class Taken:
    """A survey answer taken: what to reply, and the ticket whose change to announce."""

    replies: list[Reply]
    ticket: Ticket | None
    change: Change


def close_after_survey(session: AsyncSession, survey: Survey, ticket: Ticket | None) -> None:
    """A resolved case whose survey is over (answered or expired) is closed."""
    if ticket is None or ticket.status != TicketStatus.RESOLVED:
        return
    ticket.status = TicketStatus.CLOSED
    ticket.closed_at = utcnow()
    record(
        session,
        ticket,
        "system",
        "status",
        **{"from": "resolved"},
        to="closed",
        note=f"survey {survey.status.value}",
    )


class Feedback:
    def __init__(self, casework: CaseWork, statuses: CaseStatus) -> None:
        self._casework = casework
        self._statuses = statuses

    async def take(
        self, session: AsyncSession, conversation: Conversation, message: Message
    ) -> Taken | None:
        """The message as the answer to the customer's open survey, if it is one."""
        survey = await surveys.open_survey_of(session, conversation.customer_id, utcnow())
        if survey is None:
            return None
        ticket = await session.get(Ticket, survey.ticket_id) if survey.ticket_id else None
        number = ticket.number if ticket is not None else None
        settings = self._casework.settings
        asked = survey.step
        answer = surveys.answer(survey, message.text or "", number, settings)
        if answer is None:
            return None
        replies = answer.replies
        change = Change([])
        if ticket is not None:
            record(
                session,
                ticket,
                "customer",
                "survey",
                step=asked.value,
                csat=survey.csat,
                solved=survey.solved,
                nps=survey.nps,
                comment=survey.comment,
            )
            if answer.unhappy and ticket.status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
                reason = (
                    f"CSAT {survey.csat}"
                    if survey.csat is not None and survey.csat <= 2
                    else "not solved"
                )
                told, senior = await self._statuses.follow_up(session, ticket, reason)
                replies = [*told, *replies]
                change.reopened_to = senior
            elif survey.status == SurveyStatus.ANSWERED:
                close_after_survey(session, survey, ticket)
        return Taken(replies, ticket, change)

    async def announce(self, session: AsyncSession, taken: Taken) -> None:
        if taken.ticket is not None:
            await self._casework.announce(session, taken.ticket, taken.change)
