"""Publish/subscribe for the agent console's live updates.

Each gateway process keeps its subscribers (open consoles) in memory. With several replicas,
`RedisBridge` carries every event to the others through Redis pub/sub (`LERA_EVENTS_URL`): an
agent on replica B sees what a customer on replica A just did. An event is delivered once per
console: a replica hands its own events out locally and skips them when Redis brings them back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from typing import Any

import redis.asyncio as redis

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 1000
CHANNEL = "lera:console-events"
# after Redis went away: listening again in 1, 2, 4 … 30 seconds
BACKOFF_MAX_SECONDS = 30.0


class Hub:
    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._outbox: asyncio.Queue[dict[str, Any]] | None = None

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._subscribers.discard(queue)

    def publish(self, event: dict[str, Any]) -> None:
        """To this replica's consoles now, and to the other replicas' through the bridge."""
        self.hand_out(event)
        if self._outbox is not None and not self._outbox.full():
            self._outbox.put_nowait(event)

    def hand_out(self, event: dict[str, Any]) -> None:
        """To this replica's consoles."""
        for queue in list(self._subscribers):
            if queue.full():  # a stalled console must not hold the others back
                self._subscribers.discard(queue)
                continue
            queue.put_nowait(event)

    def bridged(self) -> asyncio.Queue[dict[str, Any]]:
        """The events to send to the other replicas (one bridge per hub)."""
        self._outbox = asyncio.Queue(maxsize=QUEUE_LIMIT)
        return self._outbox


class RedisBridge:
    """Carries a hub's events between gateway replicas over one Redis channel."""

    def __init__(self, hub: Hub, url: str) -> None:
        self._hub = hub
        self._url = url
        self._replica = uuid.uuid4().hex
        self._tasks: list[asyncio.Task[None]] = []
        self.listening = asyncio.Event()

    async def start(self) -> None:
        outbox = self._hub.bridged()
        self._redis = redis.from_url(self._url)
        self._tasks = [
            asyncio.create_task(self._send(outbox), name="events-send"),
            asyncio.create_task(self._listen(), name="events-listen"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._redis.aclose()

    async def _send(self, outbox: asyncio.Queue[dict[str, Any]]) -> None:
        while True:
            event = await outbox.get()
            message = json.dumps({"from": self._replica, "event": event}, default=str)
            try:
                await self._redis.publish(CHANNEL, message)
            except redis.RedisError as error:  # the other replicas miss it; this one has it
                logger.warning("console event not sent to the other replicas: %s", error)

    async def _listen(self) -> None:
        delay = 1.0
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.listening.set()
                    delay = 1.0
                    async for message in pubsub.listen():
                        if message.get("type") != "message":
                            continue
                        data = json.loads(message["data"])
                        if data.get("from") != self._replica:
                            self._hub.hand_out(data["event"])
            except redis.RedisError as error:
                self.listening.clear()
                logger.warning("console events from other replicas stopped (%s)", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX_SECONDS)
