"""The console's tickets: the list with its filters, one ticket whole, and the work on it; a
customer's tier."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from bot.console.access import CurrentAgent, signed_in
from bot.console.bodies import CorrectIn, NoteIn, ReplyIn, TicketStatusIn, TierIn
from bot.console.parts import DeskParts
from bot.desk.ticket_list import TicketFilter


def ticket_router(desk: DeskParts) -> APIRouter:
    api = APIRouter(tags=["agent console"], dependencies=[Depends(signed_in)])

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

    return api
