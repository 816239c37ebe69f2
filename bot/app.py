"""Builds the gateway's ASGI app: database, Rasa client, channels, desk, internal API, retries.

The parts, bottom up: the contract (`contract.py`, `errors.py`), the data (`models/`,
`queries.py`, `views.py`), the way out to customers (`delivery.py`), the help desk (`desk/`),
the router (`routing.py`, `retry.py`), and the doors: channels, the console, the internal API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from bot.admin.changes import ChangeLog
from bot.admin.knowledge import Knowledge
from bot.admin.problems import InvalidChange
from bot.admin.training import Trainer
from bot.assets import assets_router
from bot.assistant import Assistant
from bot.channels.identity import CustomerKeys
from bot.channels.web import WebChannel
from bot.channels.web_routes import web_router
from bot.console.auth import SignIn
from bot.console.parts import AdminParts, ConsoleDoor, DeskParts
from bot.console.routes import console_router
from bot.console.sessions import ConsoleSessions
from bot.db import make_engine, migrate, sessions
from bot.delivery import Delivery
from bot.demo_history import seed_history
from bot.desk.assignment import Assignment
from bot.desk.canned import CannedReplies
from bot.desk.case_status import CaseStatus
from bot.desk.casework import CaseWork
from bot.desk.directory import Directory
from bot.desk.ending import Endings
from bot.desk.feedback import Feedback
from bot.desk.handoff import Handoffs
from bot.desk.privacy import Privacy
from bot.desk.replies import Replies
from bot.desk.staff import Staff
from bot.desk.ticket_list import TicketList
from bot.desk.tickets import Tickets
from bot.desk.tiers import Tiers
from bot.desk.transcripts import Transcripts
from bot.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unavailable
from bot.events import Hub, RedisBridge
from bot.guards import BodyLimit, OriginCheck, SecurityHeaders
from bot.internal import InternalServer, internal_app
from bot.limits import Limits
from bot.locks import KeyedLocks
from bot.monitor import Monitor
from bot.ops import ops_router
from bot.rasa import RasaClient
from bot.reports.qa import QaSampling
from bot.reports.service import Reports
from bot.retry import Retry
from bot.routing import Router
from bot.seed import seed_demo
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)
# httpx logs every request at INFO, Telegram's with the bot token in the URL
logging.getLogger("httpx").setLevel(logging.WARNING)


STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    Unavailable: 503,
    Forbidden: 403,
}


async def domain_error(request: Request, error: Exception) -> JSONResponse:
    """The one place a domain error becomes an HTTP answer."""
    assert isinstance(error, DomainError)
    status = next((STATUS_CODES[k] for k in type(error).__mro__ if k in STATUS_CODES), 400)
    body: dict[str, object] = {"detail": str(error)}
    if isinstance(error, InvalidChange):  # every problem of a refused admin change, by field
        body["problems"] = [p.as_dict() for p in error.problems]
    return JSONResponse(body, status_code=status)


def _printable(value: object) -> str | int:
    """A location part of a validation error, safe to put in JSON."""
    if isinstance(value, int):
        return value
    return str(value).encode("utf-8", "replace").decode("utf-8")


async def invalid_request(request: Request, error: Exception) -> JSONResponse:
    """422 with where and what, never the input itself (it may be anything a client sent)."""
    assert isinstance(error, RequestValidationError)
    detail = [
        {"loc": [_printable(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
         "type": str(e.get("type", ""))}
        for e in error.errors()
    ]  # fmt: skip
    return JSONResponse({"detail": detail}, status_code=422)


async def _serve_internal(server: InternalServer | None) -> asyncio.Task[None] | None:
    """Starts the internal API's server; fails the start when its port cannot be had."""
    if server is None:
        return None
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            raise RuntimeError(f"the internal API could not listen on {server.config.port}")
        await asyncio.sleep(0.02)
    return task


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings.database_url)
    session_factory = sessions(engine)
    rasa = RasaClient(
        settings.rasa_base_url,
        settings.rasa_timeout_seconds,
        settings.secret("rasa_token"),
        settings.rasa_replicas,
    )
    limits = Limits(settings)
    keys = CustomerKeys(settings)
    console_sessions = ConsoleSessions(session_factory, settings)
    hub = Hub()
    bridge = RedisBridge(settings.events_url) if settings.events_url else None
    if bridge is not None:
        hub.bridge_with(bridge)
    delivery = Delivery()
    assignment = Assignment(session_factory, delivery, rasa, hub, settings)
    listing = TicketList(session_factory, settings)
    tickets = Tickets(session_factory, hub, listing, settings)
    handoffs = Handoffs(session_factory, assignment, hub, settings)
    casework = CaseWork(session_factory, delivery, hub, listing, settings)
    statuses = CaseStatus(casework, rasa)
    endings = Endings(delivery, rasa, settings)
    desk = DeskParts(
        transcripts=Transcripts(session_factory, rasa),
        directory=Directory(session_factory),
        assignment=assignment,
        replies=Replies(session_factory, delivery, hub),
        listing=listing,
        casework=casework,
        statuses=statuses,
        tiers=Tiers(session_factory, hub),
        staff=Staff(session_factory, hub),
        privacy=Privacy(session_factory, rasa),
        reports=Reports(session_factory, settings),
        qa=QaSampling(session_factory),
    )
    changes = ChangeLog(
        session_factory,
        settings.project_dir,
        settings.rasa_venv / "bin" / "rasa" if settings.validate_with_rasa else None,
    )
    trainer = Trainer(session_factory, settings, hub, changes, rasa)
    admin = AdminParts(
        knowledge=Knowledge(changes, settings.timezone),
        changes=changes,
        trainer=trainer,
        canned=CannedReplies(session_factory),
    )
    door = ConsoleDoor(
        SignIn(session_factory, console_sessions, limits),
        console_sessions,
        settings.session_check_seconds,
    )
    assistant = Assistant(rasa, handoffs, delivery)
    turns = KeyedLocks()  # one message at a time per customer, shared by router and retries
    router = Router(
        session_factory,
        assistant,
        turns,
        hub,
        settings,
        Feedback(casework, statuses),
        endings,
        casework,
        limits,
    )
    monitor = Monitor(
        engine,
        session_factory,
        delivery,
        hub,
        listing,
        endings,
        assignment,
        desk.privacy,
        settings,
    )
    internal = internal_app(tickets, handoffs, settings.secret("service_token"))
    internal_server = (
        InternalServer(internal, settings.internal_port) if settings.internal_port else None
    )
    retry = Retry(session_factory, rasa, assistant, turns, settings.retry_interval_seconds)
    web = WebChannel()
    if bridge is not None:
        web.bridge_with(bridge)
    delivery.register(web)
    telegram = None
    if settings.telegram_token is not None:
        from bot.channels.telegram import TelegramChannel, webhook_router

        telegram = TelegramChannel.from_settings(settings, router)
        delivery.register(telegram)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await migrate(engine)
        if bridge is not None:
            await bridge.start()
        if settings.demo_seed:
            await seed_demo(session_factory, Path(settings.demo_login_file))
            await seed_history(session_factory)
        if telegram is not None:
            await telegram.start()
        background = [asyncio.create_task(retry.forever())]
        if settings.monitor_interval_seconds > 0:
            background.append(asyncio.create_task(monitor.forever()))
        serving = await _serve_internal(internal_server)
        await trainer.recover()
        try:
            yield
        finally:
            await trainer.close()
            if internal_server is not None and serving is not None:
                internal_server.should_exit = True
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(serving, timeout=10)
            for task in background:
                task.cancel()
            for task in background:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if telegram is not None:
                await telegram.stop()
            await rasa.close()
            if bridge is not None:
                await bridge.stop()
            await engine.dispose()

    app = FastAPI(
        title="LERA Desk gateway",
        description="Customer messages in, replies out: web widget, Telegram, integrations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.router = router
    app.state.retry = retry
    app.state.monitor = monitor
    app.state.rasa = rasa
    app.state.bridge = bridge
    app.state.delivery = delivery
    app.state.sessions = session_factory
    app.state.desk = desk
    app.state.hub = hub
    app.state.internal_app = internal
    app.state.console_sessions = console_sessions
    app.state.limits = limits
    for part in (app, internal):
        part.add_exception_handler(DomainError, domain_error)
        part.add_exception_handler(RequestValidationError, invalid_request)
    # outermost last: headers on every answer, then the Origin, then the body's size
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        max_age=600,
    )
    app.add_middleware(
        OriginCheck, public_url=settings.public_url, shop_origins=settings.allowed_origins
    )
    app.add_middleware(SecurityHeaders, shop_origins=settings.allowed_origins)
    app.include_router(
        web_router(router, web, session_factory, keys, limits, settings.max_frame_bytes)
    )
    app.include_router(console_router(desk, admin, hub, door))
    if telegram is not None and settings.telegram_mode == "webhook":
        app.include_router(webhook_router(telegram))

    app.include_router(ops_router(app, session_factory, rasa, settings))
    app.include_router(assets_router())  # the browser's ES modules
    return app
