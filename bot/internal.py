"""The internal API the action server calls (service token): tickets and hand-offs.

The gateway is the only writer of the database; the actions decide, the gateway records.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.desk import Desk, ticket_dict
from bot.models import Conversation, Customer, Ticket, TicketEvent
from bot.routing import open_conversation_of


class TicketIn(BaseModel):
    sender_id: str
    category: str = Field(max_length=40)
    severity: str = Field(pattern="^(light|medium|severe|critical)$")
    subject: str = Field(max_length=300)
    description: str
    reasons: list[str] = []
    language: str = "en"
    first_response_due_at: datetime | None = None
    due_at: datetime | None = None
    analysis: dict[str, Any] = {}


class HandoffIn(BaseModel):
    sender_id: str
    ticket_number: int | None = None
    reasons: list[str] = []
    severity: str = "medium"
    language: str = "en"


def internal_router(sessions: async_sessionmaker[AsyncSession], token: str) -> APIRouter:
    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        expected = f"Bearer {token}"
        if authorization is None or not hmac.compare_digest(authorization, expected):
            raise HTTPException(status_code=401, detail="service token required")

    api = APIRouter(prefix="/internal", dependencies=[Depends(authorised)], include_in_schema=False)

    async def customer_of(session: AsyncSession, sender_id: str) -> Customer:
        customer = await session.scalar(select(Customer).where(Customer.uid == sender_id))
        if customer is None:
            raise HTTPException(status_code=404, detail="unknown customer")
        return customer

    async def open_conversation(session: AsyncSession, customer: Customer) -> Conversation:
        conversation = await open_conversation_of(session, customer.id)
        if conversation is None:
            raise HTTPException(status_code=409, detail="no open conversation")
        return conversation

    @api.post("/tickets", status_code=201)
    async def open_ticket(body: TicketIn, request: Request) -> dict[str, Any]:
        async with sessions() as session:
            customer = await customer_of(session, body.sender_id)
            conversation = await open_conversation(session, customer)
            ticket = Ticket(
                conversation_id=conversation.id,
                customer_id=customer.id,
                category=body.category,
                severity=body.severity,
                subject=body.subject,
                description=body.description,
                reasons=body.reasons,
                analysis=body.analysis,
                language=body.language,
                first_response_due_at=body.first_response_due_at,
                due_at=body.due_at,
            )
            session.add(ticket)
            await session.flush()
            session.add(
                TicketEvent(
                    ticket_id=ticket.id,
                    actor="bot",
                    action="created",
                    data={
                        "severity": body.severity,
                        "category": body.category,
                        "reasons": body.reasons,
                    },
                )
            )
            await session.commit()
            return ticket_dict(ticket)

    @api.get("/tickets/{number}")
    async def ticket(number: int, sender_id: str = Query()) -> dict[str, Any]:
        async with sessions() as session:
            customer = await customer_of(session, sender_id)
            found = await session.get(Ticket, number)
            if found is None or found.customer_id != customer.id:
                raise HTTPException(status_code=404, detail="no such ticket")
            return ticket_dict(found)

    @api.get("/tickets")
    async def tickets(sender_id: str = Query()) -> list[dict[str, Any]]:
        async with sessions() as session:
            customer = await customer_of(session, sender_id)
            rows = await session.scalars(
                select(Ticket).where(Ticket.customer_id == customer.id).order_by(Ticket.id.desc())
            )
            return [ticket_dict(t) for t in rows]

    @api.post("/handoffs")
    async def hand_off(body: HandoffIn, request: Request) -> dict[str, Any]:
        desk: Desk = request.app.state.desk
        async with sessions() as session:
            customer = await customer_of(session, body.sender_id)
            conversation = await open_conversation(session, customer)
            return await desk.escalate(
                conversation, session, body.severity, body.reasons, body.language
            )

    return api
