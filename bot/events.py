"""Publish/subscribe for the agent console's live updates.

Each gateway process keeps its subscribers (open consoles) in memory. With several replicas,
`RedisBridge` carries every event to the others through Redis pub/sub (`LERA_EVENTS_URL`): an
agent on replica B sees what a customer on replica A just did, and a customer whose widget is
connected to replica A gets the reply an agent sent from replica B. Each is delivered once: a
replica hands its own events out locally and skips them when Redis brings them back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import redis.asyncio as redis

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 1000
CHANNEL = "lera:live-events"
# after Redis went away: listening again in 1, 2, 4 … 30 seconds
BACKOFF_MAX_SECONDS = 30.0


Relay = Callable[[dict[str, Any]], None]


class Hub:
    def __init__(self) -> None:
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()
        self._relay: Relay | None = None

    def subscribe(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._subscribers.discard(queue)

    def publish(self, event: dict[str, Any]) -> None:
        """To this replica's consoles now, and to the other replicas' through the bridge."""
        self.hand_out(event)
        if self._relay is not None:
            self._relay(event)

    def hand_out(self, event: dict[str, Any]) -> None:
        """To this replica's consoles."""
        for queue in list(self._subscribers):
            if queue.full():  # a stalled console must not hold the others back
                self._subscribers.discard(queue)
                continue
            queue.put_nowait(event)

    def bridge_with(self, bridge: RedisBridge) -> None:
        self._relay = bridge.carry("console", self.hand_out)


class RedisBridge:
    """Carries events between gateway replicas over one Redis channel, each of a kind with its
    own handler on arrival: the console's live events, the widget's pushes."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._replica = uuid.uuid4().hex
        self._handlers: dict[str, Callable[[dict[str, Any]], Awaitable[None] | None]] = {}
        self._outbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(QUEUE_LIMIT)
        self._tasks: list[asyncio.Task[None]] = []
        self.listening = asyncio.Event()

    def carry(
        self, kind: str, on_arrival: Callable[[dict[str, Any]], Awaitable[None] | None]
    ) -> Relay:
        """Registers what handles a kind arriving from another replica; returns what sends
        one of this kind to the others."""
        self._handlers[kind] = on_arrival

        def send(payload: dict[str, Any]) -> None:
            if not self._outbox.full():
                self._outbox.put_nowait((kind, payload))

        return send

    async def start(self) -> None:
        self._redis = redis.from_url(self._url)
        self._tasks = [
            asyncio.create_task(self._send(), name="events-send"),
            asyncio.create_task(self._listen(), name="events-listen"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._redis.aclose()

    async def _send(self) -> None:
        while True:
            kind, payload = await self._outbox.get()
            message = json.dumps(
                {"from": self._replica, "kind": kind, "payload": payload}, default=str
            )
            try:
                await self._redis.publish(CHANNEL, message)
            except redis.RedisError as error:  # the other replicas miss it; this one has it
                logger.warning("event not sent to the other replicas: %s", error)

    async def _arrived(self, data: dict[str, Any]) -> None:
        handler = self._handlers.get(str(data.get("kind")))
        if handler is None or data.get("from") == self._replica:
            return
        done = handler(data["payload"])
        if done is not None:
            await done

    async def _listen(self) -> None:
        delay = 1.0
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.listening.set()
                    delay = 1.0
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self._arrived(json.loads(message["data"]))
            except redis.RedisError as error:
                self.listening.clear()
                logger.warning("events from the other replicas stopped (%s)", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX_SECONDS)
