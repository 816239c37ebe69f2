"""The WebSockets' doors, on the gateway served by uvicorn on a real port (with a fake Rasa):
a console socket ends with its session, hears only what concerns its agent, and refuses
another site; a widget socket opens only with its customer's token, within limits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from sqlalchemy import func, select, update
from websockets.exceptions import ConnectionClosed

from bot.app import create_app
from bot.db import utcnow
from bot.models import Agent, ConsoleSession, Message, Role
from bot.settings import Settings
from tests.databases import throwaway_database
from tests.fakes.rasa import FakeRasa, running_fake_rasa
from tests.gateway.conftest import PASSWORD, PASSWORD_HASH
from tests.integration.stack import LiveServer, free_port

CONNECTS = 6  # the per-address connection limit in these tests


class Live:
    def __init__(self, server: LiveServer, rasa: FakeRasa) -> None:
        self.server = server
        self.rasa = rasa
        self.url = server.url
        self.ws = server.url.replace("http", "ws")

    def run(self, coroutine: Any) -> Any:
        """Runs a coroutine on the server's own loop (its database connections live there)."""
        return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self.server.loop))

    async def add_agent(self, email: str, role: Role = Role.AGENT) -> int:
        async def create() -> int:
            async with self.server.app.state.sessions() as session:
                agent = Agent(email=email, name=email.split("@")[0], role=role)
                agent.password_hash = PASSWORD_HASH
                session.add(agent)
                await session.commit()
                return agent.id

        agent_id: int = await self.run(create())
        return agent_id

    async def console(self, email: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=self.url, timeout=30)
        response = await client.post(
            "/api/console/login", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return client

    def cookie(self, client: httpx.AsyncClient) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}

    async def customer(self) -> dict[str, str]:
        async with httpx.AsyncClient(base_url=self.url) as client:
            identity: dict[str, str] = (await client.post("/api/web/customers", json={})).json()
        return identity


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    async with running_fake_rasa() as rasa, throwaway_database("sqlite", tmp_path) as url:
        settings = Settings(
            database_url=url,
            rasa_url=rasa.url,
            rasa_token=rasa.token,  # type: ignore[arg-type]
            internal_port=0,
            monitor_interval_seconds=0,
            retry_interval_seconds=3600,
            session_check_seconds=0.3,
            connect_limit_per_address=f"{CONNECTS}/minute",
        )
        with LiveServer(create_app(settings), free_port()) as server:
            yield Live(server, rasa)


async def closed_with(socket: Any, timeout: float = 5) -> int:
    """Reads until the server closes the socket; its close code."""
    try:
        while True:
            await asyncio.wait_for(socket.recv(), timeout)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else -1


async def next_event(socket: Any, kind: str, timeout: float = 10) -> dict[str, Any]:
    while True:
        event: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if event["type"] == kind:
            return event


async def test_logout_closes_the_console_socket(live: Live) -> None:
    await live.add_agent("a@example.com")
    anna = await live.console("a@example.com")
    async with websockets.connect(
        f"{live.ws}/ws/console", additional_headers=live.cookie(anna)
    ) as socket:
        await next_event(socket, "hello")
        await anna.post("/api/console/logout")
        assert await closed_with(socket) == 4401


async def test_a_session_ended_elsewhere_closes_the_socket_at_its_next_check(live: Live) -> None:
    await live.add_agent("a@example.com")
    anna = await live.console("a@example.com")
    headers = live.cookie(anna)
    async with websockets.connect(f"{live.ws}/ws/console", additional_headers=headers) as socket:
        await next_event(socket, "hello")

        async def end_in_the_database() -> None:  # as another gateway replica would
            async with live.server.app.state.sessions() as session:
                await session.execute(update(ConsoleSession).values(ended_at=utcnow()))
                await session.commit()

        await live.run(end_in_the_database())
        assert await closed_with(socket) == 4401


async def test_the_console_socket_refuses_another_site_and_a_missing_session(live: Live) -> None:
    await live.add_agent("a@example.com")
    anna = await live.console("a@example.com")
    evil = {**live.cookie(anna), "Origin": "https://evil.example"}
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(f"{live.ws}/ws/console", additional_headers=evil):
            pass
    assert refused.value.response.status_code == 403
    async with websockets.connect(f"{live.ws}/ws/console") as socket:
        assert await closed_with(socket) == 4401


async def test_an_agent_hears_only_the_chats_that_concern_them(live: Live) -> None:
    await live.add_agent("a@example.com")
    await live.add_agent("b@example.com")
    await live.add_agent("s@example.com", Role.SUPERVISOR)
    anna, bo = await live.console("a@example.com"), await live.console("b@example.com")
    sue = await live.console("s@example.com")
    customer = await live.customer()
    token = {"Authorization": f"Bearer {customer['customer_token']}"}
    async with httpx.AsyncClient(base_url=live.url, headers=token, timeout=30) as http:

        async def say(text: str) -> dict[str, Any]:
            body = {"sender": customer["sender"], "message": text}
            answer: dict[str, Any] = (await http.post("/api/web/messages", json=body)).json()
            return answer

        chat = (await say("hello"))["conversation"]["id"]

        async def queue_it() -> None:
            from bot.desk import queue
            from bot.models import Conversation

            async with live.server.app.state.sessions() as session:
                conversation = await session.get(Conversation, chat)
                queue.enqueue(conversation, "severe", ["severe_complaint"])
                await session.commit()

        await live.run(queue_it())
        assert (await anna.post(f"/api/console/conversations/{chat}/claim")).status_code == 200
        sockets = {}
        for name, client in (("anna", anna), ("bo", bo), ("sue", sue)):
            socket = await websockets.connect(
                f"{live.ws}/ws/console", additional_headers=live.cookie(client)
            )
            await next_event(socket, "hello")
            sockets[name] = socket
        await say("my private address is 5 Elm Street")
        for name in ("anna", "sue"):
            event = await next_event(sockets[name], "message")
            assert "Elm Street" in event["message"]["text"]
        with pytest.raises(asyncio.TimeoutError):
            await next_event(sockets["bo"], "message", timeout=1.5)
        for socket in sockets.values():
            await socket.close()


async def test_the_widget_socket_opens_only_with_the_customer_s_token(live: Live) -> None:
    alice, mallory = await live.customer(), await live.customer()
    sender = alice["sender"]
    for token in ("", "nope", mallory["customer_token"]):
        async with websockets.connect(f"{live.ws}/ws/web?sender={sender}&token={token}") as socket:
            assert await closed_with(socket) == 4403
    url = f"{live.ws}/ws/web?sender={sender}&token={alice['customer_token']}"
    async with websockets.connect(url) as socket:
        assert (await next_event(socket, "history"))["messages"] == []
        await socket.send("x" * 100_000)  # a frame larger than the widget ever sends
        assert "too large" in (await next_event(socket, "error"))["message"]
        await socket.send("not json")
        assert (await next_event(socket, "error"))["message"] == "malformed event"
    evil = {"Origin": "https://evil.example"}
    with pytest.raises(websockets.InvalidStatus):
        async with websockets.connect(url, additional_headers=evil):
            pass

    async def customer_messages() -> int:
        async with live.server.app.state.sessions() as session:
            count = await session.scalar(select(func.count()).select_from(Message))
            return int(count or 0)

    assert await live.run(customer_messages()) == 0


async def test_too_many_widget_connections_from_one_address_are_refused(live: Live) -> None:
    customer = await live.customer()
    url = f"{live.ws}/ws/web?sender={customer['sender']}&token={customer['customer_token']}"
    codes = []
    for _ in range(CONNECTS + 2):
        async with websockets.connect(url) as socket:
            try:
                await next_event(socket, "history", timeout=5)
                codes.append(0)
            except ConnectionClosed as closed:
                codes.append(closed.rcvd.code if closed.rcvd else -1)
    assert codes[:CONNECTS] == [0] * CONNECTS
    assert set(codes[CONNECTS:]) == {4429}
