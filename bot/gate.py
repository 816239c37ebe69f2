"""A gate in front of the Rasa server while it loads another model: messages already with Rasa
finish first, new ones wait at the gate (stored, not failed), and all pass once the new model
answers. Nothing is sent twice and nothing is lost: a message either went before the swap or
goes after it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Gate:
    def __init__(self) -> None:
        self._open = asyncio.Event()
        self._open.set()
        self._inside = 0
        self._emptied = asyncio.Condition()
        self._closing = asyncio.Lock()

    @property
    def closed(self) -> bool:
        return not self._open.is_set()

    @asynccontextmanager
    async def passage(self) -> AsyncIterator[None]:
        """Around one call to Rasa: waits while the gate is shut."""
        await self._open.wait()
        self._inside += 1
        try:
            yield
        finally:
            self._inside -= 1
            if self._inside == 0:
                async with self._emptied:
                    self._emptied.notify_all()

    @asynccontextmanager
    async def shut(self) -> AsyncIterator[None]:
        """Holds new calls and waits for those in flight; opens again on leaving."""
        async with self._closing:
            self._open.clear()
            try:
                async with self._emptied:
                    await self._emptied.wait_for(lambda: self._inside == 0)
                yield
            finally:
                self._open.set()
