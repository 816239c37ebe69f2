"""What every request passes before a route: the Origin of a state-changing request or a
WebSocket, the size of a request body, and the security headers of every answer."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.policy import SAFE_METHODS

STAFF_PATHS = ("/api/console", "/ws/console", "/console")
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self'; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class OriginCheck:
    """Refuses a state-changing request or a WebSocket whose Origin is another site's: the
    console's only from its own origin, the customer routes also from the shops' origins.
    A request without an Origin (not from a browser) passes; its credentials are checked."""

    def __init__(self, app: ASGIApp, public_url: str, shop_origins: Iterable[str]) -> None:
        self.app = app
        self.own = {origin_of(public_url)}
        self.shops = {origin_of(o) for o in shop_origins}

    def allowed(self, scope: Scope, origin: str, host: str | None) -> bool:
        origin = origin.lower()
        scheme = {"ws": "http", "wss": "https"}.get(scope["scheme"], scope["scheme"])
        if origin in self.own or (host is not None and origin == f"{scheme}://{host}".lower()):
            return True
        staff = scope["path"].startswith(STAFF_PATHS)
        return not staff and origin in self.shops

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        checked = scope["type"] == "websocket" or scope["method"] not in SAFE_METHODS
        if checked and origin is not None and not self.allowed(scope, origin, headers.get("host")):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008, "reason": "origin"})
                return
            response = JSONResponse({"detail": "cross-site request refused"}, status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Reads a request body up to `limit` bytes before the route sees it; a larger one is
    answered 413 without being read further."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        too_large = JSONResponse({"detail": "the request body is too large"}, status_code=413)
        digits = declared is not None and declared.isascii() and declared.isdigit()
        if declared is not None and (not digits or int(declared) > self.limit):
            await too_large(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await too_large(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """Headers on every answer; the console's pages get a CSP without inline script and may
    not be framed; the demo page may be framed by the shops' origins."""

    def __init__(self, app: ASGIApp, shop_origins: Iterable[str]) -> None:
        self.app = app
        ancestors = " ".join(["'self'", *(origin_of(o) for o in shop_origins)])
        self.demo_csp = f"frame-ancestors {ancestors}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if path.startswith(STAFF_PATHS):
                    headers["Content-Security-Policy"] = CONSOLE_CSP
                    headers["X-Frame-Options"] = "DENY"
                    if path.startswith("/api/"):
                        headers["Cache-Control"] = "no-store"
                elif path == "/":
                    headers["Content-Security-Policy"] = self.demo_csp
            await send(message)

        await self.app(scope, receive, with_headers)
