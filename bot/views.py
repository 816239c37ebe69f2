"""How the gateway's records look on the wire: JSON for the console and the internal API, and
the customer-side views of the contract. Formatting only; no queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.contract import ConversationView, Reply, TicketView
from bot.db import as_utc
from bot.models import Agent, Conversation, Message, Ticket, TicketEvent


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, or None."""
    return as_utc(moment).isoformat() if moment is not None else None


def conversation_view(conversation: Conversation, ticket: Ticket | None) -> ConversationView:
    return ConversationView(
        id=conversation.id,
        status=conversation.status.value,
        ticket=TicketView(ticket.id, ticket.category, ticket.severity, ticket.status.value)
        if ticket is not None
        else None,
    )


def reply_of(message: Message) -> Reply:
    return Reply.stored(message.author.value, message.text, message.payload)


def message_dict(message: Message) -> dict[str, Any]:
    """A message as the widget's history and the console show it."""
    return {
        "id": message.id,
        "author": message.author.value,
        "text": message.text,
        "buttons": message.payload.get("buttons", []),
        "image": message.payload.get("image"),
        "title": message.payload.get("title"),
        "created_at": iso(message.created_at),
    }


def staff_message_dict(message: Message) -> dict[str, Any]:
    """A message as the console shows it: notes and who wrote it included."""
    return {**message_dict(message), "private": message.private, "agent_id": message.agent_id}


def ticket_dict(ticket: Ticket) -> dict[str, Any]:
    """The whole ticket record (the console; the internal API's TicketInfo is part of it)."""
    return {
        "number": ticket.id,
        "status": ticket.status.value,
        "category": ticket.category,
        "severity": ticket.severity,
        "subject": ticket.subject,
        "description": ticket.description,
        "reasons": ticket.reasons,
        "analysis": ticket.analysis,
        "due_at": iso(ticket.due_at),
        "first_response_due_at": iso(ticket.first_response_due_at),
        "first_response_at": iso(ticket.first_response_at),
        "resolved_at": iso(ticket.resolved_at),
        "solution": ticket.solution,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
    }


def event_dict(event: TicketEvent) -> dict[str, Any]:
    return {
        "actor": event.actor,
        "action": event.action,
        "data": event.data,
        "at": iso(event.created_at),
    }


def agent_dict(agent: Agent) -> dict[str, Any]:
    return {
        "id": agent.id,
        "name": agent.name,
        "email": agent.email,
        "role": agent.role.value,
        "presence": agent.presence.value,
        "capacity": agent.capacity,
    }
