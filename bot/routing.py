"""Store first, then route: to the Rasa assistant while the bot has the chat, else to the agents.

Every customer message is committed to the database before anything else happens, idempotently
on the channel's message id. While the bot handles the conversation the message goes to Rasa's
REST channel; if Rasa is down or slow the customer gets an honest "one moment" in their language
and the message stays pending: it is answered, in order, as soon as Rasa is back (by the next
message of the same customer or by the retry loop), and the replies are delivered through the
customer's channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import OutputChannel, Reply
from bot.db import utcnow
from bot.models import Author, Conversation, ConversationStatus, Customer, Message, Ticket
from bot.rasa import RasaClient, RasaUnavailable
from bot.settings import Settings
from nlu.cues import detect_language

logger = logging.getLogger(__name__)

HOLDING = {
    "en": "One moment please — I'm a little slow right now. I have your message and will answer "
    "you here shortly.",
    "zh": "请稍等，我这边暂时有点慢。您的消息已收到，稍后会在这里回复您。",
}
TOO_LONG = {
    "en": "That message is longer than I can read ({limit} characters at most). I've kept it for "
    "my colleagues — could you send me the main point in a shorter message?",
    "zh": "这条消息太长了（最多 {limit} 个字符）。消息已为同事保存，您能简短说一下重点吗？",
}


class InvalidMessage(ValueError):
    """A message that cannot be accepted (empty)."""


@dataclass(frozen=True)
class Inbound:
    channel: str
    external_id: str
    text: str
    message_id: str | None = None
    display_name: str | None = None
    language: str | None = None
    # the title of the button whose payload `text` is
    title: str | None = None


@dataclass(frozen=True)
class TicketView:
    number: int
    category: str
    severity: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
        }


@dataclass(frozen=True)
class ConversationView:
    id: int
    status: str
    ticket: TicketView | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "ticket": self.ticket.as_dict() if self.ticket else None,
        }


@dataclass(frozen=True)
class Outcome:
    replies: list[Reply]
    conversation: ConversationView
    duplicate: bool = False


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC (SQLite hands back naive datetimes, which are UTC here)."""
    return moment.isoformat() if moment.tzinfo else moment.isoformat() + "+00:00"


async def customer_on(session: AsyncSession, channel: str, external_id: str) -> Customer | None:
    """The customer known on this channel by this id, if any."""
    customer: Customer | None = await session.scalar(
        select(Customer).where(Customer.channel == channel, Customer.external_id == external_id)
    )
    return customer


async def open_conversation_of(session: AsyncSession, customer_id: int) -> Conversation | None:
    """The customer's current conversation, unless it was closed."""
    conversation: Conversation | None = await session.scalar(
        select(Conversation)
        .where(
            Conversation.customer_id == customer_id,
            Conversation.status != ConversationStatus.CLOSED.value,
        )
        .order_by(Conversation.id.desc())
    )
    return conversation


def message_dict(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author,
        "text": message.text,
        "buttons": message.payload.get("buttons", []),
        "image": message.payload.get("image"),
        "title": message.payload.get("title"),
        "created_at": iso(message.created_at),
    }


def stored_reply(message: Message) -> Reply:
    return Reply.from_dict({"author": message.author, "text": message.text, **message.payload})


class Router:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], rasa: RasaClient, settings: Settings
    ) -> None:
        self._sessions = sessions
        self._rasa = rasa
        self._settings = settings
        self._channels: dict[str, OutputChannel] = {}
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        # called when a customer writes while a human has the chat (the agent console listens)
        self.on_customer_message_for_agent: list[
            Callable[[int, dict[str, Any]], Awaitable[None]]
        ] = []

    def register(self, channel: OutputChannel) -> None:
        self._channels[channel.name] = channel

    def _lock(self, channel: str, external_id: str) -> asyncio.Lock:
        return self._locks.setdefault((channel, external_id), asyncio.Lock())

    # -- storing -----------------------------------------------------------------------------

    async def _customer(self, session: AsyncSession, inbound: Inbound) -> Customer:
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
        return customer

    async def _open_conversation(self, session: AsyncSession, customer: Customer) -> Conversation:
        conversation = await open_conversation_of(session, customer.id)
        if conversation is None:
            conversation = Conversation(customer_id=customer.id, channel=customer.channel)
            session.add(conversation)
            await session.flush()
        return conversation

    async def _view(self, session: AsyncSession, conversation_id: int) -> ConversationView:
        conversation = await session.get(Conversation, conversation_id, populate_existing=True)
        assert conversation is not None
        ticket = await session.scalar(
            select(Ticket)
            .where(Ticket.conversation_id == conversation_id)
            .order_by(Ticket.id.desc())
        )
        return ConversationView(
            id=conversation.id,
            status=conversation.status,
            ticket=TicketView(ticket.id, ticket.category, ticket.severity, ticket.status)
            if ticket
            else None,
        )

    async def _store_replies(
        self, session: AsyncSession, message: Message, replies: Sequence[Reply]
    ) -> None:
        for reply in replies:
            payload = {k: v for k, v in reply.as_dict().items() if k not in ("author", "text")}
            session.add(
                Message(
                    conversation_id=message.conversation_id,
                    channel=message.channel,
                    author=reply.author,
                    text=reply.text,
                    payload=payload,
                    reply_to_id=message.id,
                )
            )

    async def _replies_to(self, session: AsyncSession, message: Message) -> list[Reply]:
        rows = await session.scalars(
            select(Message).where(Message.reply_to_id == message.id).order_by(Message.id)
        )
        return [stored_reply(m) for m in rows]

    # -- routing -----------------------------------------------------------------------------

    async def handle(
        self, inbound: Inbound, on_stored: Callable[[], Awaitable[None]] | None = None
    ) -> Outcome:
        """Stores the message, then answers it; `on_stored` is called as soon as it is safe."""
        text = inbound.text.strip()
        if not text:
            raise InvalidMessage("the message is empty")
        async with self._lock(inbound.channel, inbound.external_id):
            stored = await self._store(inbound, text)
            if on_stored is not None:
                await on_stored()
            if isinstance(stored, Outcome):
                return stored
            message_id, conversation_id, status, language = stored
            if len(text) > self._settings.max_message_chars:
                reply = Reply(
                    text=TOO_LONG[language].format(limit=self._settings.max_message_chars),
                    author=Author.SYSTEM.value,
                )
                return await self._finish(message_id, [reply], handled=True)
            if status != ConversationStatus.BOT.value:
                await self._tell_agents(conversation_id, message_id)
                return await self._finish(message_id, [], handled=True)
            await self._drain_before(conversation_id, message_id)
            return await self._answer(message_id)

    async def _store(self, inbound: Inbound, text: str) -> Outcome | tuple[int, int, str, str]:
        """Commits the message (or finds it, for a repeated message id) before anything else."""
        async with self._sessions() as session:
            if inbound.message_id:
                existing = await session.scalar(
                    select(Message).where(
                        Message.channel == inbound.channel,
                        Message.channel_message_id == inbound.message_id,
                    )
                )
                if existing is not None:
                    return Outcome(
                        await self._replies_to(session, existing),
                        await self._view(session, existing.conversation_id),
                        duplicate=True,
                    )
            customer = await self._customer(session, inbound)
            language = detect_language(text) or customer.language or inbound.language or "en"
            customer.language = language
            conversation = await self._open_conversation(session, customer)
            message = Message(
                conversation_id=conversation.id,
                channel=inbound.channel,
                channel_message_id=inbound.message_id,
                author=Author.CUSTOMER.value,
                text=text,
                payload={"title": inbound.title} if inbound.title else {},
            )
            session.add(message)
            try:
                await session.commit()
            except IntegrityError:  # the same message id, stored by a parallel request
                await session.rollback()
                return await self._store(inbound, text)
            return message.id, conversation.id, conversation.status, language

    async def _finish(self, message_id: int, replies: list[Reply], handled: bool) -> Outcome:
        async with self._sessions() as session:
            message = await session.get(Message, message_id)
            assert message is not None
            await self._store_replies(session, message, replies)
            if handled:
                message.handled_at = utcnow()
            await session.commit()
            return Outcome(replies, await self._view(session, message.conversation_id))

    async def _answer(self, message_id: int) -> Outcome:
        async with self._sessions() as session:
            message = await session.get(Message, message_id)
            assert message is not None
            conversation = await session.get(Conversation, message.conversation_id)
            assert conversation is not None
            customer = await session.get(Customer, conversation.customer_id)
            assert customer is not None
            sender, text = customer.uid, message.text or ""
            metadata = {
                "channel": customer.channel,
                "language": customer.language,
                "tier": customer.tier,
                "customer_id": customer.uid,
                "conversation_id": conversation.id,
                "display_name": customer.display_name,
            }
            language = customer.language if customer.language in HOLDING else "en"
        try:
            replies = await self._rasa.send(sender, text, metadata)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for message %s: %s", message_id, error)
            holding = Reply(text=HOLDING[language], author=Author.SYSTEM.value)
            return await self._finish(message_id, [holding], handled=False)
        return await self._finish(message_id, replies, handled=True)

    async def _pending(self, conversation_id: int | None = None) -> list[Message]:
        async with self._sessions() as session:
            query = (
                select(Message)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(
                    Message.author == Author.CUSTOMER.value,
                    Message.handled_at.is_(None),
                    Conversation.status == ConversationStatus.BOT.value,
                )
                .order_by(Message.id)
            )
            if conversation_id is not None:
                query = query.where(Message.conversation_id == conversation_id)
            return list(await session.scalars(query))

    async def _drain_before(self, conversation_id: int, message_id: int) -> None:
        """Answers the customer's earlier messages that waited for Rasa, oldest first."""
        for pending in await self._pending(conversation_id):
            if pending.id >= message_id:
                break
            outcome = await self._answer(pending.id)
            if not await self._was_handled(pending.id):
                break  # Rasa is still away
            await self._deliver(pending.channel, pending.conversation_id, outcome.replies)

    async def _was_handled(self, message_id: int) -> bool:
        async with self._sessions() as session:
            message = await session.get(Message, message_id)
            return message is not None and message.handled_at is not None

    async def _deliver(self, channel: str, conversation_id: int, replies: list[Reply]) -> None:
        if not replies or channel not in self._channels:
            return
        async with self._sessions() as session:
            conversation = await session.get(Conversation, conversation_id)
            assert conversation is not None
            customer = await session.get(Customer, conversation.customer_id)
            assert customer is not None
        await self._channels[channel].deliver(customer.external_id, replies)

    async def _tell_agents(self, conversation_id: int, message_id: int) -> None:
        async with self._sessions() as session:
            message = await session.get(Message, message_id)
            assert message is not None
            data = message_dict(message)
        for listener in self.on_customer_message_for_agent:
            await listener(conversation_id, data)

    async def retry_pending(self) -> int:
        """Answers messages that waited for Rasa; returns how many were answered."""
        if not await self._rasa.ready():
            return 0
        answered = 0
        for pending in await self._pending():
            async with self._sessions() as session:
                conversation = await session.get(Conversation, pending.conversation_id)
                assert conversation is not None
                customer = await session.get(Customer, conversation.customer_id)
                assert customer is not None
            async with self._lock(customer.channel, customer.external_id):
                if await self._was_handled(pending.id):
                    continue
                outcome = await self._answer(pending.id)
                if not await self._was_handled(pending.id):
                    return answered
                answered += 1
            await self._deliver(pending.channel, pending.conversation_id, outcome.replies)
        return answered

    async def retry_forever(self) -> None:
        while True:
            try:
                await self.retry_pending()
            except Exception:  # the loop must outlive any one failure
                logger.exception("retrying pending messages failed")
            await asyncio.sleep(self._settings.retry_interval_seconds)

    # -- messages from the help desk ----------------------------------------------------------

    async def send(
        self,
        conversation_id: int,
        replies: Sequence[Reply],
        agent_id: int | None = None,
        private: bool = False,
    ) -> list[dict[str, Any]]:
        """Stores agent or system messages and, unless private, delivers them to the customer."""
        async with self._sessions() as session:
            rows = []
            for reply in replies:
                payload = {k: v for k, v in reply.as_dict().items() if k not in ("author", "text")}
                row = Message(
                    conversation_id=conversation_id,
                    channel=(await self._channel_of(session, conversation_id)),
                    author=reply.author,
                    text=reply.text,
                    payload=payload,
                    private=private,
                    agent_id=agent_id,
                )
                session.add(row)
                rows.append(row)
            await session.commit()
            stored = [message_dict(r) for r in rows]
            channel = rows[0].channel if rows else ""
        if not private:
            await self._deliver(channel, conversation_id, list(replies))
        return stored

    async def _channel_of(self, session: AsyncSession, conversation_id: int) -> str:
        conversation = await session.get(Conversation, conversation_id)
        assert conversation is not None
        return conversation.channel

    async def notify_status(self, conversation_id: int) -> None:
        """Tells the customer's channel that the conversation's status changed."""
        async with self._sessions() as session:
            view = await self._view(session, conversation_id)
            conversation = await session.get(Conversation, conversation_id)
            assert conversation is not None
            customer = await session.get(Customer, conversation.customer_id)
            assert customer is not None
        channel = self._channels.get(conversation.channel)
        changed = getattr(channel, "conversation_changed", None)
        if changed is not None:
            await changed(customer.external_id, view)

    # -- reading -----------------------------------------------------------------------------

    async def history(
        self, channel: str, external_id: str, limit: int = 200
    ) -> tuple[list[dict[str, Any]], ConversationView | None]:
        """The customer's visible messages, oldest first, and their open conversation."""
        async with self._sessions() as session:
            customer = await customer_on(session, channel, external_id)
            if customer is None:
                return [], None
            rows = await session.scalars(
                select(Message)
                .join(Conversation, Conversation.id == Message.conversation_id)
                .where(Conversation.customer_id == customer.id, Message.private.is_(False))
                .order_by(Message.id.desc())
                .limit(limit)
            )
            messages = [message_dict(m) for m in reversed(list(rows))]
            conversation = await session.scalar(
                select(Conversation)
                .where(Conversation.customer_id == customer.id)
                .order_by(Conversation.id.desc())
            )
            view = await self._view(session, conversation.id) if conversation else None
            return messages, view
