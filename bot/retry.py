"""Messages that waited for Rasa are answered, oldest first, once it is back."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.queries import waiting_turns
from bot.rasa import RasaClient
from bot.routing import Router

logger = logging.getLogger(__name__)


class Retry:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        rasa: RasaClient,
        router: Router,
        interval_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._rasa = rasa
        self._router = router
        self._interval = interval_seconds

    async def once(self) -> int:
        """Answers what waited; returns how many messages were answered."""
        if not await self._rasa.ready():
            return 0
        async with self._sessions() as session:
            waiting = await waiting_turns(session)
        answered = 0
        for message_id, channel, external_id in waiting:
            result = await self._router.answer_pending(message_id, channel, external_id)
            if result is False:
                break  # Rasa went away again
            answered += bool(result)
        return answered

    async def forever(self) -> None:
        while True:
            try:
                await self.once()
            except Exception:  # the loop must outlive any one failure
                logger.exception("retrying pending messages failed")
            await asyncio.sleep(self._interval)
