"""The web channel: the embeddable widget's sockets (every tab a customer has open), what the
widget and the HTTP endpoint exchange, and a customer's history. The routes are
`web_routes.py`."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contract import ConversationView, Reply
from bot.events import RedisBridge, Relay
from bot.queries import current_ticket_of, customer_on, latest_conversation_of, visible_history
from bot.views import conversation_view, message_dict

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent.parent / "static"
SENDER = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:@-]+$")


class WebMessageIn(BaseModel):
    """Shaped like Rasa's REST channel: a button press is sent as its payload."""

    sender: str = SENDER
    message: str = Field(max_length=100_000)


class CustomerIn(BaseModel):
    """`identity`: the shop's signed token for a signed-in customer; none for a guest."""

    identity: str | None = Field(default=None, max_length=4096)


class CustomerOut(BaseModel):
    sender: str
    customer_token: str


class ButtonOut(BaseModel):
    title: str
    payload: str


class ReplyOut(BaseModel):
    author: str = "bot"
    text: str | None = None
    buttons: list[ButtonOut] = []
    image: str | None = None


class WebMessageOut(BaseModel):
    replies: list[ReplyOut]
    conversation: ConversationView
    customer_token: str


class HistoryOut(BaseModel):
    messages: list[dict[str, Any]]
    conversation: ConversationView | None


class WidgetMessage(BaseModel):
    type: str
    message: str = Field(default="", max_length=100_000)
    client_id: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, max_length=200)


class WebChannel:
    """Delivers to the customer's open widget sockets (every tab they have open)."""

    name = "web"

    def __init__(self) -> None:
        self._sockets: dict[str, set[WebSocket]] = {}
        self._relay: Relay | None = None

    def bridge_with(self, bridge: RedisBridge) -> None:
        """Pushes go to the sockets this replica holds and, through the bridge, to those the
        other replicas hold."""
        self._relay = bridge.carry("web", self._arrived)

    async def _arrived(self, payload: dict[str, Any]) -> None:
        await self._push(str(payload["sender"]), payload["event"])

    def attach(self, sender: str, socket: WebSocket) -> None:
        self._sockets.setdefault(sender, set()).add(socket)

    def detach(self, sender: str, socket: WebSocket) -> None:
        sockets = self._sockets.get(sender, set())
        sockets.discard(socket)
        if not sockets:
            self._sockets.pop(sender, None)

    async def _send(self, sender: str, event: dict[str, Any]) -> None:
        await self._push(sender, event)
        if self._relay is not None:
            self._relay({"sender": sender, "event": event})

    async def _push(self, sender: str, event: dict[str, Any]) -> None:
        for socket in list(self._sockets.get(sender, ())):
            try:
                await socket.send_json(event)
            except (RuntimeError, WebSocketDisconnect):
                self.detach(sender, socket)

    async def deliver(self, external_id: str, replies: Sequence[Reply]) -> None:
        for reply in replies:
            await self._send(external_id, {"type": "bot_uttered", **reply.as_dict()})

    async def conversation_changed(self, external_id: str, view: ConversationView) -> None:
        await self._send(external_id, {"type": "conversation", "conversation": view.as_dict()})


async def widget_history(
    sessions: async_sessionmaker[AsyncSession], sender: str, limit: int = 200
) -> tuple[list[dict[str, Any]], ConversationView | None]:
    """The widget customer's visible messages, oldest first, and their latest conversation."""
    async with sessions() as session:
        customer = await customer_on(session, WebChannel.name, sender)
        if customer is None:
            return [], None
        messages = [message_dict(m) for m in await visible_history(session, customer.id, limit)]
        conversation = await latest_conversation_of(session, customer.id)
        if conversation is None:
            return messages, None
        ticket = await current_ticket_of(session, conversation.id)
        return messages, conversation_view(conversation, ticket)
