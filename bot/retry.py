"""Messages that waited for Rasa are answered, oldest first, once it is back."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.assistant import Assistant
from bot.locks import KeyedLocks
from bot.models import Conversation, ConversationStatus, Message
from bot.queries import waiting_turns
from bot.rasa import RasaClient

logger = logging.getLogger(__name__)


class Retry:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        rasa: RasaClient,
        assistant: Assistant,
        turns: KeyedLocks,
        interval_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._rasa = rasa
        self._assistant = assistant
        self._turns = turns  # the router's: a customer's messages are answered one at a time
        self._interval = interval_seconds

    async def once(self) -> int:
        """Answers what waited; returns how many messages were answered."""
        if not await self._rasa.ready():
            return 0
        async with self._sessions() as session:
            waiting = await waiting_turns(session)
        answered = 0
        for message_id, channel, external_id in waiting:
            async with self._turns.hold((channel, external_id)), self._sessions() as session:
                message = await session.get(Message, message_id)
                if message is None or message.handled_at is not None:
                    continue  # answered meanwhile, by the customer's next message
                conversation = await session.get(Conversation, message.conversation_id)
                if conversation is None or conversation.status != ConversationStatus.BOT:
                    continue
                done = await self._assistant.answer_late(session, conversation)
            if done is None:
                if await self._rasa.ready():
                    continue  # Rasa is up: that message failed (and counts a try); others go on
                break  # Rasa went away again
            answered += done
        return answered

    async def forever(self) -> None:
        while True:
            try:
                await self.once()
            except Exception:  # the loop must outlive any one failure
                logger.exception("retrying pending messages failed")
            await asyncio.sleep(self._interval)
