"""The one path to a customer outside of a request: through the channel they wrote on.

The router uses it for answers that come late (after Rasa was away), the desk for what agents
and the system say and for status changes: `record` adds the messages in the caller's session
and returns a Notice, which `send` delivers once the caller has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import ConversationView, OutputChannel, Reply
from bot.metrics import MESSAGES_OUT
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
    for reply in replies:
        if not private:
            MESSAGES_OUT.labels(conversation.channel, reply.author).inc()
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


@dataclass(frozen=True)
class Notice:
    """What a customer is to be told once a change is committed."""

    customer: Customer
    messages: list[Message]  # as stored
    replies: tuple[Reply, ...]  # what the customer sees of them
    view: ConversationView | None = None  # the conversation's new state, if it changed


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

    async def record(
        self,
        session: AsyncSession,
        conversation: Conversation,
        replies: Sequence[Reply],
        *,
        agent_id: int | None = None,
        private: bool = False,
        status: bool = False,
    ) -> Notice:
        """Adds what an agent or the system says to the conversation (the caller commits) and
        returns the notice to `send` once it is committed: the replies, unless it is a private
        note, and with `status` the conversation's new state."""
        messages = outgoing(conversation, replies, agent_id=agent_id, private=private)
        session.add_all(messages)
        view = None
        if status:
            await session.flush()
            view = conversation_view(
                conversation, await current_ticket_of(session, conversation.id)
            )
        return Notice(conversation.customer, messages, () if private else tuple(replies), view)

    async def send(self, notice: Notice) -> None:
        """Delivers a committed notice on the customer's channel."""
        channel = self._channel(notice.customer)
        if channel is None:
            return
        if notice.replies:
            await channel.deliver(notice.customer.external_id, notice.replies)
        if notice.view is not None:
            await channel.conversation_changed(notice.customer.external_id, notice.view)
