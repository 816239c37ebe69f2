"""Client of the Rasa server: its REST channel for messages, its HTTP API for trackers.

The gateway never imports rasa: Rasa is an engine behind HTTP, like a database.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from bot.contract import Reply
from bot.metrics import RASA_ERRORS, RASA_SECONDS


class RasaUnavailable(Exception):
    """Rasa is down, restarting or slower than the timeout."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float, token: str) -> None:
        # the HTTP API's routes (trackers, parse) need Rasa's auth token; the REST channel not
        self._api = {"token": token}
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[Reply]:
        """One customer message through the REST channel; the bot's replies in order."""
        started = time.perf_counter()
        try:
            response = await self._client.post(
                "/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
            )
        except httpx.HTTPError as error:
            RASA_ERRORS.labels("message").inc()
            raise RasaUnavailable(repr(error)) from error
        if response.status_code != 200:
            RASA_ERRORS.labels("message").inc()
            raise RasaUnavailable(f"HTTP {response.status_code}")
        RASA_SECONDS.observe(time.perf_counter() - started)
        return [Reply.from_rasa(item) for item in response.json()]

    async def tracker(self, sender: str) -> dict[str, Any]:
        try:
            response = await self._client.get(f"/conversations/{sender}/tracker", params=self._api)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(repr(error)) from error
        data: dict[str, Any] = response.json()
        return data

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Adds events to a conversation's tracker (used when an agent hands a chat back)."""
        try:
            response = await self._client.post(
                f"/conversations/{sender}/tracker/events", json=events, params=self._api
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(repr(error)) from error

    async def replace_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Replaces a conversation's tracker (an empty list: Rasa forgets the dialogue)."""
        try:
            response = await self._client.put(
                f"/conversations/{sender}/tracker/events", json=events, params=self._api
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise RasaUnavailable(repr(error)) from error

    async def parse(self, text: str) -> dict[str, Any] | None:
        """What the NLU reads in a message, without the dialogue (Rasa's /model/parse); None
        when Rasa cannot say right now."""
        try:
            response = await self._client.post(
                "/model/parse", json={"text": text}, params=self._api
            )
        except httpx.HTTPError:
            return None
        if response.status_code != 200:
            return None
        data: dict[str, Any] = response.json()
        return data

    async def ready(self) -> bool:
        try:
            response = await self._client.get("/status", params=self._api)
        except httpx.HTTPError:
            return False
        return response.status_code == 200
