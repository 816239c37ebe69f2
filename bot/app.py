"""Builds the gateway's ASGI app: database, Rasa client, channels, internal API, retry loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from bot.assets import assets_router
from bot.channels.web import WebChannel, web_router
from bot.console.routes import console_router
from bot.db import make_engine, migrate, sessions
from bot.desk import Desk
from bot.events import Hub
from bot.internal import internal_router
from bot.rasa import RasaClient
from bot.routing import Router
from bot.seed import seed_demo
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    session_factory = sessions(engine)
    rasa = RasaClient(settings.rasa_base_url, settings.rasa_timeout_seconds)
    router = Router(session_factory, rasa, settings)
    web = WebChannel()
    router.register(web)
    hub = Hub()
    desk = Desk(session_factory, router, rasa, hub, settings)
    telegram = None
    if settings.telegram_token is not None:
        from bot.channels.telegram import TelegramChannel, webhook_router

        telegram = TelegramChannel.from_settings(settings, router)
        router.register(telegram)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await migrate(engine)
        if settings.demo_seed:
            await seed_demo(session_factory, Path(settings.demo_login_file))
        if telegram is not None:
            await telegram.start()
        retry = asyncio.create_task(router.retry_forever())
        try:
            yield
        finally:
            retry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await retry
            if telegram is not None:
                await telegram.stop()
            await rasa.close()
            await engine.dispose()

    app = FastAPI(
        title="LERA Desk gateway",
        description="Customer messages in, replies out: web widget, Telegram, integrations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.router = router
    app.state.sessions = session_factory
    app.state.desk = desk
    app.state.hub = hub
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret.get_secret_value(),
        session_cookie="lera_console",
        same_site="lax",
        https_only=settings.public_url.startswith("https://"),
    )
    app.include_router(web_router(router, web))
    app.include_router(console_router(desk, hub))
    app.include_router(internal_router(session_factory, settings.service_token.get_secret_value()))
    if telegram is not None and settings.telegram_mode == "webhook":
        app.include_router(webhook_router(telegram))

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(assets_router())  # the browser's ES modules
    return app
