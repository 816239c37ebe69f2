"""The whole stack for end-to-end tests: real Rasa, real action server, real gateway, real
PostgreSQL — started once per test session."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import throwaway_database
from tests.fakes.telegram_api import FakeTelegram, running_fake_telegram
from tests.integration.stack import LiveServer, Stack, full_stack
from tests.project import copy_project


@pytest.fixture(scope="session")
def model() -> str:
    path = os.environ.get("LERA_MODEL")
    if not path or not Path(path).exists():
        pytest.fail("LERA_MODEL must name a trained model: run the tests with `make test`")
    return path


@pytest.fixture(scope="session")
def telegram() -> Iterator[FakeTelegram]:
    """A fake Telegram Bot API server on 127.0.0.1: the gateway's Telegram channel polls it."""
    with running_fake_telegram() as fake:
        yield fake


@pytest.fixture(scope="session")
def running(
    model: str, telegram: FakeTelegram, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, LiveServer]]:
    """Real Rasa with the trained model, the real action server, and the gateway on a fresh
    PostgreSQL database, with its Telegram channel polling the fake Bot API."""
    loop = asyncio.new_event_loop()
    database = throwaway_database("postgresql", tmp_path_factory.mktemp("db"))
    url = loop.run_until_complete(database.__aenter__())
    try:
        with full_stack(
            model,
            tmp_path_factory.mktemp("stack"),
            url,
            retry_interval_seconds=0.5,
            # the admin pages edit a copy of the project, never the checkout's files
            project_dir=copy_project(tmp_path_factory.mktemp("project")),
            telegram_token=telegram.token,
            telegram_mode="polling",
            telegram_api_url=telegram.base_url,
            telegram_file_url=telegram.base_file_url,
        ) as both:
            yield both
    finally:
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()


@pytest.fixture(scope="session")
def stack(running: tuple[Stack, LiveServer]) -> Stack:
    return running[0]


@pytest.fixture(scope="session")
def gateway(running: tuple[Stack, LiveServer]) -> LiveServer:
    return running[1]
