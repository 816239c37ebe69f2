"""The SLA monitor with a controllable clock: warning, breach, priority bump, the clock paused
while the ticket waits on the customer, survey reminder and expiry — and, with two gateway
processes on one PostgreSQL database, every job done once."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.db import make_engine, migrate, sessions
from bot.models import (
    Author,
    Conversation,
    Customer,
    Message,
    Survey,
    SurveyKind,
    SurveyStatus,
    SurveyStep,
    Ticket,
    TicketEvent,
)
from tests.databases import throwaway_database
from tests.gateway.conftest import Gateway
from tests.gateway.test_lifecycle import calm_complaint, resolved_chat, signed_in
from tests.integration.stack import ROOT, free_port


async def events_of(gateway: Gateway, number: int, action: str) -> int:
    async with gateway.sessions() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(TicketEvent)
            .where(TicketEvent.ticket_id == number, TicketEvent.action == action)
        )
        return int(count or 0)


async def test_the_agent_is_warned_then_the_breach_is_marked_once(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    number = await calm_complaint(gateway, "m1")  # due in 24 h
    await anna.post(f"/api/console/tickets/{number}/take")
    monitor = gateway.app.state.monitor
    now = datetime.now(UTC)
    gateway.published()

    await monitor.tick(now + timedelta(hours=12))  # half the time: nothing yet
    assert await events_of(gateway, number, "sla_warning") == 0
    await monitor.tick(now + timedelta(hours=19))  # past 75 %
    await monitor.tick(now + timedelta(hours=20))
    assert await events_of(gateway, number, "sla_warning") == 1
    warned = [e for e in gateway.published() if e["type"] == "sla_warning"]
    anna_id = (await anna.get("/api/console/me")).json()["id"]
    assert [e["agent_id"] for e in warned] == [anna_id]

    before = (await anna.get(f"/api/console/tickets/{number}")).json()["priority"]
    await monitor.tick(now + timedelta(hours=25))
    await monitor.tick(now + timedelta(hours=26))
    assert await events_of(gateway, number, "sla_breached") == 1
    after = (await anna.get(f"/api/console/tickets/{number}")).json()
    assert (after["sla_state"], after["priority"]) == ("breached", before + 1)
    assert [e["type"] for e in gateway.published()].count("sla_breached") == 1


async def test_the_clock_stands_still_while_the_ticket_waits_on_the_customer(
    gateway: Gateway,
) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    number = await calm_complaint(gateway, "m2")
    await anna.post(
        f"/api/console/tickets/{number}/status",
        json={"status": "waiting_customer", "note": "your order number"},
    )
    await gateway.app.state.monitor.tick(datetime.now(UTC) + timedelta(hours=30))
    assert await events_of(gateway, number, "sla_breached") == 0
    assert await events_of(gateway, number, "sla_warning") == 0


async def test_an_unanswered_survey_is_reminded_once_then_expires(gateway: Gateway) -> None:
    anna = await signed_in(gateway, "anna@example.com", "Anna Li")
    await resolved_chat(gateway, "m3", anna)
    monitor = gateway.app.state.monitor
    now = datetime.now(UTC)
    await monitor.tick(now + timedelta(hours=23))
    await monitor.tick(now + timedelta(hours=25))
    await monitor.tick(now + timedelta(hours=26))
    reminders = [t for t in gateway.web.texts("m3") if t and t.startswith("A quick reminder")]
    assert len(reminders) == 1
    await monitor.tick(now + timedelta(hours=73))
    async with gateway.sessions() as session:
        survey = await session.get(Survey, 1)
        assert survey is not None and survey.status == SurveyStatus.EXPIRED
        ticket = await session.get(Ticket, survey.ticket_id)
        assert ticket is not None and ticket.status.value == "closed"


# --- two gateway processes on one PostgreSQL database ---------------------------------------

TICKETS = 6


async def seed_overdue(url: str) -> None:
    """Tickets long overdue and surveys a day old, for both monitors to find at once."""
    engine = make_engine(url)
    await migrate(engine)
    long_ago = datetime.now(UTC) - timedelta(days=2)
    async with sessions(engine)() as session:
        for i in range(TICKETS):
            customer = Customer(channel="web", external_id=f"p{i}", language="en")
            session.add(customer)
            await session.flush()
            conversation = Conversation(customer=customer, channel="web")
            session.add(conversation)
            await session.flush()
            session.add(
                Message(
                    conversation_id=conversation.id,
                    channel="web",
                    author=Author.CUSTOMER,
                    text="my order is late",
                    created_at=datetime.now(UTC),
                )
            )
            ticket = Ticket(
                conversation_id=conversation.id,
                customer_id=customer.id,
                category="logistics",
                severity="medium",
                subject="late",
                description="late",
                created_at=long_ago,
                sla_started_at=long_ago,
                due_at=long_ago + timedelta(hours=24),
            )
            session.add(ticket)
            await session.flush()
            session.add(
                Survey(
                    kind=SurveyKind.BOT,
                    customer_id=customer.id,
                    conversation_id=conversation.id,
                    step=SurveyStep.HELPED,
                    asked_at=datetime.now(UTC) - timedelta(hours=30),
                    expires_at=datetime.now(UTC) + timedelta(hours=40),
                )
            )
        await session.commit()
    await engine.dispose()


async def counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    async with sessions(engine)() as session:
        breaches = await session.scalar(
            select(func.count())
            .select_from(TicketEvent)
            .where(TicketEvent.action == "sla_breached")
        )
        reminders = await session.scalar(
            select(func.count()).select_from(Message).where(Message.text.like("A quick reminder%"))
        )
        raised = await session.scalar(select(func.sum(Ticket.priority)))
    await engine.dispose()
    return int(breaches or 0), int(reminders or 0), int(raised or 0)


def gateway_process(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LERA_DATABASE_URL": url,
        "LERA_MONITOR_INTERVAL_SECONDS": "0.05",
        "LERA_INTERNAL_PORT": "0",  # the two processes would want the same internal port
        "LERA_RASA_URL": "http://127.0.0.1:9",  # not needed by the monitor
    }
    command = [sys.executable, "-m", "uvicorn", "bot.app:create_app", "--factory"]
    return subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def test_two_gateway_processes_fire_each_job_once(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    database = throwaway_database("postgresql", tmp_path)
    try:
        url = loop.run_until_complete(database.__aenter__())
    except Exception as error:
        pytest.fail(f"PostgreSQL is needed for this test: {error}")
    try:
        loop.run_until_complete(seed_overdue(url))
        ports = [free_port(), free_port()]
        processes = [gateway_process(url, p, tmp_path / f"g{p}.log") for p in ports]
        try:
            for port in ports:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.2)
                else:
                    pytest.fail((tmp_path / f"g{port}.log").read_text())
            time.sleep(3)  # some sixty rounds between them
            breaches, reminders, priorities = loop.run_until_complete(counts(url))
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=20)
        assert breaches == TICKETS
        assert reminders == TICKETS
        assert priorities == TICKETS * 3  # medium (2), raised once by its breach
    finally:
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()
