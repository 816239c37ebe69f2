"""Asking the Rasa assistant for the answer to a stored customer message.

No transaction stays open while Rasa thinks: the action server writes meanwhile (tickets, a
hand-off), and a hand-off it asked for is applied here once Rasa's answer is back, in the same
session and commit as the answer (`bot/desk/handoff.py`). If Rasa is down or slow the customer
gets an honest "one moment" in their language and the message stays pending.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import Reply
from bot.db import utcnow
from bot.delivery import Delivery, outgoing
from bot.desk.handoff import Handoffs
from bot.metrics import SET_ASIDE
from bot.models import Author, Conversation, ConversationStatus, Customer, Message
from bot.queries import pending_messages
from bot.rasa import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

# a message the assistant fails on this often while it is otherwise up is set aside
MAX_ATTEMPTS = 3
SET_ASIDE_TEXT = {
    "en": "Sorry, I couldn't process that message. I've passed it on: a colleague will read it "
    "and answer you here.",
    "zh": "抱歉，这条消息我没能处理。我已转给同事，他们会查看并在这里回复您。",
}
HOLDING = {
    "en": "One moment please — I'm a little slow right now. I have your message and will answer "
    "you here shortly.",
    "zh": "请稍等，我这边暂时有点慢。您的消息已收到，稍后会在这里回复您。",
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


def read_already(tracker: dict[str, Any], message_id: int) -> list[Reply] | None:
    """The bot's replies to the message if Rasa's tracker shows it handled it (its user event
    carries the gateway's message id), else None."""
    events = tracker.get("events") or []
    for at, event in enumerate(events):
        said = (event.get("metadata") or {}).get("message_id")
        if event.get("event") == "user" and said == message_id:
            replies = []
            for later in events[at + 1 :]:
                if later.get("event") == "user":
                    break
                if later.get("event") == "bot":
                    replies.append(Reply.from_tracker(later))
            return replies
    return None


async def record_answer(
    session: AsyncSession,
    conversation: Conversation,
    message: Message,
    replies: Sequence[Reply],
    handled: bool,
) -> None:
    """Stores the replies to a customer message, and whether it was handled; commits."""
    session.add_all(outgoing(conversation, replies, reply_to=message))
    if handled:
        message.handled_at = utcnow()
    await session.commit()


class Assistant:
    def __init__(self, rasa: RasaClient, handoffs: Handoffs, delivery: Delivery) -> None:
        self._rasa = rasa
        self._handoffs = handoffs
        self._delivery = delivery

    async def answer(
        self,
        session: AsyncSession,
        conversation: Conversation,
        message: Message,
        late: bool = False,
    ) -> tuple[list[Reply], bool]:
        """Asks Rasa; returns its replies (or a holding reply) and whether it answered.

        A message that waited (`late`) may have reached Rasa before: a call that timed out
        can still have been handled. Rasa's tracker says so (the message id is in the user
        event's metadata), and then its replies are taken from there instead of asking again:
        Rasa reads each message at most once."""
        customer = conversation.customer
        about = {**metadata(customer, conversation), "message_id": message.id}
        await session.commit()
        try:
            earlier = (
                read_already(await self._rasa.tracker(customer.uid), message.id) if late else None
            )
            if earlier is not None:
                logger.info("message %s was handled by Rasa already", message.id)
            replies = (
                earlier
                if earlier is not None
                else await self._rasa.send(customer.uid, message.text or "", about)
            )
        except RasaUnavailable as error:
            logger.warning("Rasa unavailable for message %s: %s", message.id, error)
            language = customer.language if customer.language in HOLDING else "en"
            if await self._rasa.ready():  # Rasa is up: it is this message that fails
                message.attempts += 1
                if message.attempts >= MAX_ATTEMPTS:
                    return await self._set_aside(session, conversation, message, language), True
            holding = [Reply(text=HOLDING[language], author=Author.SYSTEM)]
            await record_answer(session, conversation, message, holding, handled=False)
            return holding, False
        escalated = await self._handoffs.apply(session, conversation)
        await record_answer(session, conversation, message, replies, handled=True)
        if escalated is not None:
            await self._handoffs.announce(session, escalated)
        return replies, True

    async def _set_aside(
        self, session: AsyncSession, conversation: Conversation, message: Message, language: str
    ) -> list[Reply]:
        """The message is taken out of the assistant's way (the customer's next ones and
        everyone else's go on): the customer is told, and the team sees it in the console
        as a chat waiting for a person."""
        logger.error("message %s set aside after %s failed tries", message.id, message.attempts)
        SET_ASIDE.inc()
        told = [Reply(text=SET_ASIDE_TEXT[language], author=Author.SYSTEM)]
        await record_answer(session, conversation, message, told, handled=True)
        await self._handoffs.set_aside(session, conversation)
        return told

    async def read(self, text: str) -> dict[str, Any] | None:
        """What the assistant reads in a message it does not answer (the NLU alone)."""
        return await self._rasa.parse(text)

    async def answer_late(
        self, session: AsyncSession, conversation: Conversation, before: Message | None = None
    ) -> int | None:
        """Answers the conversation's messages that waited for Rasa (those `before` a message),
        oldest first, and delivers each answer on the customer's channel. Returns how many were
        answered, or None if Rasa was still away for one of them."""
        answered = 0
        waiting = [
            m
            for m in await pending_messages(session, conversation.id)
            if before is None or m.id < before.id
        ]
        for pending in waiting:
            if conversation.status != ConversationStatus.BOT:
                # an answer handed the chat to people: the rest is theirs to read, not Rasa's
                await record_answer(session, conversation, pending, [], handled=True)
                continue
            replies, done = await self.answer(session, conversation, pending, late=True)
            if not done:
                return None
            await self._delivery.deliver(conversation.customer, replies)
            answered += 1
        return answered
