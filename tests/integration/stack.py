"""Starts the real Rasa server and action server for tests, on free local ports."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.rasa_endpoints import write_endpoints

ROOT = Path(__file__).resolve().parents[2]
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
START_TIMEOUT_SECONDS = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        try:
            response = httpx.get(url, timeout=2)
        except httpx.HTTPError:
            time.sleep(0.5)
            continue
        if response.status_code == 200:
            return
        if response.status_code == 409:  # Rasa is up but could not load the model
            raise RuntimeError(f"{name} is up without a model: {response.text}")
        time.sleep(0.5)
    raise TimeoutError(f"{name} did not start within {START_TIMEOUT_SECONDS} s")


@dataclass(frozen=True)
class Stack:
    rasa_url: str
    actions_url: str
    rasa_token: str  # Rasa's HTTP API token
    service_token: str  # what the action server sends to the gateway's internal API


@contextmanager
def running_stack(
    model: str,
    workdir: Path,
    gateway_url: str,
    trackers: str | None = None,
    locks: str | None = None,
) -> Iterator[Stack]:
    """Rasa and the action server as `make run` starts them: on 127.0.0.1, Rasa's HTTP API
    behind its token, the actions calling the gateway's internal API at `gateway_url`; Rasa's
    conversations in an SQLite file of `workdir` (or at `trackers`), its locks in memory (or
    in Redis at `locks`)."""
    rasa_port, actions_port = free_port(), free_port()
    rasa_token, service_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    endpoints = write_endpoints(
        workdir / "endpoints.yml", actions_port, trackers or str(workdir / "trackers.db"), locks
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LERA_GATEWAY_URL": gateway_url,
        "LERA_SERVICE_TOKEN": service_token,
        "SANIC_HOST": "127.0.0.1",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    with (
        (logs / "actions.log").open("wb") as actions_log,
        (logs / "rasa.log").open("wb") as rasa_log,
    ):
        actions = subprocess.Popen(
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port)],
            cwd=ROOT,
            env=env,
            stdout=actions_log,
            stderr=subprocess.STDOUT,
        )
        rasa = subprocess.Popen(
            [
                str(RASA),
                "run",
                "--model",
                model,
                "--enable-api",
                "--auth-token",
                rasa_token,
                "--interface",
                "127.0.0.1",
                "--port",
                str(rasa_port),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
            ],
            cwd=ROOT,
            env=env,
            stdout=rasa_log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, "action server")
            wait_until_up(
                f"http://127.0.0.1:{rasa_port}/status?token={rasa_token}", rasa, "Rasa server"
            )
            yield Stack(
                f"http://127.0.0.1:{rasa_port}",
                f"http://127.0.0.1:{actions_port}",
                rasa_token,
                service_token,
            )
        finally:
            for process in (rasa, actions):
                process.terminate()
            for process in (rasa, actions):
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


class LiveServer:
    """An ASGI app served by uvicorn on a real port, in a background thread."""

    def __init__(self, app: object, port: int) -> None:
        import threading

        import uvicorn

        self.url = f"http://127.0.0.1:{port}"
        self.app: Any = app
        self.loop: asyncio.AbstractEventLoop = asyncio.new_event_loop()
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")  # type: ignore[arg-type]
        )
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._server.serve())

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the gateway did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


@contextmanager
def full_stack(
    model: str, workdir: Path, database_url: str, **settings: Any
) -> Iterator[tuple[Stack, LiveServer]]:
    """Rasa, the action server and the gateway (on `database_url`), wired to each other."""
    from bot.app import create_app
    from bot.settings import Settings

    gateway_port, internal_port = free_port(), free_port()
    # every test and benchmark client comes from 127.0.0.1: the per-address limits of one shop
    # visitor would throttle them all (the per-customer limits stay as they are)
    settings = {
        "message_limit_per_address": "100000/minute",
        "connect_limit_per_address": "100000/minute",
        "identity_limit_per_address": "100000/minute",
        "login_limit_per_address": "100000/minute",
        **settings,
    }
    with running_stack(model, workdir, f"http://127.0.0.1:{internal_port}") as stack:
        config = Settings(
            database_url=database_url,
            rasa_url=stack.rasa_url,
            rasa_token=stack.rasa_token,
            service_token=stack.service_token,
            port=gateway_port,
            internal_port=internal_port,
            **settings,
        )
        with LiveServer(create_app(config), gateway_port) as gateway:
            yield stack, gateway


def create_agent(
    gateway: LiveServer, email: str, password: str, name: str = "Test Agent", role: str = "agent"
) -> None:
    """Adds an agent account (or a supervisor's) to the live gateway's database."""
    from bot.models import Agent, Role
    from bot.passwords import hash_password

    async def create() -> None:
        async with gateway.app.state.sessions() as session:
            session.add(
                Agent(
                    email=email, name=name, password_hash=hash_password(password), role=Role(role)
                )
            )
            await session.commit()

    asyncio.run_coroutine_threadsafe(create(), gateway.loop).result(timeout=10)
