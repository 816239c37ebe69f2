"""How the gateway's records look on the wire: JSON for the console and the internal API, and
the customer-side views of the contract. Formatting only; no queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.contract import ConversationView, Reply, TicketView
from bot.db import as_utc
from bot.models import Agent, Conversation, Customer, Message, Survey, Ticket, TicketEvent


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
        "priority": ticket.priority,
        "reopen_count": ticket.reopen_count,
        "repeat_of": ticket.repeat_of_id,
        "waiting_for": ticket.waiting_for,
        "closed_at": iso(ticket.closed_at),
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


def message_event(conversation: Conversation, message: dict[str, Any]) -> dict[str, Any]:
    """The console's live event for a new message in a chat; `agent_id` is who may see it
    besides supervisors (None: every agent, while the chat waits in the queue)."""
    return {
        "type": "message",
        "conversation_id": conversation.id,
        "agent_id": conversation.assigned_agent_id,
        "message": message,
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


def customer_dict(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "name": customer.name,
        "tier": customer.tier,
        "channel": customer.channel,
        "language": customer.language,
    }


def ticket_row(ticket: Ticket, sla_state: str, conversation_status: str | None) -> dict[str, Any]:
    """A ticket as the console's ticket list shows it."""
    assignee = ticket.assignee
    return {
        "number": ticket.id,
        "status": ticket.status.value,
        "category": ticket.category,
        "severity": ticket.severity,
        "priority": ticket.priority,
        "subject": ticket.subject,
        "channel": ticket.customer.channel,
        "language": ticket.language,
        "customer": customer_dict(ticket.customer),
        "assignee": {"id": assignee.id, "name": assignee.name} if assignee else None,
        "due_at": iso(ticket.due_at),
        "sla_state": sla_state,
        "reopen_count": ticket.reopen_count,
        "repeat_of": ticket.repeat_of_id,
        "conversation_id": ticket.conversation_id,
        "conversation_status": conversation_status,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
    }


def survey_dict(survey: Survey) -> dict[str, Any]:
    return {
        "kind": survey.kind.value,
        "status": survey.status.value,
        "step": survey.step.value,
        "csat": survey.csat,
        "solved": survey.solved,
        "nps": survey.nps,
        "comment": survey.comment,
        "asked_at": iso(survey.asked_at),
        "answered_at": iso(survey.answered_at),
    }
