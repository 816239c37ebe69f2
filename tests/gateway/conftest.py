"""The gateway in-process on a throwaway database (SQLite and PostgreSQL), with a fake Rasa on
127.0.0.1 and a recording web channel: routing, queue and desk without a trained model."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.contract import ConversationView, Reply
from bot.models import Agent, Presence, Role
from bot.queries import customer_on
from bot.settings import Settings
from bot.wire.internal_api import HANDOFFS_PATH, TICKETS_PATH
from tests.databases import KINDS, throwaway_database
from tests.fakes.rasa import FakeRasa, running_fake_rasa
from tests.project import copy_project

SERVICE_TOKEN = "test-service-token"
PASSWORD = "correct horse battery staple"
# argon2 is slow on purpose; a hash made with the cheapest parameters verifies fast
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)


class Recorder:
    """The web channel's output side, recorded: what would be pushed to the widget."""

    name = "web"

    def __init__(self) -> None:
        self.delivered: list[tuple[str, Reply]] = []
        self.changes: list[tuple[str, ConversationView]] = []

    async def deliver(self, external_id: str, replies: Sequence[Reply]) -> None:
        self.delivered.extend((external_id, r) for r in replies)

    async def conversation_changed(self, external_id: str, view: ConversationView) -> None:
        self.changes.append((external_id, view))

    def texts(self, external_id: str) -> list[str | None]:
        return [r.text for who, r in self.delivered if who == external_id]


@dataclass
class Gateway:
    app: FastAPI
    http: httpx.AsyncClient
    internal: httpx.AsyncClient  # the internal API's own app (its loopback port in production)
    rasa: FakeRasa
    web: Recorder
    events: asyncio.Queue[dict[str, Any]]
    internal_headers: dict[str, str] = field(
        default_factory=lambda: {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    )
    # the customer token each web sender got with its first message
    tokens: dict[str, str] = field(default_factory=dict)

    def customer(self, sender: str) -> dict[str, str]:
        """The headers that open a web customer (their token)."""
        token = self.tokens.get(sender)
        return {"Authorization": f"Bearer {token}"} if token else {}

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        sessions: async_sessionmaker[AsyncSession] = self.app.state.sessions
        return sessions

    async def say(self, sender: str, text: str) -> dict[str, Any]:
        response = await self.http.post(
            "/api/web/messages",
            json={"sender": sender, "message": text},
            headers=self.customer(sender),
        )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        self.tokens[sender] = data["customer_token"]
        return data

    async def history(self, sender: str) -> dict[str, Any]:
        response = await self.http.get(
            "/api/web/history", params={"sender": sender}, headers=self.customer(sender)
        )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def published(self) -> list[dict[str, Any]]:
        """The console's live events so far."""
        out = []
        while not self.events.empty():
            out.append(self.events.get_nowait())
        return out

    async def add_agent(
        self, email: str, name: str, role: Role = Role.AGENT, online: bool = False
    ) -> int:
        async with self.sessions() as session:
            agent = Agent(email=email, name=name, role=role, password_hash=PASSWORD_HASH)
            if online:
                agent.presence = Presence.ONLINE
            session.add(agent)
            await session.commit()
            return agent.id

    async def console(self, email: str) -> httpx.AsyncClient:
        """A signed-in console session (the agent goes online); it sends its CSRF token."""
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://gateway"
        )
        response = await client.post(
            "/api/console/login", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return client

    async def uid(self, external_id: str) -> str:
        """The web customer's sender id at Rasa (what the action server knows them by)."""
        async with self.sessions() as session:
            customer = await customer_on(session, "web", external_id)
            assert customer is not None
            return customer.uid

    async def hand_off(self, uid: str, severity: str = "critical") -> dict[str, Any]:
        """What the action server's hand-off action sends."""
        request = {
            "sender_id": uid,
            "ticket_number": None,
            "reasons": ["severe_complaint"],
            "severity": severity,
            "language": "en",
        }
        response = await self.internal.post(
            HANDOFFS_PATH, json=request, headers=self.internal_headers
        )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    async def open_ticket(
        self, uid: str, severity: str = "critical", **fields: Any
    ) -> dict[str, Any]:
        """What the action server's ticket action sends."""
        request = {
            "sender_id": uid,
            "category": "product_quality",
            "severity": severity,
            "subject": "Product quality: kettle shocks",
            "description": "customer: my kettle gave me a shock",
            "reasons": ["safety_hazard"],
            "language": "en",
            "first_response_due_at": "2026-12-01T10:05:00+00:00",
            "due_at": "2026-12-01T22:00:00+00:00",
            "analysis": {"emotion": "anger"},
            **fields,
        }
        response = await self.internal.post(
            TICKETS_PATH, json=request, headers=self.internal_headers
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data


@pytest.fixture(params=KINDS)
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {}


@pytest.fixture
async def gateway(
    database_kind: str, tmp_path: Path, settings_overrides: dict[str, Any]
) -> AsyncIterator[Gateway]:
    async with running_fake_rasa() as rasa, throwaway_database(database_kind, tmp_path) as url:
        settings = Settings(
            database_url=url,
            rasa_url=rasa.url,
            rasa_token=rasa.token,  # type: ignore[arg-type]
            internal_port=0,  # the tests call the internal app in-process
            rasa_timeout_seconds=2,
            retry_interval_seconds=3600,  # the tests run the retry themselves
            service_token=SERVICE_TOKEN,  # type: ignore[arg-type]
            # the admin pages edit a copy of the project; no Rasa to validate or train with
            project_dir=copy_project(tmp_path / "project"),
            rasa_venv=tmp_path / "no-rasa",
            validate_with_rasa=False,
            training_fast=True,
            **{"monitor_interval_seconds": 0, **settings_overrides},  # tests tick the monitor
        )
        app = create_app(settings)
        web = Recorder()
        app.state.delivery.register(web)
        events = app.state.hub.subscribe()
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            inside = httpx.ASGITransport(app=app.state.internal_app)
            async with (
                httpx.AsyncClient(transport=transport, base_url="http://gateway") as http,
                httpx.AsyncClient(transport=inside, base_url="http://internal") as internal,
            ):
                yield Gateway(app, http, internal, rasa, web, events)
