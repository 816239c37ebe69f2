"""The whole stack for end-to-end tests: real Rasa, real action server, real gateway, real
PostgreSQL — started once per test session."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import create_app
from bot.settings import Settings
from tests.databases import throwaway_database
from tests.integration.stack import LiveServer, Stack, free_port, running_stack


@pytest.fixture(scope="session")
def model() -> str:
    path = os.environ.get("LERA_MODEL")
    if not path or not Path(path).exists():
        pytest.fail("LERA_MODEL must name a trained model: run the tests with `make test`")
    return path


@pytest.fixture(scope="session")
def gateway_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def stack(
    model: str, gateway_port: int, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The real Rasa server with the trained model, and the real action server."""
    with running_stack(
        model, tmp_path_factory.mktemp("stack"), f"http://127.0.0.1:{gateway_port}"
    ) as running:
        yield running


@pytest.fixture(scope="session")
def gateway(
    stack: Stack, gateway_port: int, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The gateway on its port, on a fresh PostgreSQL database, talking to the real Rasa."""
    loop = asyncio.new_event_loop()
    database = throwaway_database("postgresql", tmp_path_factory.mktemp("db"))
    url = loop.run_until_complete(database.__aenter__())
    settings = Settings(
        database_url=url, rasa_url=stack.rasa_url, port=gateway_port, retry_interval_seconds=0.5
    )
    try:
        with LiveServer(create_app(settings), gateway_port) as server:
            yield server
    finally:
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()
