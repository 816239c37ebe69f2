"""Two gateway replicas on one database and the machine's Redis: the consoles' live events of
one reach the consoles of the other, once each."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.app import create_app
from tests.gateway.conftest import Gateway

REDIS = "redis://127.0.0.1:6379/7"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"events_url": REDIS}


async def events_of(queue: asyncio.Queue[dict[str, Any]], kind: str, seconds: float = 5) -> int:
    """How many events of that kind arrive within the time."""
    count, deadline = 0, asyncio.get_running_loop().time() + seconds
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            event = await asyncio.wait_for(queue.get(), timeout=left)
        except TimeoutError:
            break
        count += event.get("type") == kind
    return count


async def test_a_hand_off_on_one_replica_reaches_the_consoles_of_the_other(
    gateway: Gateway,
) -> None:
    other = create_app(gateway.app.state.settings)
    async with other.router.lifespan_context(other):
        here, there = gateway.app.state.hub.subscribe(), other.state.hub.subscribe()
        for app in (gateway.app, other):  # each replica listens on Redis
            await asyncio.wait_for(app.state.bridge.listening.wait(), timeout=10)
        await gateway.say("replica-customer", "my kettle sparked")
        await gateway.hand_off(await gateway.uid("replica-customer"))
        await gateway.say("replica-customer", "hello?")  # applies the hand-off: escalated
        assert await events_of(there, "escalated") == 1
        assert await events_of(here, "escalated", seconds=1) == 1  # not twice


class Socket:
    """What the web channel needs of a widget's WebSocket."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send_json(self, event: dict[str, Any]) -> None:
        self.sent.append(event)


async def test_a_reply_sent_on_one_replica_reaches_the_widget_connected_to_the_other() -> None:
    from bot.channels.web import WebChannel
    from bot.contract import Reply
    from bot.events import RedisBridge

    bridges = [RedisBridge(REDIS), RedisBridge(REDIS)]
    here, there = WebChannel(), WebChannel()
    for channel, bridge in zip((here, there), bridges, strict=True):
        channel.bridge_with(bridge)
        await bridge.start()
    try:
        for bridge in bridges:
            await asyncio.wait_for(bridge.listening.wait(), timeout=10)
        widget, own = Socket(), Socket()
        there.attach("shopper-1", widget)  # type: ignore[arg-type]
        here.attach("shopper-2", own)  # type: ignore[arg-type]
        await here.deliver("shopper-1", [Reply(text="Hi, this is Mei.", author="agent")])
        await here.deliver("shopper-2", [Reply(text="On this replica.", author="agent")])
        for _ in range(100):
            if widget.sent:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # anything that would come twice has come
        assert [e["text"] for e in widget.sent] == ["Hi, this is Mei."]
        assert [e["text"] for e in own.sent] == ["On this replica."]
    finally:
        for bridge in bridges:
            await bridge.stop()
