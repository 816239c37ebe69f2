"""The console's admin routes (the admin role): the admin page, the team's accounts (invited,
changed, reset, deactivated and activated), canned responses, training runs and the model the
assistant answers with, and a customer's data exported or erased."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse

from bot.console.access import CurrentAgent, signed_in
from bot.console.bodies import AgentIn, CannedIn, InviteIn
from bot.console.parts import AdminParts, ConsoleDoor, DeskParts
from bot.events import Hub

STATIC = Path(__file__).with_name("static")
PREFIX = "/api/console/admin"


def admin_router(desk: DeskParts, admin: AdminParts, hub: Hub, door: ConsoleDoor) -> APIRouter:
    api = APIRouter(tags=["admin"], dependencies=[Depends(signed_in)])

    @api.get("/console/admin", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "admin.html")

    # --- the team -----------------------------------------------------------------------

    @api.get(f"{PREFIX}/agents")
    async def agents(agent: CurrentAgent) -> list[dict[str, Any]]:
        return await desk.staff.everyone()

    @api.post(f"{PREFIX}/agents")
    async def invite(body: InviteIn, agent: CurrentAgent) -> dict[str, Any]:
        """A new account; `password` is its temporary password, shown this once."""
        account, password = await desk.staff.invite(body.name, body.email, body.role, body.capacity)
        return {"agent": account, "password": password}

    @api.put(f"{PREFIX}/agents/{{agent_id}}")
    async def update(agent_id: int, body: AgentIn, agent: CurrentAgent) -> dict[str, Any]:
        return {
            "agent": await desk.staff.update(agent_id, body.name, body.role, body.capacity, agent)
        }

    @api.post(f"{PREFIX}/agents/{{agent_id}}/password")
    async def reset_password(agent_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """A new temporary password, shown this once; the account's sessions end."""
        account, password = await desk.staff.reset_password(agent_id)
        await door.sessions.end_agent(agent_id)
        return {"agent": account, "password": password}

    @api.post(f"{PREFIX}/agents/{{agent_id}}/deactivate")
    async def deactivate(agent_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """The account can no longer sign in; its sessions and consoles end; the chats it held
        go back to the queue."""
        result = await desk.staff.set_active(agent_id, False, agent)
        await door.sessions.end_agent(agent_id)
        return result

    @api.post(f"{PREFIX}/agents/{{agent_id}}/activate")
    async def activate(agent_id: int, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.staff.set_active(agent_id, True, agent)

    # --- canned responses ---------------------------------------------------------------

    @api.get(f"{PREFIX}/canned")
    async def canned(agent: CurrentAgent) -> list[dict[str, Any]]:
        return await admin.canned.all()

    @api.post(f"{PREFIX}/canned")
    async def add_canned(body: CannedIn, agent: CurrentAgent) -> dict[str, Any]:
        return await admin.canned.save(None, body.shortcut, body.title, body.text_en, body.text_zh)

    @api.put(f"{PREFIX}/canned/{{canned_id}}")
    async def edit_canned(canned_id: int, body: CannedIn, agent: CurrentAgent) -> dict[str, Any]:
        return await admin.canned.save(
            canned_id, body.shortcut, body.title, body.text_en, body.text_zh
        )

    @api.delete(f"{PREFIX}/canned/{{canned_id}}")
    async def delete_canned(canned_id: int, agent: CurrentAgent) -> dict[str, str]:
        await admin.canned.delete(canned_id)
        return {"status": "deleted"}

    # --- training and the active model --------------------------------------------------

    @api.get(f"{PREFIX}/training")
    async def training(agent: CurrentAgent) -> dict[str, Any]:
        return await admin.trainer.overview()

    @api.post(f"{PREFIX}/training", status_code=202)
    async def train(agent: CurrentAgent) -> dict[str, Any]:
        """Starts a training run on the files as they are (409 while one is going)."""
        return await admin.trainer.start(agent)

    @api.get(f"{PREFIX}/training/{{run_id}}")
    async def run(run_id: int, agent: CurrentAgent) -> dict[str, Any]:
        return await admin.trainer.run(run_id)

    @api.post(f"{PREFIX}/training/{{run_id}}/activate")
    async def activate_model(run_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """The assistant answers with this run's model from now on (an earlier one: a
        rollback); messages written meanwhile wait for it, none is lost or answered twice."""
        return await admin.trainer.activate(run_id, agent)

    # --- a customer's data --------------------------------------------------------------

    @api.get(f"{PREFIX}/customers/{{customer_id}}/export")
    async def export_customer(customer_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """Everything kept about one customer (a data subject's access request)."""
        return await desk.privacy.export(customer_id)

    @api.delete(f"{PREFIX}/customers/{{customer_id}}")
    async def erase_customer(customer_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """Deletes the customer with their conversations, messages, tickets and surveys."""
        result = await desk.privacy.erase(customer_id)
        hub.publish({"type": "queue_changed"})
        return result

    return api
