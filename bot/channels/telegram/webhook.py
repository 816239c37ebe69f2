"""Webhook mode: Telegram POSTs each update to `/telegram/webhook` with the secret token; it is
answered once the update's message is stored (500 when it could not be: Telegram sends it
again, and the router's message id makes a second delivery a duplicate)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Header, Request, Response
from telegram import Update

from bot.channels.telegram.channel import SECRET_HEADER, TelegramChannel
from bot.channels.telegram.receiving import well_formed

logger = logging.getLogger(__name__)


def webhook_router(channel: TelegramChannel) -> APIRouter:
    api = APIRouter()

    @api.post(
        "/telegram/webhook",
        tags=["telegram channel"],
        summary="Updates from Telegram (webhook mode)",
        responses={403: {"description": "wrong or missing secret token"}},
        include_in_schema=False,
    )
    async def telegram_webhook(
        request: Request,
        secret: str | None = Header(default=None, alias=SECRET_HEADER),
    ) -> Response:
        if not channel.verify_secret(secret):
            return Response(status_code=403)
        if not channel.running:
            return Response(status_code=503)  # Telegram retries later
        try:
            payload = await request.json()
        except (ValueError, RecursionError):  # not JSON, or nested past reason
            return Response(status_code=400)
        if not isinstance(payload, dict):
            return Response(status_code=400)
        try:
            update = Update.de_json(payload, channel.application.bot)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            update = None
        if update is None or not well_formed(update):
            # the update's id only: its texts and names stay out of the logs
            logger.warning("ignored a malformed Telegram update %s", payload.get("update_id"))
            return Response(status_code=200)  # sending it again would not make it better
        stored = await channel.receive(update)
        return Response(status_code=200 if stored else 500)  # 500: Telegram sends it again

    return api
