"""The console's live WebSocket: the desk's events as they happen, each to whom it concerns,
until the console goes away or its session ends (closed with code 4401)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from bot.console.parts import ConsoleDoor
from bot.console.sessions import COOKIE, SESSION_ENDED, SignedIn
from bot.desk.permissions import is_senior
from bot.events import Hub
from bot.models import Agent, Role
from bot.views import agent_dict


def live_router(hub: Hub, door: ConsoleDoor) -> APIRouter:
    api = APIRouter()

    @api.websocket("/ws/console")
    async def live(socket: WebSocket) -> None:
        await socket.accept()
        signed = await door.sessions.find(socket.cookies.get(COOKIE))
        if signed is None:
            await socket.close(code=SESSION_ENDED, reason="sign in first")
            return
        await _stream(socket, signed, hub, door)

    return api


def visible_to(agent: Agent, event: dict[str, Any]) -> bool:
    """A chat's messages go to the agent who has it (everyone while it is queued) and to
    supervisors; an event addressed to one agent goes to that agent and supervisors."""
    if event.get("audience") == "admin":
        return agent.role == Role.ADMIN
    holder = event.get("agent_id")
    return holder is None or holder == agent.id or is_senior(agent)


async def _stream(socket: WebSocket, signed: SignedIn, hub: Hub, door: ConsoleDoor) -> None:
    """The console's live events until it goes away or its session ends."""
    agent = signed.agent
    door.sessions.attach(signed.session_id, socket)
    events = hub.subscribe()
    receiver = asyncio.create_task(_drain_client(socket))
    loop = asyncio.get_running_loop()
    next_check = loop.time() + door.check_seconds
    try:
        await socket.send_json({"type": "hello", "agent": agent_dict(agent)})
        while not receiver.done():
            getter = asyncio.create_task(events.get())
            done, _ = await asyncio.wait(
                {getter, receiver},
                timeout=max(0.0, next_check - loop.time()),
                return_when=asyncio.FIRST_COMPLETED,
            )
            if getter in done:
                event = getter.result()
                if visible_to(agent, event):
                    await socket.send_json(event)
            else:
                getter.cancel()
            if loop.time() >= next_check:
                next_check = loop.time() + door.check_seconds
                if not await door.sessions.still_live(signed.session_id):
                    await socket.close(code=SESSION_ENDED, reason="the session has ended")
                    return
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        door.sessions.detach(signed.session_id, socket)
        hub.unsubscribe(events)
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
            await receiver


async def _drain_client(socket: WebSocket) -> None:
    """Reads (and ignores) what the console sends, so a closed socket is noticed."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await socket.receive_text()
