"""What an agent writes in a chat: a reply to the customer, or a private note for colleagues."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contract import Reply
from bot.db import utcnow
from bot.delivery import Delivery
from bot.desk.assignment import conversation_with_id
from bot.desk.permissions import NOT_YOUR_CHAT, require_holder
from bot.desk.tickets import actor, record
from bot.errors import Conflict, Invalid
from bot.events import Hub
from bot.models import Agent, Author
from bot.queries import current_ticket_of
from bot.views import message_event, staff_message_dict


class Replies:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], delivery: Delivery, hub: Hub
    ) -> None:
        self._sessions = sessions
        self._delivery = delivery
        self._hub = hub

    async def write(
        self, conversation_id: int, agent: Agent, text: str, private: bool
    ) -> dict[str, Any]:
        """Stores and sends the agent's message; the first reply is the ticket's first response."""
        text = text.strip()
        if not text:
            raise Invalid("the message is empty")
        async with self._sessions() as session:
            conversation = await conversation_with_id(session, conversation_id)
            if not private and conversation.assigned_agent_id is None:
                raise Conflict("claim the chat before replying")
            if not private:
                require_holder(agent, conversation.assigned_agent_id, NOT_YOUR_CHAT)
            ticket = await current_ticket_of(session, conversation_id)
            if ticket is not None and private:
                record(session, ticket, actor(agent), "note")
            elif ticket is not None and ticket.first_response_at is None:
                ticket.first_response_at = utcnow()
                record(session, ticket, actor(agent), "first_response")
            notice = await self._delivery.record(
                session,
                conversation,
                [Reply(text=text, author=Author.AGENT)],
                agent_id=agent.id,
                private=private,
            )
            await session.commit()
            [message] = notice.messages
            stored = staff_message_dict(message)
            event = message_event(conversation, stored)
        await self._delivery.send(notice)
        self._hub.publish(event)
        return stored
