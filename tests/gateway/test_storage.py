"""The data model and migrations on both databases: SQLite (the default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import make_engine, migrate, sessions
from bot.models import Conversation, Customer, Message, Ticket, TicketEvent
from tests.databases import KINDS, throwaway_database


@pytest.fixture(params=KINDS)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    async with throwaway_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        await migrate(engine)
        yield engine
        await engine.dispose()


async def test_migrations_create_every_table_and_run_twice(engine: AsyncEngine) -> None:
    await migrate(engine)  # already at head: nothing to do, no error
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"customers", "conversations", "messages", "tickets", "ticket_events"} <= tables


async def test_a_channel_message_id_is_stored_once(engine: AsyncEngine) -> None:
    make = sessions(engine)
    async with make() as session:
        customer = Customer(channel="web", external_id="c1")
        session.add(customer)
        await session.flush()
        conversation = Conversation(customer_id=customer.id, channel="web")
        session.add(conversation)
        await session.flush()
        session.add(
            Message(
                conversation_id=conversation.id,
                channel="web",
                channel_message_id="m1",
                author="customer",
                text="hi",
            )
        )
        await session.commit()
        session.add(
            Message(
                conversation_id=conversation.id,
                channel="web",
                channel_message_id="m1",
                author="customer",
                text="hi",
            )
        )
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_tickets_keep_their_audit_trail_and_json(engine: AsyncEngine) -> None:
    make = sessions(engine)
    async with make() as session:
        customer = Customer(
            channel="telegram", external_id="42", preferences={"contact": "evening"}
        )
        session.add(customer)
        await session.flush()
        conversation = Conversation(customer_id=customer.id, channel="telegram")
        session.add(conversation)
        await session.flush()
        ticket = Ticket(
            conversation_id=conversation.id,
            customer_id=customer.id,
            category="logistics",
            severity="medium",
            subject="Delivery: parcel late",
            description="customer: where is my parcel",
            reasons=["complaint"],
            analysis={"emotion": "frustration", "cues": ["repeat_contact"]},
        )
        session.add(ticket)
        await session.flush()
        session.add(TicketEvent(ticket_id=ticket.id, actor="bot", action="created", data={"x": 1}))
        await session.commit()
    async with make() as session:
        stored = await session.scalar(select(Ticket))
        assert stored is not None
        assert stored.reasons == ["complaint"]
        assert stored.analysis["cues"] == ["repeat_contact"]
        assert stored.number == stored.id
        events = list(await session.scalars(select(TicketEvent)))
        assert [(e.actor, e.action) for e in events] == [("bot", "created")]
