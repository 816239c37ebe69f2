"""Who has the chat: an agent claims it or is given it, transfers it, hands it back to the
assistant; agents' presence, which auto-assignment follows.

Each change is one transaction, the customer's messages included; what the customer is told is
sent once it is committed (`announce`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contract import Reply
from bot.delivery import Delivery, Notice
from bot.desk import notices, queue
from bot.desk.permissions import NOT_YOUR_CHAT, SENIOR_ROLES, is_senior, require_holder
from bot.desk.release import give_back
from bot.desk.tickets import actor, record_on_current
from bot.errors import Conflict, Invalid, NotFound
from bot.events import Hub
from bot.models import Agent, Author, Conversation, ConversationStatus, Presence
from bot.rasa import RasaClient
from bot.settings import Settings
from bot.views import agent_dict

JOINED = {"en": "{name} from our team has joined the chat.", "zh": "客服 {name} 已接入，为您服务。"}
TRANSFERRED = {"en": "You're now chatting with {name}.", "zh": "已为您转接给 {name}。"}


async def conversation_with_id(session: AsyncSession, conversation_id: int) -> Conversation:
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("no such conversation")
    return conversation


class Assignment:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        delivery: Delivery,
        rasa: RasaClient,
        hub: Hub,
        settings: Settings,
    ) -> None:
        self._sessions = sessions
        self._delivery = delivery
        self._rasa = rasa
        self._hub = hub
        self._settings = settings

    async def auto_assign(self, session: AsyncSession) -> list[Notice]:
        """Gives queued chats to free agents, when auto-assignment is on; the caller commits,
        then announces each notice."""
        if not self._settings.auto_assign:
            return []
        return [await self.join(session, c, a) for c, a in await queue.auto_assign(session)]

    async def join(self, session: AsyncSession, conversation: Conversation, agent: Agent) -> Notice:
        """The customer is told who joined, and that a person has the chat (after the commit)."""
        text = JOINED[conversation.language].format(name=agent.name)
        joined = Reply(text, author=Author.SYSTEM)
        return await self._delivery.record(session, conversation, [joined], status=True)

    async def announce(self, *notices: Notice) -> None:
        """Sends committed notices; the console hears that the queue changed."""
        for notice in notices:
            await self._delivery.send(notice)
        self._hub.publish({"type": "queue_changed"})

    async def claim(self, conversation_id: int, agent: Agent) -> Notice:
        """The agent takes the chat; returns the notice to `announce` to the customer."""
        async with self._sessions() as session:
            conversation = await conversation_with_id(session, conversation_id)
            me = await session.get(Agent, agent.id)
            assert me is not None
            if (
                conversation.status == ConversationStatus.ASSIGNED
                and conversation.assigned_agent_id != agent.id
                and not is_senior(agent)
            ):
                raise Conflict("another agent already has this chat")
            if conversation.status not in (ConversationStatus.QUEUED, ConversationStatus.ASSIGNED):
                raise Conflict("this chat is not waiting for a person")
            queue.assign(conversation, me)
            ticket = await record_on_current(
                session, conversation, actor(me), "assigned", agent=me.name
            )
            if ticket is not None and ticket.active and ticket.assignee_id is None:
                ticket.assignee_id = me.id  # the chat's case is theirs to work
            notice = await self.join(session, conversation, me)
            await session.commit()
        return notice

    async def transfer(self, conversation_id: int, agent: Agent, to_agent_id: int | None) -> None:
        """To another agent, or (no id) to the least busy supervisor; only to someone online
        with room for one more chat."""
        async with self._sessions() as session:
            conversation = await conversation_with_id(session, conversation_id)
            require_holder(agent, conversation.assigned_agent_id, NOT_YOUR_CHAT)
            if to_agent_id is None:
                supervisors = [
                    a
                    for a in await session.scalars(
                        select(Agent).where(Agent.role.in_(SENIOR_ROLES), Agent.active)
                    )
                    if a.id != agent.id and await self._has_room(session, a)
                ]
                if not supervisors:
                    raise Conflict("no supervisor is online with room for this chat")
                target = min(supervisors, key=lambda a: a.id)
            else:
                found = await session.get(Agent, to_agent_id)
                if found is None or not found.active:
                    raise NotFound("no such agent")
                if found.id != conversation.assigned_agent_id and not await self._has_room(
                    session, found
                ):
                    raise Conflict(f"{found.name} is not online with room for another chat")
                target = found
            queue.assign(conversation, target)
            await record_on_current(
                session, conversation, actor(agent), "transferred", to=target.name, to_id=target.id
            )
            text = TRANSFERRED[conversation.language].format(name=target.name)
            moved = Reply(text, author=Author.SYSTEM)
            notice = await self._delivery.record(session, conversation, [moved])
            await session.commit()
        await self.announce(notice)

    async def hand_back(self, conversation_id: int, agent: Agent) -> None:
        """Gives the chat back to the assistant, which resumes with a clean dialogue state."""
        async with self._sessions() as session:
            conversation = await conversation_with_id(session, conversation_id)
            require_holder(agent, conversation.assigned_agent_id, NOT_YOUR_CHAT)
            await give_back(conversation, self._rasa, strict=True)
            await record_on_current(session, conversation, actor(agent), "handed_back")
            back = Reply(notices.BACK_TO_BOT[conversation.language], author=Author.BOT)
            notice = await self._delivery.record(session, conversation, [back], status=True)
            await session.flush()
            joined = await self.auto_assign(session)  # the agent's freed place
            await session.commit()
        await self.announce(notice, *joined)

    @staticmethod
    async def _has_room(session: AsyncSession, agent: Agent) -> bool:
        return any(a.id == agent.id for a in await queue.available_agents(session))

    async def set_presence(self, agent: Agent, presence: str) -> dict[str, Any]:
        if presence not in {p.value for p in Presence}:
            raise Invalid("presence is online, away or offline")
        async with self._sessions() as session:
            me = await session.get(Agent, agent.id)
            assert me is not None
            me.presence = Presence(presence)
            await session.flush()
            notices = await self.auto_assign(session)
            await session.commit()
            result = agent_dict(me)
        if notices:
            await self.announce(*notices)
        self._hub.publish({"type": "agents_changed"})
        return result
