"""The internal API the action server calls (service token): tickets and hand-offs.

It is its own app, served on a loopback port beside the public one (`InternalServer`), never
on the public port. The gateway is the only writer of the database; the actions decide, the
gateway records. The wire format is `bot/wire/internal_api.py`, which the action server's
client uses too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, Any

import uvicorn
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query

from bot.desk.handoff import Handoffs
from bot.desk.tickets import Tickets
from bot.keys import same_secret
from bot.wire.internal_api import (
    HANDOFFS_PATH,
    PRESENCE_PATH,
    TICKETS_PATH,
    HandoffInfo,
    HandoffRequest,
    PresenceInfo,
    TicketRequest,
)


def internal_router(tickets: Tickets, handoffs: Handoffs, token: str) -> APIRouter:
    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        expected = f"Bearer {token}"
        if not same_secret(authorization, expected):
            raise HTTPException(status_code=401, detail="service token required")

    api = APIRouter(dependencies=[Depends(authorised)], include_in_schema=False)

    @api.post(TICKETS_PATH, status_code=201)
    async def open_ticket(body: TicketRequest) -> dict[str, Any]:
        return await tickets.open(body)

    @api.get(TICKETS_PATH + "/{number}")
    async def ticket(number: int, sender_id: str = Query()) -> dict[str, Any]:
        [found] = await tickets.of_customer(sender_id, number)
        return found

    @api.get(TICKETS_PATH)
    async def customer_tickets(sender_id: str = Query()) -> list[dict[str, Any]]:
        return await tickets.of_customer(sender_id)

    @api.get(PRESENCE_PATH)
    async def presence(
        language: str = Query("en", pattern="^(en|zh)$"), hours: int = Query(24, ge=1, le=720)
    ) -> PresenceInfo:
        return await handoffs.presence(language, hours)

    @api.post(HANDOFFS_PATH)
    async def hand_off(body: HandoffRequest) -> HandoffInfo:
        return await handoffs.request(body)

    return api


def internal_app(tickets: Tickets, handoffs: Handoffs, token: str) -> FastAPI:
    app = FastAPI(title="LERA Desk internal API", openapi_url=None, docs_url=None, redoc_url=None)
    app.include_router(internal_router(tickets, handoffs, token))
    return app


class InternalServer(uvicorn.Server):
    """The internal app on 127.0.0.1, inside the gateway's process and event loop; the
    gateway's own server keeps the signals and stops this one on shutdown."""

    def __init__(self, app: FastAPI, port: int) -> None:
        super().__init__(
            uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
        )

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield
