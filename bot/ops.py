"""Operations: `/healthz` (the process is alive), `/readyz` (the database and Rasa answer), and
`/metrics` for Prometheus — HTTP latency by route (prometheus-fastapi-instrumentator) and the
desk's own figures (`bot/metrics.py`); from loopback, or with the metrics token."""

from __future__ import annotations

import ipaddress

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_fastapi_instrumentator import Instrumentator
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.channels.identity import bearer
from bot.keys import same_secret
from bot.rasa import RasaClient
from bot.settings import Settings


def _loopback(request: Request) -> bool:
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


def ops_router(
    app: FastAPI,
    sessions: async_sessionmaker[AsyncSession],
    rasa: RasaClient,
    settings: Settings,
) -> APIRouter:
    api = APIRouter(tags=["operations"])
    http = CollectorRegistry()  # this app's HTTP figures (tests build many apps in a process)
    Instrumentator(
        registry=http, should_group_status_codes=False, excluded_handlers=["/metrics"]
    ).instrument(app, metric_namespace="lera")
    token = settings.metrics_token

    @api.get("/healthz")
    async def health() -> dict[str, str]:
        """The gateway process answers."""
        return {"status": "ok"}

    @api.get("/readyz", responses={503: {"description": "the database or Rasa does not answer"}})
    async def ready() -> JSONResponse:
        """The database and Rasa both answer."""
        checks = {"database": "ok", "rasa": "ok"}
        try:
            async with sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception as error:  # any failure means: not ready
            checks["database"] = type(error).__name__
        if not await rasa.ready():
            checks["rasa"] = "unavailable"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not ready", **checks}, 200 if ok else 503
        )

    @api.get("/metrics", include_in_schema=False)
    async def scrape(request: Request) -> Response:
        if token is not None:
            given = bearer(request.headers.get("authorization")) or ""
            if not same_secret(given, token.get_secret_value()):
                raise HTTPException(status_code=401, detail="metrics token required")
        elif not _loopback(request):
            raise HTTPException(status_code=403, detail="metrics are served to loopback only")
        async with sessions() as session:
            await metrics.refresh(session)
        body = generate_latest(REGISTRY) + generate_latest(http)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return api
