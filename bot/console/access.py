"""The console's door on every route: the route's entry in the policy table, the session cookie,
the role, and the CSRF token on every state-changing request (the Origin is checked for every
route by `bot/guards.py`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException
from starlette.requests import HTTPConnection

from bot.console.sessions import COOKIE, ConsoleSessions, SignedIn
from bot.models import Agent
from bot.policy import SAFE_METHODS, STAFF_LEVEL, Access, access_of, role_may

CSRF_HEADER = "X-CSRF-Token"
CSRF_WRONG = "CSRF token missing or wrong: send the X-CSRF-Token header"


def route_access(connection: HTTPConnection) -> Access:
    method = "WS" if connection.scope["type"] == "websocket" else connection.scope["method"]
    route = connection.scope.get("route")
    access = access_of(method, getattr(route, "path", ""))
    if access is None:
        raise HTTPException(status_code=403, detail="this route has no access policy")
    return access


async def signed_in(request: HTTPConnection) -> SignedIn | None:
    """The dependency every console route runs (None on the public ones, e.g. signing in, and
    on the WebSocket, which checks its session itself and closes with a code the page reads)."""
    access = route_access(request)
    if access == Access.PUBLIC or request.scope["type"] == "websocket":
        return None
    if access not in STAFF_LEVEL:
        raise HTTPException(status_code=403, detail="not a console route")
    sessions: ConsoleSessions = request.app.state.console_sessions
    signed = await sessions.find(request.cookies.get(COOKIE))
    if signed is None:
        raise HTTPException(status_code=401, detail="sign in first")
    if not role_may(signed.agent.role, access):
        raise HTTPException(status_code=403, detail=f"for the {access.value} role and above")
    if request.scope["method"] not in SAFE_METHODS and not signed.csrf_matches(
        request.headers.get(CSRF_HEADER)
    ):
        raise HTTPException(status_code=403, detail=CSRF_WRONG)
    return signed


async def staff_member(signed: Annotated[SignedIn | None, Depends(signed_in)]) -> SignedIn:
    assert signed is not None  # only on routes whose policy is not public
    return signed


async def current_agent(signed: Annotated[SignedIn, Depends(staff_member)]) -> Agent:
    return signed.agent


Member = Annotated[SignedIn, Depends(staff_member)]
CurrentAgent = Annotated[Agent, Depends(current_agent)]
