"""Webhook mode: Telegram POSTs each update to `/telegram/webhook` with the secret token."""

from __future__ import annotations

from fastapi import APIRouter, Header, Request, Response

from bot.channels.telegram.channel import SECRET_HEADER, TelegramChannel


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
        accepted = await channel.process_webhook_update(payload, secret)
        return Response(status_code=200 if accepted else 403)

    return api
