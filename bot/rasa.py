"""Client of the Rasa server: its REST channel for messages, its HTTP API for trackers and for
the model it answers with.

The gateway never imports rasa: Rasa is an engine behind HTTP, like a database. Every call goes
through a gate that a model swap shuts for as long as Rasa loads the new model (`bot/gate.py`).
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from bot.contract import Reply
from bot.gate import Gate
from bot.metrics import RASA_ERRORS, RASA_SECONDS

# the longest a model load may take (Rasa reads the archive and builds its graph)
LOAD_TIMEOUT = 300.0


class RasaUnavailable(Exception):
    """Rasa is down, restarting or slower than the timeout."""


class RasaClient:
    def __init__(
        self, base_url: str, timeout: float, token: str, replicas: tuple[str, ...] = ()
    ) -> None:
        # the HTTP API's routes (trackers, parse, the model) need Rasa's auth token
        self._api = {"token": token}
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )
        # shut while Rasa loads another model (`load_model`)
        self.gate = Gate()
        # every Rasa server behind base_url when several serve (each loads a new model)
        self.servers = tuple(dict.fromkeys((base_url, *replicas)))

    async def close(self) -> None:
        await self._client.aclose()

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async with self.gate.passage():
            try:
                return await self._client.request(method, path, **kwargs)
            except httpx.HTTPError as error:
                raise RasaUnavailable(repr(error)) from error

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[Reply]:
        """One customer message through the REST channel; the bot's replies in order."""
        started = time.perf_counter()
        try:
            response = await self._call(
                "POST",
                "/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
            )
        except RasaUnavailable:
            RASA_ERRORS.labels("message").inc()
            raise
        if response.status_code != 200:
            RASA_ERRORS.labels("message").inc()
            raise RasaUnavailable(f"HTTP {response.status_code}")
        RASA_SECONDS.observe(time.perf_counter() - started)
        return [Reply.from_rasa(item) for item in response.json()]

    async def _api_call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await self._call(method, path, params=self._api, **kwargs)
        if response.is_error:
            raise RasaUnavailable(f"HTTP {response.status_code} from {path}")
        return response

    async def tracker(self, sender: str) -> dict[str, Any]:
        data: dict[str, Any] = (
            await self._api_call("GET", f"/conversations/{sender}/tracker")
        ).json()
        return data

    async def append_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Adds events to a conversation's tracker (used when an agent hands a chat back)."""
        await self._api_call("POST", f"/conversations/{sender}/tracker/events", json=events)

    async def replace_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Replaces a conversation's tracker (an empty list: Rasa forgets the dialogue)."""
        await self._api_call("PUT", f"/conversations/{sender}/tracker/events", json=events)

    async def parse(self, text: str) -> dict[str, Any] | None:
        """What the NLU reads in a message, without the dialogue (Rasa's /model/parse); None
        when Rasa cannot say right now."""
        try:
            data: dict[str, Any] = (
                await self._api_call("POST", "/model/parse", json={"text": text})
            ).json()
        except RasaUnavailable:
            return None
        return data

    async def status(self) -> dict[str, Any] | None:
        """Rasa's /status (the model file it answers with), or None when it is not up."""
        try:
            response = await self._client.get("/status", params=self._api)
        except httpx.HTTPError:
            return None
        if response.status_code != 200:
            return None
        data: dict[str, Any] = response.json()
        return data

    async def ready(self) -> bool:
        return await self.status() is not None

    async def load_model(self, model_file: str) -> float:
        """Every Rasa server answers with another model from now on; the seconds the gate was
        shut.

        Messages already with Rasa are answered by the old model, those arriving meanwhile
        wait at the gate and are answered by the new one. With several servers each loads it
        in turn while the gate is shut, so no message meets a mix of the two models."""
        async with self.gate.shut():
            started = time.perf_counter()
            for server in self.servers:
                try:
                    response = await self._client.put(
                        f"{server.rstrip('/')}/model",
                        params=self._api,
                        json={"model_file": model_file},
                        timeout=LOAD_TIMEOUT,
                    )
                except httpx.HTTPError as error:
                    raise RasaUnavailable(f"{server} did not load the model: {error!r}") from error
                if response.status_code != 204:
                    raise RasaUnavailable(
                        f"{server} did not load the model: HTTP {response.status_code}"
                    )
            return time.perf_counter() - started
