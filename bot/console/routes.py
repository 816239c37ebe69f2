"""The agent console: its page and files, signing in and out, the agent's own settings, and the
chats; the tickets, admin and live routes are their own modules, included here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    HTTPException,
    Request,
    Response,
)
from fastapi.responses import FileResponse

from bot.console.access import CurrentAgent, Member, signed_in
from bot.console.admin_routes import admin_router
from bot.console.bodies import LoginIn, PasswordIn, PresenceIn, ReplyIn, ResolveIn, TransferIn
from bot.console.knowledge_routes import knowledge_router
from bot.console.live import live_router
from bot.console.parts import AdminParts, ConsoleDoor, DeskParts
from bot.console.report_routes import report_router
from bot.console.sessions import COOKIE, SignedIn
from bot.console.ticket_routes import ticket_router
from bot.events import Hub
from bot.limits import address_of
from bot.models import Agent
from bot.views import agent_dict

STATIC = Path(__file__).with_name("static")


def console_router(desk: DeskParts, admin: AdminParts, hub: Hub, door: ConsoleDoor) -> APIRouter:
    api = APIRouter(tags=["agent console"], dependencies=[Depends(signed_in)])

    def set_cookie(response: Response, key: str) -> None:
        response.set_cookie(
            COOKIE,
            key,
            max_age=door.sessions.max_age,
            httponly=True,
            samesite="strict",
            secure=door.sessions.secure_cookie,
            path="/",
        )

    def me_dict(signed: SignedIn, agent: Agent) -> dict[str, Any]:
        return {**agent_dict(agent), "csrf_token": signed.csrf_token}

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

    @api.post(
        "/api/console/login",
        responses={401: {"description": "wrong login"}, 429: {"description": "throttled"}},
    )
    async def login(body: LoginIn, request: Request, response: Response) -> dict[str, Any]:
        """Signs in; the answer carries `csrf_token`, sent back as `X-CSRF-Token` on every
        state-changing console request."""
        key, signed = await door.sign_in.login(body.email, body.password, address_of(request))
        set_cookie(response, key)
        return {
            **await desk.assignment.set_presence(signed.agent, "online"),
            "csrf_token": signed.csrf_token,
        }

    @api.post("/api/console/logout")
    async def logout(staff: Member, response: Response) -> dict[str, str]:
        await desk.assignment.set_presence(staff.agent, "offline")
        await door.sessions.end(staff.session_id)
        response.delete_cookie(COOKIE, path="/")
        return {"status": "signed out"}

    @api.get("/api/console/me")
    async def me(staff: Member) -> dict[str, Any]:
        return me_dict(staff, staff.agent)

    @api.post("/api/console/me/password")
    async def change_password(
        body: PasswordIn, staff: Member, response: Response
    ) -> dict[str, Any]:
        """Every session of the account ends (other consoles are signed out); this console
        gets a fresh one."""
        key, signed = await door.sign_in.change_password(staff, body.current, body.new)
        set_cookie(response, key)
        return me_dict(signed, signed.agent)

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

    api.include_router(ticket_router(desk))
    api.include_router(admin_router(desk, admin, hub, door))
    api.include_router(knowledge_router(admin.knowledge, admin.changes))
    api.include_router(report_router(desk.reports, desk.qa, desk.transcripts))
    api.include_router(live_router(hub, door))
    return api
