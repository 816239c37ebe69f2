"""Store first, then route: to the Rasa assistant while the bot has the chat, else to the agents.

Every customer message is committed to the database before anything else happens, idempotently
on the channel's message id, in its customer's turn (one message at a time per customer), and
one session does the work of one message. While the bot handles the conversation the message
goes to the assistant (`bot/assistant.py`), after any of the customer's earlier messages that
waited for it; while people have it, to the agent console, and the bot is silent. Messages that
wait for Rasa are also answered by the retry loop (`bot/retry.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.assistant import Assistant, record_answer
from bot.contract import Inbound, InvalidMessage, Outcome, Reply, storable
from bot.desk.case_states import customer_replied
from bot.desk.casework import CaseWork, Change
from bot.desk.ending import Endings, wants_to_leave
from bot.desk.feedback import Feedback
from bot.desk.notices import LEAVE_PAYLOAD, STAY_PAYLOAD
from bot.desk.surveys import PAYLOAD as SURVEY_PAYLOAD
from bot.desk.waiting import waiting_note
from bot.events import Hub
from bot.limits import Limits
from bot.locks import KeyedLocks
from bot.metrics import MESSAGES_IN
from bot.models import Author, Conversation, ConversationStatus, Customer, Message
from bot.queries import (
    current_ticket_of,
    customer_on,
    message_with_channel_id,
    open_conversation_of,
    replies_to,
)
from bot.settings import Settings
from bot.views import conversation_view, message_dict, message_event, reply_of
from nlu.cues import detect_language

logger = logging.getLogger(__name__)

TOO_LONG = {
    "en": "That message is longer than I can read ({limit} characters at most). I've kept it for "
    "my colleagues — could you send me the main point in a shorter message?",
    "zh": "这条消息太长了（最多 {limit} 个字符）。消息已为同事保存，您能简短说一下重点吗？",
}

SLOW_DOWN = {
    "en": "You're writing faster than I can read. I've kept every message — give me a minute, "
    "then tell me the one thing you need most.",
    "zh": "您发消息的速度有点快，我跟不上了。每条消息都已保存——"
    "请稍等一分钟，再告诉我您最需要解决的问题。",
}


class Router:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        assistant: Assistant,
        turns: KeyedLocks,
        hub: Hub,
        settings: Settings,
        feedback: Feedback,
        endings: Endings,
        casework: CaseWork,
        limits: Limits,
    ) -> None:
        self._sessions = sessions
        self._assistant = assistant
        self._turns = turns  # one message at a time per customer: (channel, external id)
        self._hub = hub
        self._settings = settings
        self._feedback = feedback
        self._endings = endings
        self._casework = casework
        self._limits = limits

    async def handle(
        self, inbound: Inbound, on_stored: Callable[[], Awaitable[None]] | None = None
    ) -> Outcome:
        """Stores the message, then answers it; `on_stored` is called as soon as it is safe."""
        inbound = replace(
            inbound,
            text=storable(inbound.text),
            display_name=storable(inbound.display_name) if inbound.display_name else None,
            title=storable(inbound.title) if inbound.title else None,
            message_id=storable(inbound.message_id) if inbound.message_id else None,
        )
        text = inbound.text.strip()
        if not text:
            raise InvalidMessage("the message is empty")
        turn = self._turns.hold((inbound.channel, inbound.external_id))
        async with turn, self._sessions() as session:
            conversation, message, new = await self._store(session, inbound, text)
            if not new:  # a message the channel delivered again: the replies it had then
                replies = [reply_of(m) for m in await replies_to(session, message.id)]
                return await self._outcome(session, conversation, replies, duplicate=True)
            if on_stored is not None:
                await on_stored()
            replies = await self._route(session, conversation, message)
            return await self._outcome(session, conversation, replies)

    async def _outcome(
        self,
        session: AsyncSession,
        conversation: Conversation,
        replies: list[Reply],
        duplicate: bool = False,
    ) -> Outcome:
        await session.refresh(conversation)
        ticket = await current_ticket_of(session, conversation.id)
        return Outcome(replies, conversation_view(conversation, ticket), duplicate)

    async def _store(
        self, session: AsyncSession, inbound: Inbound, text: str
    ) -> tuple[Conversation, Message, bool]:
        """Commits the message before anything else. For a channel message id stored before,
        the message stored then (and False)."""
        if inbound.message_id:
            seen = await message_with_channel_id(session, inbound.channel, inbound.message_id)
            if seen is not None:
                earlier = await session.get(Conversation, seen.conversation_id)
                assert earlier is not None
                return earlier, seen, False
        customer = await customer_on(session, inbound.channel, inbound.external_id)
        if customer is None:
            customer = Customer(
                channel=inbound.channel,
                external_id=inbound.external_id,
                display_name=inbound.display_name,
                language=inbound.language,
            )
            session.add(customer)
            await session.flush()
        customer.language = detect_language(text) or customer.language or inbound.language or "en"
        conversation = await open_conversation_of(session, customer.id)
        if conversation is None:
            conversation = Conversation(customer=customer, channel=customer.channel)
            session.add(conversation)
            await session.flush()
        message = Message(
            conversation_id=conversation.id,
            channel=inbound.channel,
            channel_message_id=inbound.message_id,
            author=Author.CUSTOMER,
            text=text,
            payload={"title": inbound.title} if inbound.title else {},
        )
        session.add(message)
        try:
            await session.commit()
        except IntegrityError:  # the same message id, stored by a parallel request
            await session.rollback()
            return await self._store(session, inbound, text)
        MESSAGES_IN.labels(inbound.channel).inc()
        return conversation, message, True

    async def _route(
        self, session: AsyncSession, conversation: Conversation, message: Message
    ) -> list[Reply]:
        """To the assistant, or to the agents; returns what to answer in the request."""
        limit = self._settings.max_message_chars
        if len(message.text or "") > limit:
            language = conversation.customer.language or "en"
            text = TOO_LONG.get(language, TOO_LONG["en"]).format(limit=limit)
            too_long = [Reply(text=text, author=Author.SYSTEM)]
            await record_answer(session, conversation, message, too_long, handled=True)
            return too_long
        text = message.text or ""
        taken = await self._feedback.take(session, conversation, message)
        if taken is not None:  # an answer to the customer's survey
            await record_answer(session, conversation, message, taken.replies, handled=True)
            await self._feedback.announce(session, taken)
            return taken.replies
        queued = conversation.status == ConversationStatus.QUEUED
        if text.startswith(SURVEY_PAYLOAD) or (
            text in (LEAVE_PAYLOAD, STAY_PAYLOAD) and not queued
        ):
            # a button of a survey that closed, or of a queue the customer is no longer in
            await record_answer(session, conversation, message, [], handled=True)
            return []
        if conversation.status == ConversationStatus.BOT:
            customer = str(conversation.customer_id)
            if not (await self._limits.hit("message_customer", customer)).allowed:
                return await self._slow_down(session, conversation, message)
            await self._assistant.answer_late(session, conversation, before=message)
        if conversation.status == ConversationStatus.QUEUED:
            return await self._queued(session, conversation, message)
        if conversation.status == ConversationStatus.ASSIGNED:
            return await self._to_agent(session, conversation, message, [])
        replies, _ = await self._assistant.answer(session, conversation, message)
        return replies

    async def _slow_down(
        self, session: AsyncSession, conversation: Conversation, message: Message
    ) -> list[Reply]:
        """More messages than the assistant takes from one customer: each is kept (agents see
        it in the transcript), and the customer is asked to slow down, once a minute."""
        customer = str(conversation.customer_id)
        replies = []
        if (await self._limits.hit("slow_down_note", customer)).allowed:
            text = SLOW_DOWN[conversation.language]
            replies = [Reply(text=text, author=Author.SYSTEM)]
        await record_answer(session, conversation, message, replies, handled=True)
        return replies

    async def _queued(
        self, session: AsyncSession, conversation: Conversation, message: Message
    ) -> list[Reply]:
        """A customer waiting in the queue: leaving it, staying, or writing to the agents."""
        text = message.text or ""
        reading = await self._assistant.read(text)
        if text == STAY_PAYLOAD:
            replies = await self._endings.keep_waiting(session, conversation)
        elif wants_to_leave(text, reading):
            replies = await self._endings.leave_queue(session, conversation)
            await record_answer(session, conversation, message, replies, handled=True)
            self._hub.publish({"type": "queue_changed"})
            return replies
        else:
            replies = await waiting_note(session, conversation, self._settings, reading)
        return await self._to_agent(session, conversation, message, replies)

    async def _to_agent(
        self,
        session: AsyncSession,
        conversation: Conversation,
        message: Message,
        replies: list[Reply],
    ) -> list[Reply]:
        """People have the chat: the console sees the message; a ticket that waited on the
        customer is worked again."""
        ticket = await customer_replied(session, conversation, self._settings)
        await record_answer(session, conversation, message, replies, handled=True)
        self._hub.publish(message_event(conversation, message_dict(message)))
        if ticket is not None:
            await self._casework.announce(session, ticket, Change([]))
        return replies
