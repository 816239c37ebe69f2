"""The web channel: the embeddable widget (WebSocket) and the HTTP endpoint for integrations."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.contract import ConversationView, Inbound, InboundRouter, InvalidMessage, Reply
from bot.queries import current_ticket_of, customer_on, latest_conversation_of, visible_history
from bot.views import conversation_view, message_dict

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent.parent / "static"
SENDER = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:@-]+$")


class WebMessageIn(BaseModel):
    """Shaped like Rasa's REST channel: a button press is sent as its payload."""

    sender: str = SENDER
    message: str = Field(max_length=100_000)


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


class HistoryOut(BaseModel):
    messages: list[dict[str, Any]]
    conversation: ConversationView | None


class WidgetMessage(BaseModel):
    type: str
    message: str = Field(default="", max_length=100_000)
    client_id: str | None = Field(default=None, max_length=100)
    title: str | None = None


class WebChannel:
    """Delivers to the customer's open widget sockets (every tab they have open)."""

    name = "web"

    def __init__(self) -> None:
        self._sockets: dict[str, set[WebSocket]] = {}

    def attach(self, sender: str, socket: WebSocket) -> None:
        self._sockets.setdefault(sender, set()).add(socket)

    def detach(self, sender: str, socket: WebSocket) -> None:
        sockets = self._sockets.get(sender, set())
        sockets.discard(socket)
        if not sockets:
            self._sockets.pop(sender, None)

    async def _send(self, sender: str, event: dict[str, Any]) -> None:
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


def web_router(
    router: InboundRouter, channel: WebChannel, sessions: async_sessionmaker[AsyncSession]
) -> APIRouter:
    api = APIRouter()

    @api.post(
        "/api/web/messages",
        response_model=WebMessageOut,
        tags=["web channel"],
        summary="Send a customer message, get the replies",
        responses={422: {"description": "empty or malformed message"}},
    )
    async def post_message(body: WebMessageIn) -> WebMessageOut:
        """Like Rasa's REST channel: the same `sender` continues the same conversation.

        The message is stored before anything else. If the assistant is unavailable the reply
        is a holding message and the real answer follows on the customer's channel."""
        outcome = await router.handle(
            Inbound(channel=channel.name, external_id=body.sender, text=body.message)
        )
        return WebMessageOut.model_validate(
            {
                "replies": [r.as_dict() for r in outcome.replies],
                "conversation": outcome.conversation,
            }
        )

    @api.get("/api/web/history", response_model=HistoryOut, tags=["web channel"])
    async def history(sender: str = Query(min_length=1, max_length=128)) -> HistoryOut:
        messages, view = await widget_history(sessions, sender)
        return HistoryOut(messages=messages, conversation=view)

    @api.websocket("/ws/web")
    async def widget_socket(socket: WebSocket, sender: str, lang: str | None = None) -> None:
        try:
            WebMessageIn(sender=sender, message="")
        except ValidationError:
            await socket.close(code=1008, reason="invalid sender")
            return
        await socket.accept()
        channel.attach(sender, socket)
        try:
            messages, view = await widget_history(sessions, sender)
            await socket.send_json(
                {
                    "type": "history",
                    "messages": messages,
                    "conversation": view.as_dict() if view else None,
                }
            )
            while True:
                await _receive(socket, sender, lang, router)
        except WebSocketDisconnect:
            pass
        finally:
            channel.detach(sender, socket)

    @api.get("/", include_in_schema=False)
    async def demo_page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @api.get("/widget.js", include_in_schema=False)
    async def widget_js(request: Request) -> FileResponse:
        return FileResponse(STATIC / "widget.js", media_type="text/javascript")

    @api.get("/widget.css", include_in_schema=False)
    async def widget_css() -> FileResponse:
        return FileResponse(STATIC / "widget.css", media_type="text/css")

    return api


async def _receive(socket: WebSocket, sender: str, lang: str | None, router: InboundRouter) -> None:
    """One event from the widget: a customer message, answered on the same socket."""
    raw = await socket.receive_json()
    try:
        event = WidgetMessage.model_validate(raw)
    except ValidationError:
        await socket.send_json({"type": "error", "message": "malformed event"})
        return
    if event.type != "user_uttered":
        return
    client_id = event.client_id or uuid.uuid4().hex

    async def stored() -> None:
        await socket.send_json({"type": "ack", "client_id": client_id})
        await socket.send_json({"type": "typing", "on": True})

    try:
        outcome = await router.handle(
            Inbound(
                channel=WebChannel.name,
                external_id=sender,
                text=event.message,
                message_id=f"{sender}:{client_id}",
                language=lang if lang in ("en", "zh") else None,
                title=event.title,
            ),
            on_stored=stored,
        )
    except InvalidMessage as error:
        await socket.send_json({"type": "error", "message": str(error), "client_id": client_id})
        return
    await socket.send_json({"type": "typing", "on": False})
    if not outcome.duplicate:
        for reply in outcome.replies:
            await socket.send_json({"type": "bot_uttered", **reply.as_dict()})
    await socket.send_json({"type": "conversation", "conversation": outcome.conversation.as_dict()})
