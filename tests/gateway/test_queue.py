"""The queue's order (VIP lane, then severity, then the wait), what a queued customer is told,
and auto-assignment in turn within each agent's capacity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.desk import calendar, queue
from bot.models import Agent, Conversation, ConversationStatus, Customer, Presence
from bot.settings import Settings
from bot.wire.customers import is_vip
from tests.gateway.conftest import PASSWORD_HASH, Gateway

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


async def chat(
    session: AsyncSession, name: str, severity: str, waited_minutes: int, tier: str = "standard"
) -> Conversation:
    customer = Customer(channel="web", external_id=name, tier=tier)
    conversation = Conversation(customer=customer, channel="web")
    session.add(conversation)
    queue.enqueue(conversation, severity, ["complaint"])
    conversation.queued_at = T0 - timedelta(minutes=waited_minutes)
    await session.flush()
    return conversation


def agent(name: str, presence: Presence = Presence.ONLINE, **options: Any) -> Agent:
    return Agent(
        email=f"{name}@example.com",
        name=name,
        password_hash=PASSWORD_HASH,
        presence=presence,
        **options,
    )


def test_priority_is_the_vip_lane_then_severity() -> None:
    assert is_vip("vip") and not is_vip("standard") and not is_vip(None)
    order = [
        queue.priority("light", "vip"),
        queue.priority("critical", "standard"),
        queue.priority("severe", "standard"),
        queue.priority("medium", "standard"),
        queue.priority("light", "standard"),
    ]
    assert order == sorted(order, reverse=True) and len(set(order)) == len(order)


async def test_the_queue_serves_vip_then_severity_then_the_longest_wait(gateway: Gateway) -> None:
    async with gateway.sessions() as session:
        await chat(session, "light-old", "light", 50)
        await chat(session, "critical-new", "critical", 1)
        await chat(session, "medium-old", "medium", 40)
        await chat(session, "medium-older", "medium", 45)
        await chat(session, "vip-light", "light", 2, tier="vip")
        await session.commit()
        served = [c.customer.external_id for c in await queue.queued(session)]
    assert served == ["vip-light", "critical-new", "medium-older", "medium-old", "light-old"]

    listed = (await gateway.app.state.desk.transcripts.queue())[:2]
    assert [c["customer"]["tier"] for c in listed] == ["vip", "standard"]
    assert listed[1]["priority"] == queue.priority("critical", "standard")


async def test_a_queued_customer_is_told_their_place_and_the_wait(gateway: Gateway) -> None:
    settings: Settings = gateway.app.state.settings
    async with gateway.sessions() as session:
        await chat(session, "a", "critical", 5)
        await chat(session, "b", "light", 5)
        session.add(agent("X"))
        newcomer = Conversation(customer=Customer(channel="web", external_id="n"), channel="web")
        session.add(newcomer)
        await session.flush()
        severe = await queue.info(session, newcomer, "severe", "en", settings)
        light = await queue.info(session, newcomer, "light", "en", settings)
    assert (severe.position, severe.agents_online, severe.next_opening) == (2, 1, None)
    assert light.position == 3
    assert light.expected_wait_minutes == round(3 * settings.average_handle_minutes)
    assert severe.as_wire()["queue_position"] == 2


async def test_auto_assignment_goes_in_turn_and_keeps_to_capacity(gateway: Gateway) -> None:
    async with gateway.sessions() as session:
        anna = agent("Anna", capacity=1)
        bo = agent("Bo", capacity=1, last_assigned_at=T0)
        away = agent("Cy", Presence.AWAY)
        session.add_all([anna, bo, away])
        first = await chat(session, "first", "critical", 1)
        second = await chat(session, "second", "medium", 9)
        third = await chat(session, "third", "light", 9)
        await session.flush()
        done = await queue.auto_assign(session)
        await session.commit()
        # never assigned goes first; each takes one chat; the third waits; the away agent none
        assert [(c.id, a.name) for c, a in done] == [(first.id, "Anna"), (second.id, "Bo")]
        assert third.status == ConversationStatus.QUEUED
        assert await queue.load(session, anna.id) == 1
        assert [c.id for c in await queue.held(session)] == [first.id, second.id]


async def test_with_nobody_at_work_the_customer_hears_when_the_team_is_back(
    gateway: Gateway, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "desk.yml").write_text(
        'weekday_hours: ["09:00", "09:01"]\nweekend_hours: ["09:00", "09:01"]\n'
    )
    settings = Settings(project_dir=tmp_path)
    async with gateway.sessions() as session:
        conversation = await chat(session, "late", "medium", 1)
        info = await queue.info(session, conversation, "medium", "zh", settings)
    assert info.agents_online == 0
    assert (
        info.next_opening is not None and "月" in info.next_opening and "09:00" in info.next_opening
    )


def test_an_answer_is_never_promised_while_the_team_is_away() -> None:
    settings = Settings()
    night = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)  # Wed 03:30 in Shanghai
    # 24 hours on is Thu 03:30: moved to Thu 09:00, when the team is at work
    assert calendar.promise(night, 24, settings) == datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
    # 12 hours on is Wed 15:30: the team is at work, the promise stands
    assert calendar.promise(night, 12, settings) == night + timedelta(hours=12)
    assert calendar.opening_text(night, "en", settings) == "Wed 02 Dec, 09:00"
    assert calendar.opening_text(night, "zh", settings) == "12月2日 09:00"
    assert calendar.opening_text(T0 - timedelta(hours=8), "en", settings) is None  # Tue 10:00
