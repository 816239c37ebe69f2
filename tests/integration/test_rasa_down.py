"""Rasa down: the customer gets an honest holding reply, nothing is lost, and the real answer
follows on the customer's channel when Rasa is back — on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.contract import Reply
from bot.settings import Settings
from tests.databases import KINDS, throwaway_database
from tests.integration.clients import web_history_async, web_send_async
from tests.integration.stack import Stack, free_port


class Recorder:
    """Stands in for the web channel's sockets: records what would be pushed."""

    name = "web"

    def __init__(self) -> None:
        self.delivered: list[tuple[str, Reply]] = []
        self.arrived = asyncio.Event()

    async def deliver(self, external_id: str, replies: Sequence[Reply]) -> None:
        self.delivered.extend((external_id, r) for r in replies)
        self.arrived.set()

    async def conversation_changed(self, external_id: str, view: object) -> None:
        pass


@contextlib.asynccontextmanager
async def tcp_forwarder(port: int, target: str) -> AsyncIterator[None]:
    """Rasa "coming back" on the port the gateway was told: a plain TCP relay to the real one."""
    host, target_port = target.removeprefix("http://").split(":")

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(target_port))
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(relay, "127.0.0.1", port)
    try:
        yield
    finally:
        server.close()


@pytest.mark.parametrize("kind", KINDS)
async def test_rasa_down_then_back(stack: Stack, tmp_path: Path, kind: str) -> None:
    rasa_port = free_port()
    async with throwaway_database(kind, tmp_path) as url:
        settings = Settings(
            database_url=url,
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            rasa_token=stack.rasa_token,  # type: ignore[arg-type]
            internal_port=0,
            rasa_timeout_seconds=2,
            retry_interval_seconds=0.3,
        )
        app = create_app(settings)
        recorder = Recorder()
        app.state.delivery.register(recorder)
        async with app.router.lifespan_context(app):
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
            first = await web_send_async(client, "cn-1", "快递几天到？")
            body = first.json()
            assert first.status_code == 200
            [holding] = body["replies"]
            assert holding["author"] == "system" and "稍等" in holding["text"]
            stored = (await web_history_async(client, "cn-1"))["messages"]
            assert [m["text"] for m in stored] == ["快递几天到？", holding["text"]]

            async with tcp_forwarder(rasa_port, stack.rasa_url):
                await asyncio.wait_for(recorder.arrived.wait(), timeout=30)
            [(external_id, answer)] = recorder.delivered
            assert external_id == "cn-1" and answer.text and "2–4" in answer.text
            after = (await web_history_async(client, "cn-1"))["messages"]
            assert [m["author"] for m in after] == ["customer", "system", "bot"]
            await client.aclose()
