"""The web channel's routes: a customer identity for the widget, the HTTP endpoint for
integrations, the history, the widget's WebSocket, and the demo page with the widget's files.

A customer is opened only with their token (`identity.py`): the widget asks for an identity
first (`POST /api/web/customers`); an integration's first message for a new sender needs no
credential and its answer carries the token; every later call sends it as a Bearer token (the
WebSocket may pass it as `token=`).
"""

from __future__ import annotations

import hashlib
import uuid

from fastapi import APIRouter, Header, HTTPException, Query, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import FileResponse
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.identity import SHOP_PREFIX, CustomerKeys, bearer
from bot.channels.web import (
    STATIC,
    CustomerIn,
    CustomerOut,
    HistoryOut,
    WebChannel,
    WebMessageIn,
    WebMessageOut,
    WidgetMessage,
    widget_history,
)
from bot.contract import Inbound, InboundRouter, InvalidMessage, storable
from bot.limits import Limits, address_of
from bot.models import Customer
from bot.queries import customer_on

MESSAGE_ID_CHARS = 128  # messages.channel_message_id
NOT_YOURS = "this sender is opened with its customer token (Authorization: Bearer …)"
FORBIDDEN_CLOSE = 4403  # the widget socket's close codes: wrong token, too many connections
TOO_MANY_CLOSE = 4429


def web_router(
    router: InboundRouter,
    channel: WebChannel,
    sessions: async_sessionmaker[AsyncSession],
    keys: CustomerKeys,
    limits: Limits,
    max_frame: int,
) -> APIRouter:
    api = APIRouter()

    async def within_limit(rule: str, address: str) -> None:
        verdict = await limits.hit(rule, address)
        if not verdict.allowed:
            raise HTTPException(
                status_code=429,
                detail="too many requests from this address; try again shortly",
                headers={"Retry-After": str(verdict.retry_after)},
            )

    async def known(sender: str) -> bool:
        async with sessions() as session:
            return await customer_on(session, WebChannel.name, sender) is not None

    @api.post(
        "/api/web/customers",
        response_model=CustomerOut,
        status_code=201,
        tags=["web channel"],
        summary="A customer identity for the widget: sender id and customer token",
        responses={403: {"description": "the shop's signed identity is not valid"}},
    )
    async def new_customer(body: CustomerIn, request: Request) -> CustomerOut:
        """A guest gets a fresh random sender; a shop customer (signed `identity`) always gets
        the same sender, with their name and tier, on every device."""
        await within_limit("identity_address", address_of(request))
        if body.identity is None:
            sender = keys.new_sender()
        else:
            shop = keys.shop_customer(body.identity)
            sender = shop.sender
            async with sessions() as session:
                customer = await customer_on(session, WebChannel.name, sender)
                if customer is None:
                    customer = Customer(channel=WebChannel.name, external_id=sender)
                    session.add(customer)
                customer.display_name = storable(shop.name) if shop.name else customer.display_name
                customer.tier = shop.tier or customer.tier or "standard"
                await session.commit()
        return CustomerOut(sender=sender, customer_token=keys.token_for(sender))

    @api.post(
        "/api/web/messages",
        response_model=WebMessageOut,
        tags=["web channel"],
        summary="Send a customer message, get the replies",
        responses={
            403: {"description": "a known sender without its customer token"},
            422: {"description": "empty or malformed message"},
            429: {"description": "too many messages from this address"},
        },
    )
    async def post_message(
        body: WebMessageIn,
        request: Request,
        authorization: str | None = Header(default=None, max_length=300),
    ) -> WebMessageOut:
        """Like Rasa's REST channel: the same `sender` continues the same conversation.

        A new sender needs no credential; the answer carries its `customer_token`, which every
        later call for that sender sends as `Authorization: Bearer <customer_token>`. The
        message is stored before anything else. If the assistant is unavailable the reply
        is a holding message and the real answer follows on the customer's channel."""
        await within_limit("message_address", address_of(request))
        credential = bearer(authorization)
        if not keys.opens(body.sender, credential) and (
            body.sender.startswith(SHOP_PREFIX) or await known(body.sender)
        ):
            raise HTTPException(status_code=403, detail=NOT_YOURS)
        outcome = await router.handle(
            Inbound(channel=channel.name, external_id=body.sender, text=body.message)
        )
        return WebMessageOut.model_validate(
            {
                "replies": [r.as_dict() for r in outcome.replies],
                "conversation": outcome.conversation,
                "customer_token": keys.token_for(body.sender),
            }
        )

    @api.get(
        "/api/web/history",
        response_model=HistoryOut,
        tags=["web channel"],
        responses={403: {"description": "no customer token for this sender"}},
    )
    async def history(
        sender: str = Query(min_length=1, max_length=128),
        authorization: str | None = Header(default=None, max_length=300),
    ) -> HistoryOut:
        if not keys.opens(sender, bearer(authorization)):
            raise HTTPException(status_code=403, detail=NOT_YOURS)
        messages, view = await widget_history(sessions, sender)
        return HistoryOut(messages=messages, conversation=view)

    @api.websocket("/ws/web")
    async def widget_socket(
        socket: WebSocket, sender: str, token: str | None = None, lang: str | None = None
    ) -> None:
        try:
            WebMessageIn(sender=sender, message="")
        except ValidationError:
            await socket.close(code=1008, reason="invalid sender")
            return
        await socket.accept()
        if not (await limits.hit("connect_address", address_of(socket))).allowed:
            await socket.close(code=TOO_MANY_CLOSE, reason="too many connections; try later")
            return
        if not keys.opens(sender, token or bearer(socket.headers.get("authorization"))):
            await socket.close(code=FORBIDDEN_CLOSE, reason="customer token required")
            return
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
                await _receive(socket, sender, lang, router, max_frame)
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


def widget_message_id(sender: str, client_id: str) -> str:
    """The channel's id of a widget message, within the column's 128 characters."""
    plain = f"{sender}:{client_id}"
    if len(plain) <= MESSAGE_ID_CHARS:
        return plain
    return "w#" + hashlib.sha256(plain.encode("utf-8", "replace")).hexdigest()


async def _receive(
    socket: WebSocket, sender: str, lang: str | None, router: InboundRouter, max_frame: int
) -> None:
    """One event from the widget: a customer message, answered on the same socket."""
    received = await socket.receive()
    if received["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(received.get("code", 1000))
    frame = received.get("text") or (received.get("bytes") or b"").decode("utf-8", "replace")
    if len(frame) > max_frame:
        await socket.send_json({"type": "error", "message": "the event is too large"})
        return
    try:
        event = WidgetMessage.model_validate_json(frame)
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
                message_id=widget_message_id(sender, client_id),
                language=lang if lang in ("en", "zh") else None,
                title=event.title,
            ),
            on_stored=stored,
        )
    except InvalidMessage as error:
        await socket.send_json({"type": "error", "message": str(error), "client_id": client_id})
        return
    await socket.send_json({"type": "typing", "on": False})
    if outcome.duplicate:  # sent again (its ack was lost): acknowledged, answered once
        await socket.send_json({"type": "ack", "client_id": client_id})
    else:
        for reply in outcome.replies:
            await socket.send_json({"type": "bot_uttered", **reply.as_dict()})
    await socket.send_json({"type": "conversation", "conversation": outcome.conversation.as_dict()})
