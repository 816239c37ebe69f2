"""The console's admin routes (the admin role): accounts deactivated and activated, and a
customer's data exported or erased."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from bot.console.access import CurrentAgent, signed_in
from bot.console.parts import ConsoleDoor, DeskParts
from bot.events import Hub


def admin_router(desk: DeskParts, hub: Hub, door: ConsoleDoor) -> APIRouter:
    api = APIRouter(tags=["admin"], dependencies=[Depends(signed_in)])

    @api.post("/api/console/admin/agents/{agent_id}/deactivate")
    async def deactivate(agent_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """The account can no longer sign in; its sessions and consoles end; the chats it held
        go back to the queue."""
        result = await desk.staff.set_active(agent_id, False, agent)
        await door.sessions.end_agent(agent_id)
        return result

    @api.post("/api/console/admin/agents/{agent_id}/activate")
    async def activate(agent_id: int, agent: CurrentAgent) -> dict[str, Any]:
        return await desk.staff.set_active(agent_id, True, agent)

    @api.get("/api/console/admin/customers/{customer_id}/export")
    async def export_customer(customer_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """Everything kept about one customer (a data subject's access request)."""
        return await desk.privacy.export(customer_id)

    @api.delete("/api/console/admin/customers/{customer_id}")
    async def erase_customer(customer_id: int, agent: CurrentAgent) -> dict[str, Any]:
        """Deletes the customer with their conversations, messages, tickets and surveys."""
        result = await desk.privacy.erase(customer_id)
        hub.publish({"type": "queue_changed"})
        return result

    return api
