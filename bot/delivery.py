"""The one path to a customer outside of a request: through the channel they wrote on.

The router uses it for answers that come late (after Rasa was away); the desk for what agents
and the system say, and for status changes. Messages are stored by the caller, in the caller's
session, and delivered here once they are committed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import OutputChannel, Reply
from bot.models import Author, Conversation, Customer, Message
from bot.queries import current_ticket_of
from bot.views import conversation_view

logger = logging.getLogger(__name__)


def outgoing(
    conversation: Conversation,
    replies: Sequence[Reply],
    *,
    reply_to: Message | None = None,
    agent_id: int | None = None,
    private: bool = False,
) -> list[Message]:
    """The messages that record these replies in the conversation (the caller adds them)."""
    return [
        Message(
            conversation_id=conversation.id,
            channel=conversation.channel,
            author=Author(reply.author),
            text=reply.text,
            payload=reply.extras(),
            reply_to_id=reply_to.id if reply_to is not None else None,
            agent_id=agent_id,
            private=private,
        )
        for reply in replies
    ]


class Delivery:
    def __init__(self) -> None:
        self._channels: dict[str, OutputChannel] = {}

    def register(self, channel: OutputChannel) -> None:
        self._channels[channel.name] = channel

    def _channel(self, customer: Customer) -> OutputChannel | None:
        channel = self._channels.get(customer.channel)
        if channel is None:
            logger.warning("no output channel %r for customer %s", customer.channel, customer.id)
        return channel

    async def deliver(self, customer: Customer, replies: Sequence[Reply]) -> None:
        channel = self._channel(customer)
        if replies and channel is not None:
            await channel.deliver(customer.external_id, replies)

    async def say(
        self,
        session: AsyncSession,
        conversation: Conversation,
        replies: Sequence[Reply],
        *,
        agent_id: int | None = None,
        private: bool = False,
    ) -> list[Message]:
        """Stores what an agent or the system says in the conversation, commits, and, unless
        it is a private note, delivers it to the customer."""
        messages = outgoing(conversation, replies, agent_id=agent_id, private=private)
        session.add_all(messages)
        await session.commit()
        if not private:
            await self.deliver(conversation.customer, replies)
        return messages

    async def status_changed(self, session: AsyncSession, conversation: Conversation) -> None:
        """Tells the customer's channel who has the chat now, and its ticket."""
        channel = self._channel(conversation.customer)
        if channel is not None:
            view = conversation_view(
                conversation, await current_ticket_of(session, conversation.id)
            )
            await channel.conversation_changed(conversation.customer.external_id, view)
