"""In-process publish/subscribe for the agent console's live updates.

One gateway process keeps its subscribers in memory; several replicas would fan out through
PostgreSQL LISTEN/NOTIFY or Redis pub/sub behind this same interface.
"""

from __future__ import annotations

import asyncio
from typing import Any

QUEUE_LIMIT = 1000


class Hub:
    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._subscribers.discard(queue)

    def publish(self, event: dict[str, Any]) -> None:
        for queue in list(self._subscribers):
            if queue.full():  # a stalled console must not hold the others back
                self._subscribers.discard(queue)
                continue
            queue.put_nowait(event)
