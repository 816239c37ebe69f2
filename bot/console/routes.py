"""The agent console: its page, its JSON API, and its live WebSocket."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    HTTPException,
    Query,
    Request,
    WebSocket,
    WebSocketDisconnect,
)
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from bot.console.auth import SESSION_KEY, agent_of, authenticate, current_agent
from bot.desk.assignment import Assignment
from bot.desk.case_status import CaseStatus
from bot.desk.casework import CaseWork
from bot.desk.directory import Directory
from bot.desk.replies import Replies
from bot.desk.ticket_list import TicketFilter, TicketList
from bot.desk.tiers import Tiers
from bot.desk.transcripts import Transcripts
from bot.events import Hub
from bot.models import Agent
from bot.views import agent_dict

STATIC = Path(__file__).with_name("static")
CurrentAgent = Annotated[Agent, Depends(current_agent)]


class LoginIn(BaseModel):
    email: str = Field(max_length=200)
    password: str = Field(max_length=200)


class ReplyIn(BaseModel):
    text: str = Field(max_length=4000)
    private: bool = False


class TransferIn(BaseModel):
    agent_id: int | None = None  # None: to a supervisor


class ResolveIn(BaseModel):
    solution: str = Field(default="", max_length=4000)


class PresenceIn(BaseModel):
    presence: str


class TicketStatusIn(BaseModel):
    status: str = Field(max_length=30)
    note: str = Field(default="", max_length=4000)


class CorrectIn(BaseModel):
    category: str | None = Field(default=None, max_length=40)
    severity: str | None = Field(default=None, max_length=20)
    reason: str = Field(max_length=1000)


class NoteIn(BaseModel):
    text: str = Field(max_length=4000)


class TierIn(BaseModel):
    tier: str = Field(max_length=20)


@dataclass(frozen=True)
class DeskParts:
    """The parts of the help desk the console's routes call."""

    transcripts: Transcripts
    directory: Directory
    assignment: Assignment
    replies: Replies
    listing: TicketList
    casework: CaseWork
    statuses: CaseStatus
    tiers: Tiers


def console_router(desk: DeskParts, hub: Hub) -> APIRouter:
    api = APIRouter(tags=["agent console"])

    @api.get("/console", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "console.html")

    @api.get("/console/{name}.{ext}", include_in_schema=False)
    async def asset(name: str, ext: str) -> FileResponse:
        media = {
            "js": "text/javascript",
            "css": "text/css",
            "mp3": "audio/mpeg",
            "wav": "audio/wav",
        }
        path = STATIC / f"{name}.{ext}"
        if ext not in media or not path.is_file() or path.parent != STATIC:
            raise HTTPException(status_code=404)
        return FileResponse(path, media_type=media[ext])

    @api.post("/api/console/login")
    async def login(body: LoginIn, request: Request) -> dict[str, Any]:
        agent = await authenticate(request.app.state.sessions, body.email, body.password)
        if agent is None:
            raise HTTPException(status_code=401, detail="wrong e-mail or password")
        request.session[SESSION_KEY] = agent.id
        return await desk.assignment.set_presence(agent, "online")

    @api.post("/api/console/logout")
    async def logout(request: Request, agent: CurrentAgent) -> dict[str, str]:
        await desk.assignment.set_presence(agent, "offline")
        request.session.clear()
        return {"status": "signed out"}

    @api.get("/api/console/me")
    async def me(agent: CurrentAgent) -> dict[str, Any]:
        return agent_dict(agent)

    @api.put("/api/console/me/presence")
    async def presence(body: PresenceIn, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.assignment.set_presence(agent, body.presence)

    @api.get("/api/console/queue")
    async def queue(agent: CurrentAgent) -> list[dict[str, Any]]:
        return await desk.transcripts.queue()

    @api.get("/api/console/agents")
    async def agents(agent: CurrentAgent) -> list[dict[str, Any]]:
        return await desk.directory.agents()

    @api.get("/api/console/canned")
    async def canned(agent: CurrentAgent, q: str = "") -> list[dict[str, Any]]:
        return await desk.directory.canned(q)

    @api.get("/api/console/conversations/{conversation_id}")
    async def conversation(conversation_id: int, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.transcripts.conversation(conversation_id)

    @api.post("/api/console/conversations/{conversation_id}/claim")
    async def claim(
        conversation_id: int, agent: CurrentAgent, after: BackgroundTasks
    ) -> dict[str, Any]:
        notice = await desk.assignment.claim(conversation_id, agent)
        # the customer hears that the agent joined once the agent's console has the chat
        after.add_task(desk.assignment.announce, notice)
        return await desk.transcripts.conversation(conversation_id)

    @api.post("/api/console/conversations/{conversation_id}/messages")
    async def reply(conversation_id: int, body: ReplyIn, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.replies.write(conversation_id, agent, body.text, body.private)

    @api.post("/api/console/conversations/{conversation_id}/transfer")
    async def transfer(
        conversation_id: int, body: TransferIn, agent: CurrentAgent
    ) -> dict[str, Any]:
        await desk.assignment.transfer(conversation_id, agent, body.agent_id)
        return await desk.transcripts.conversation(conversation_id)

    @api.post("/api/console/conversations/{conversation_id}/handback")
    async def hand_back(conversation_id: int, agent: CurrentAgent) -> dict[str, Any]:
        await desk.assignment.hand_back(conversation_id, agent)
        return await desk.transcripts.conversation(conversation_id)

    @api.post("/api/console/conversations/{conversation_id}/resolve")
    async def resolve(conversation_id: int, body: ResolveIn, agent: CurrentAgent) -> dict[str, Any]:
        await desk.statuses.resolve_chat(conversation_id, agent, body.solution)
        return await desk.transcripts.conversation(conversation_id)

    @api.get("/api/console/tickets")
    async def tickets(
        agent: CurrentAgent,
        status: str = "",
        severity: str = "",
        category: str = "",
        sla: str = "",
        assignee: str = "",
        channel: str = "",
        language: str = "",
        q: str = Query("", max_length=200),
        limit: int = Query(50, ge=1, le=200),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        """Every ticket, filtered and searched (number, customer, text)."""
        wanted = TicketFilter(
            status, severity, category, sla, assignee, channel, language, q, limit, offset
        )
        return await desk.listing.search(wanted, agent)

    @api.get("/api/console/tickets/{number}")
    async def ticket(number: int, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.listing.detail(number)

    @api.post("/api/console/tickets/{number}/take")
    async def take(number: int, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.casework.take(number, agent)

    @api.post("/api/console/tickets/{number}/messages")
    async def ticket_reply(number: int, body: ReplyIn, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.casework.write(number, agent, body.text, body.private)

    @api.post("/api/console/tickets/{number}/status")
    async def ticket_status(
        number: int, body: TicketStatusIn, agent: CurrentAgent
    ) -> dict[str, Any]:
        return await desk.statuses.move(number, agent, body.status, body.note)

    @api.post("/api/console/tickets/{number}/correct")
    async def correct(number: int, body: CorrectIn, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.casework.correct(number, agent, body.category, body.severity, body.reason)

    @api.post("/api/console/tickets/{number}/notes")
    async def note(number: int, body: NoteIn, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.casework.note(number, agent, body.text)

    @api.put("/api/console/customers/{customer_id}/tier")
    async def tier(customer_id: int, body: TierIn, agent: CurrentAgent) -> dict[str, Any]:
        """A customer's tier (supervisors and admins): VIP customers wait in their own lane."""
        return await desk.tiers.set_tier(customer_id, body.tier, agent)

    @api.websocket("/ws/console")
    async def live(socket: WebSocket) -> None:
        agent = await agent_of(socket)
        if agent is None:
            await socket.close(code=1008, reason="sign in first")
            return
        await socket.accept()
        events = hub.subscribe()
        receiver = asyncio.create_task(_drain_client(socket))
        try:
            await socket.send_json({"type": "hello", "agent": agent_dict(agent)})
            while not receiver.done():
                getter = asyncio.create_task(events.get())
                done, _ = await asyncio.wait(
                    {getter, receiver}, return_when=asyncio.FIRST_COMPLETED
                )
                if getter in done:
                    await socket.send_json(getter.result())
                else:
                    getter.cancel()
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            hub.unsubscribe(events)
            receiver.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await receiver

    return api


async def _drain_client(socket: WebSocket) -> None:
    """Reads (and ignores) what the console sends, so a closed socket is noticed."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await socket.receive_text()
