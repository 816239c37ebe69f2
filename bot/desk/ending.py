"""Conversations end: a queued customer leaves the queue (a button, or saying so) and their
ticket stays; nobody waits forever — after a while in the queue they are offered the ticket
follow-up; the customer hears when their place in line moves materially; a conversation nobody
wrote in for a while closes (an agent's chat is freed; a chat the assistant handled alone ends
with "did that help?"). The next message after a close starts a new conversation."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import Button, Reply
from bot.db import as_utc
from bot.delivery import Delivery, Notice
from bot.desk import notices, queue, surveys
from bot.desk.release import give_back
from bot.desk.tickets import record_on_current
from bot.models import (
    Author,
    Conversation,
    ConversationStatus,
    Message,
    Survey,
    Ticket,
)
from bot.queries import current_ticket_of
from bot.rasa import RasaClient
from bot.settings import Settings

logger = logging.getLogger(__name__)

LEAVING = re.compile(
    r"leave the queue|stop waiting|(don'?t|do not|can'?t|cannot) (want to )?wait|"
    r"get me out of the queue|cancel (the )?(chat|queue|waiting)|never ?mind|"
    r"不等了|不排了|退出排队|取消排队|不用等|算了吧",
    re.IGNORECASE,
)
# a place in line the customer is told again when it moves this much
MOVED_ENOUGH = 3


def wants_to_leave(text: str, reading: dict[str, Any] | None) -> bool:
    """The queued customer asks to leave the queue: the button, their words, or a goodbye."""
    if text.strip() == notices.LEAVE_PAYLOAD or LEAVING.search(text):
        return True
    intent = (reading or {}).get("intent") or {}
    return intent.get("name") == "goodbye" and float(intent.get("confidence") or 0) >= 0.8


def moved_materially(told: int | None, now: int) -> bool:
    return told is not None and now < told and (told - now >= MOVED_ENOUGH or now <= told // 2)


async def case_due(
    session: AsyncSession, conversation: Conversation, language: str, settings: Settings
) -> tuple[int | None, str]:
    ticket = await current_ticket_of(session, conversation.id)
    if ticket is None:
        return None, notices.due_or_soon(None, language, settings)
    return ticket.number, notices.due_or_soon(ticket.due_at, language, settings)


class Endings:
    def __init__(self, delivery: Delivery, rasa: RasaClient, settings: Settings) -> None:
        self._delivery = delivery
        self._rasa = rasa
        self._settings = settings

    # --- the customer's choice, in the router's session ----------------------------------

    async def leave_queue(self, session: AsyncSession, conversation: Conversation) -> list[Reply]:
        """Out of the queue, back to the assistant; the ticket stays open (the caller records
        the replies and commits)."""
        language = conversation.language
        number, due = await case_due(session, conversation, language, self._settings)
        await give_back(conversation, self._rasa, strict=False)
        await record_on_current(session, conversation, "customer", "left_queue")
        if number is None:
            return [notices.system(notices.BACK_TO_BOT[language])]
        return [notices.system(notices.LEFT_QUEUE[language].format(n=number, due=due))]

    async def keep_waiting(self, session: AsyncSession, conversation: Conversation) -> list[Reply]:
        position = await queue.position_of(session, conversation)
        conversation.told_position = position
        text = notices.STAY[conversation.language].format(position=position)
        return [notices.system(text, notices.leave_button(conversation.language))]

    # --- the monitor's jobs ---------------------------------------------------------------

    async def offer_follow_ups(self, session: AsyncSession, now: datetime) -> list[Notice]:
        """Customers queued longer than the timeout are offered the ticket follow-up, once."""
        cutoff = now - timedelta(minutes=self._settings.queue_timeout_minutes)
        chats = await session.scalars(
            select(Conversation).where(
                Conversation.status == ConversationStatus.QUEUED,
                Conversation.queued_at < cutoff,
                Conversation.queue_offer_at.is_(None),
            )
        )
        out = []
        for conversation in chats:
            if not await queue.claim_mark(session, conversation, "queue_offer_at", now):
                continue
            language = conversation.language
            number, due = await case_due(session, conversation, language, self._settings)
            text = notices.QUEUE_OFFER[language].format(n=number or "", due=due)
            offer = notices.system(
                text,
                Button(notices.LATER_BUTTON[language], notices.LEAVE_PAYLOAD),
                Button(notices.STAY_BUTTON[language], notices.STAY_PAYLOAD),
            )
            await record_on_current(session, conversation, "system", "follow_up_offered")
            out.append(await self._delivery.record(session, conversation, [offer]))
        return out

    async def tell_positions(self, session: AsyncSession) -> list[Notice]:
        """A queued customer hears when their place in line moved up materially."""
        out = []
        chats = await queue.queued(session)
        online = await queue.agents_online(session)
        for position, conversation in enumerate(chats, start=1):
            if conversation.told_position is None:
                conversation.told_position = position
            elif moved_materially(conversation.told_position, position):
                conversation.told_position = position
                minutes = queue.expected_wait(position, online, self._settings)
                text = notices.MOVED_UP[conversation.language].format(
                    position=position, minutes=minutes
                )
                reply = notices.system(text, notices.leave_button(conversation.language))
                out.append(await self._delivery.record(session, conversation, [reply]))
        return out

    async def close_idle(self, session: AsyncSession, now: datetime) -> list[Notice]:
        """Closes conversations nobody wrote in for the idle time; an agent's chat is freed."""
        cutoff = now - timedelta(minutes=self._settings.idle_close_minutes)
        last = (
            select(Message.conversation_id, func.max(Message.created_at).label("at"))
            .group_by(Message.conversation_id)
            .subquery()
        )
        chats = await session.scalars(
            select(Conversation)
            .join(last, last.c.conversation_id == Conversation.id)
            .where(
                Conversation.status.in_([ConversationStatus.BOT, ConversationStatus.ASSIGNED]),
                last.c.at < cutoff,
            )
        )
        out = []
        for conversation in list(chats):
            if not await queue.claim_close(session, conversation, now):
                continue
            out.extend(await self._closing(session, conversation))
        return out

    async def _closing(self, session: AsyncSession, conversation: Conversation) -> list[Notice]:
        language = conversation.language
        ticket = await current_ticket_of(session, conversation.id)
        replies: list[Reply] = []
        if conversation.assigned_agent_id is not None:
            await give_back(conversation, self._rasa, strict=False)
            await record_on_current(session, conversation, "system", "chat_closed_idle")
            if ticket is not None and ticket.active:
                replies.append(
                    notices.system(notices.IDLE_CLOSED[language].format(n=ticket.number))
                )
        elif await self._bot_alone(session, conversation, ticket):
            replies += surveys.ask_bot(session, conversation, self._settings)
        conversation.status = ConversationStatus.CLOSED
        return [await self._delivery.record(session, conversation, replies)] if replies else []

    async def _bot_alone(
        self, session: AsyncSession, conversation: Conversation, ticket: Ticket | None
    ) -> bool:
        """The assistant handled the chat alone: it answered, nobody else was involved, and the
        customer was not surveyed in it."""
        if ticket is not None or conversation.queued_at is not None:
            return False
        answered = await session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation.id, Message.author == Author.BOT)
        )
        surveyed = await session.scalar(
            select(func.count())
            .select_from(Survey)
            .where(
                Survey.customer_id == conversation.customer_id,
                Survey.asked_at >= as_utc(conversation.created_at),
            )
        )
        return bool(answered) and not surveyed
