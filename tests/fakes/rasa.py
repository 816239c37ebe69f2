"""A fake Rasa server on 127.0.0.1: the REST channel, the tracker API, /model/parse and /status,
answered by a script. It runs in the test's own event loop, so a script can call the gateway (as
the action server does) while the gateway waits for Rasa's answer.

    async with running_fake_rasa() as rasa:
        rasa.script = lambda sender, text, metadata: [{"text": f"you said {text}"}]
"""

from __future__ import annotations

import asyncio
import inspect
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Script = Callable[
    [str, str, dict[str, Any]], list[dict[str, Any]] | Awaitable[list[dict[str, Any]]]
]


def echo(sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"text": f"you said: {text}"}]


@dataclass
class FakeRasa:
    url: str = ""
    script: Script = echo
    # while down, every call fails as a restarting Rasa does
    down: bool = False
    received: list[dict[str, Any]] = field(default_factory=list)
    appended: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trackers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # what /model/parse reads in a text (by default: nothing of note)
    readings: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Rasa's HTTP API token: the tracker, parse and status routes need it, as at Rasa
    token: str = "fake-rasa-api-token-5f1c9a2e"
    # the model it answers with; how long loading another takes (PUT /model), and when each
    # load began and ended (time.monotonic)
    model_file: str = "fake"
    load_seconds: float = 0.0
    loads: list[tuple[float, float, str]] = field(default_factory=list)
    # when each message reached the REST channel (time.monotonic)
    arrivals: list[float] = field(default_factory=list)

    def _refused(self, request: Request) -> Response | None:
        if self.down:
            return Response(status_code=503)
        if request.query_params.get("token") != self.token:
            return JSONResponse({"reason": "NotAuthenticated"}, status_code=401)
        return None

    def texts(self) -> list[str]:
        return [r["message"] for r in self.received]

    async def _webhook(self, request: Request) -> Response:
        if self.down:
            return Response(status_code=503)
        body = await request.json()
        self.received.append(body)
        self.arrivals.append(time.monotonic())
        sender, text = body["sender"], body["message"]
        answer = self.script(sender, text, body.get("metadata") or {})
        if inspect.isawaitable(answer):
            answer = await answer
        # as Rasa does, the tracker is saved once the message is handled: the user's event
        # with its metadata, then the bot's
        self.trackers.setdefault(sender, []).append(
            {
                "event": "user",
                "text": text,
                "metadata": body.get("metadata") or {},
                "parse_data": {
                    "text": text,
                    "intent": {"name": "complaint", "confidence": 0.91},
                    "analysis": {"emotion": "anger", "category": "product_quality"},
                },
            }
        )
        self.trackers[sender].extend(
            {
                "event": "bot",
                "text": a.get("text"),
                "data": {k: v for k, v in a.items() if k != "text"},
            }
            for a in answer
        )
        return JSONResponse([{"recipient_id": sender, **a} for a in answer])

    async def _tracker(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        sender = request.path_params["sender"]
        return JSONResponse({"sender_id": sender, "events": self.trackers.get(sender, [])})

    async def _append(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        sender = request.path_params["sender"]
        self.appended.setdefault(sender, []).extend(await request.json())
        return JSONResponse({"sender_id": sender})

    async def _replace(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        sender = request.path_params["sender"]
        self.trackers[sender] = await request.json()
        self.appended.pop(sender, None)
        return JSONResponse({"sender_id": sender})

    async def _parse(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        text = (await request.json())["text"]
        analysis = self.readings.get(text, {})
        return JSONResponse({"text": text, "intent": {"name": "inform"}, "analysis": analysis})

    async def _status(self, request: Request) -> Response:
        return self._refused(request) or JSONResponse({"model_file": self.model_file})

    async def _load(self, request: Request) -> Response:
        if refused := self._refused(request):
            return refused
        began = time.monotonic()
        await asyncio.sleep(self.load_seconds)
        self.model_file = Path((await request.json())["model_file"]).name
        self.loads.append((began, time.monotonic(), self.model_file))
        return Response(status_code=204)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/webhooks/rest/webhook", self._webhook, methods=["POST"]),
                Route("/conversations/{sender}/tracker", self._tracker, methods=["GET"]),
                Route("/conversations/{sender}/tracker/events", self._append, methods=["POST"]),
                Route("/conversations/{sender}/tracker/events", self._replace, methods=["PUT"]),
                Route("/model/parse", self._parse, methods=["POST"]),
                Route("/status", self._status, methods=["GET"]),
                Route("/model", self._load, methods=["PUT"]),
            ]
        )


@asynccontextmanager
async def running_fake_rasa() -> AsyncIterator[FakeRasa]:
    fake = FakeRasa()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    fake.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(
        uvicorn.Config(fake.app(), log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield fake
    finally:
        server.should_exit = True
        await task
        sock.close()
