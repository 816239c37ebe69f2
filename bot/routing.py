"""Store first, then route: to the Rasa assistant while the bot has the chat, else to the agents.

Every customer message is committed to the database before anything else happens, idempotently
on the channel's message id. One session does the work of one message. While the bot handles
the conversation the message goes to Rasa's REST channel; a hand-off the action server asked
for meanwhile is applied when Rasa's answer is back (`bot/desk/handoff.py`). If Rasa is down or
slow the customer gets an honest "one moment" in their language and the message stays pending:
it is answered, in order, as soon as Rasa is back — by the customer's next message or by the
retry loop (`bot/retry.py`) — and those late answers go out through `bot/delivery.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contract import Inbound, InvalidMessage, Outcome, Reply
from bot.db import utcnow
from bot.delivery import Delivery, outgoing
from bot.desk.handoff import Handoffs
from bot.events import Hub
from bot.locks import KeyedLocks
from bot.models import Author, Conversation, ConversationStatus, Customer, Message
from bot.queries import (
    current_ticket_of,
    customer_on,
    message_with_channel_id,
    open_conversation_of,
    pending_messages,
    replies_to,
)
from bot.rasa import RasaClient, RasaUnavailable
from bot.settings import Settings
from bot.views import conversation_view, message_dict, reply_of
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


def metadata(customer: Customer, conversation: Conversation) -> dict[str, object]:
    """What Rasa is told about the sender, beside the text."""
    return {
        "channel": customer.channel,
        "language": customer.language,
        "tier": customer.tier,
        "customer_id": customer.uid,
        "conversation_id": conversation.id,
        "display_name": customer.display_name,
    }


class Router:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        rasa: RasaClient,
        delivery: Delivery,
        handoffs: Handoffs,
        hub: Hub,
        settings: Settings,
    ) -> None:
        self._sessions = sessions
        self._rasa = rasa
        self._delivery = delivery
        self._handoffs = handoffs
        self._hub = hub
        self._settings = settings
        self._turns = KeyedLocks()  # one message at a time per customer

    async def handle(
        self, inbound: Inbound, on_stored: Callable[[], Awaitable[None]] | None = None
    ) -> Outcome:
        """Stores the message, then answers it; `on_stored` is called as soon as it is safe."""
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
            await self._record(session, conversation, message, too_long, handled=True)
            return too_long
        if conversation.status == ConversationStatus.BOT:
            await self._answer_earlier(session, conversation, message)
        if conversation.status != ConversationStatus.BOT:  # people have the chat (maybe now)
            await self._record(session, conversation, message, [], handled=True)
            seen = {"type": "message", "conversation_id": conversation.id}
            self._hub.publish({**seen, "message": message_dict(message)})
            return []
        replies, _ = await self._answer(session, conversation, message)
        return replies

    async def _record(
        self,
        session: AsyncSession,
        conversation: Conversation,
        message: Message,
        replies: list[Reply],
        handled: bool,
    ) -> None:
        """Stores the replies to a customer message, and whether it was handled; commits."""
        session.add_all(outgoing(conversation, replies, reply_to=message))
        if handled:
            message.handled_at = utcnow()
        await session.commit()

    async def _answer(
        self, session: AsyncSession, conversation: Conversation, message: Message
    ) -> tuple[list[Reply], bool]:
        """Asks the assistant; returns its replies (or a holding reply) and whether it answered.
        No transaction stays open while Rasa thinks: the action server writes meanwhile."""
        customer = conversation.customer
        about = metadata(customer, conversation)
        await session.commit()
        try:
            replies = await self._rasa.send(customer.uid, message.text or "", about)
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for message %s: %s", message.id, error)
            language = customer.language if customer.language in HOLDING else "en"
            holding = [Reply(text=HOLDING[language], author=Author.SYSTEM)]
            await self._record(session, conversation, message, holding, handled=False)
            return holding, False
        escalated = await self._handoffs.apply(session, conversation)
        await self._record(session, conversation, message, replies, handled=True)
        if escalated is not None:
            await self._handoffs.announce(session, escalated)
        return replies, True

    async def _answer_earlier(
        self, session: AsyncSession, conversation: Conversation, message: Message
    ) -> None:
        """Answers the customer's earlier messages that waited for Rasa, oldest first, and
        delivers those answers on the customer's channel."""
        for pending in await pending_messages(session, conversation.id):
            if pending.id >= message.id:
                break
            replies, answered = await self._answer(session, conversation, pending)
            if not answered:
                break  # Rasa is still away
            await self._delivery.deliver(conversation.customer, replies)

    async def answer_pending(self, message_id: int, channel: str, external_id: str) -> bool | None:
        """Answers a message that waited for Rasa, in its customer's turn (the retry loop): True
        once answered, False while Rasa is still away, None if answered meanwhile."""
        turn = self._turns.hold((channel, external_id))
        async with turn, self._sessions() as session:
            message = await session.get(Message, message_id)
            if message is None or message.handled_at is not None:
                return None
            conversation = await session.get(Conversation, message.conversation_id)
            if conversation is None or conversation.status != ConversationStatus.BOT:
                return None
            replies, answered = await self._answer(session, conversation, message)
            if answered:
                await self._delivery.deliver(conversation.customer, replies)
            return answered
