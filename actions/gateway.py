"""Client of the gateway's internal API: the gateway owns tickets, the queue and the database.

Every call carries the service token. A gateway that is down, slow or failing raises
GatewayUnavailable, and the calling action tells the customer honestly what that means. The
wire format is the gateway's own (`bot/wire/internal_api.py`); nothing of the gateway runs here.
"""

from __future__ import annotations

from typing import Any

import httpx

from actions.settings import ActionSettings, get_settings
from bot.wire.internal_api import (
    HANDOFFS_PATH,
    PRESENCE_PATH,
    TICKETS_PATH,
    HandoffInfo,
    HandoffRequest,
    PresenceInfo,
    TicketInfo,
    TicketRequest,
)

__all__ = [
    "Gateway",
    "GatewayUnavailable",
    "HandoffInfo",
    "HandoffRequest",
    "PresenceInfo",
    "TicketInfo",
    "TicketNotFound",
    "TicketRequest",
]


class GatewayUnavailable(Exception):
    """The gateway could not be reached or failed."""


class TicketNotFound(Exception):
    """No such ticket for this customer."""


class Gateway:
    def __init__(self, settings: ActionSettings | None = None) -> None:
        self._settings = settings or get_settings()

    def _client(self) -> httpx.AsyncClient:
        s = self._settings
        return httpx.AsyncClient(
            base_url=s.gateway_url,
            timeout=s.gateway_timeout_seconds,
            headers={
                "Authorization": f"Bearer {s.service_token.get_secret_value()}"
                if s.service_token is not None
                else ""
            },
        )

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            async with self._client() as client:
                response = await client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise GatewayUnavailable(f"{method} {path}: {error!r}") from error
        if response.status_code >= 500 or response.status_code in (401, 403):
            raise GatewayUnavailable(f"{method} {path}: HTTP {response.status_code}")
        return response

    async def open_ticket(self, request: TicketRequest) -> TicketInfo:
        response = await self._call("POST", TICKETS_PATH, json=request)
        if response.status_code != 201:
            raise GatewayUnavailable(f"open ticket: HTTP {response.status_code} {response.text}")
        info: TicketInfo = response.json()
        return info

    async def hand_off(self, request: HandoffRequest) -> HandoffInfo:
        response = await self._call("POST", HANDOFFS_PATH, json=request)
        if response.status_code not in (200, 201):
            raise GatewayUnavailable(f"hand-off: HTTP {response.status_code} {response.text}")
        info: HandoffInfo = response.json()
        return info

    async def ticket(self, number: int, sender_id: str) -> TicketInfo:
        response = await self._call(
            "GET", f"{TICKETS_PATH}/{number}", params={"sender_id": sender_id}
        )
        if response.status_code == 404:
            raise TicketNotFound(str(number))
        if response.status_code != 200:
            raise GatewayUnavailable(f"ticket {number}: HTTP {response.status_code}")
        info: TicketInfo = response.json()
        return info

    async def tickets(self, sender_id: str) -> list[TicketInfo]:
        """The customer's tickets, newest first."""
        response = await self._call("GET", TICKETS_PATH, params={"sender_id": sender_id})
        if response.status_code != 200:
            raise GatewayUnavailable(f"tickets: HTTP {response.status_code}")
        items: list[TicketInfo] = response.json()
        return items

    async def presence(self, language: str, hours: int) -> PresenceInfo:
        """Whether anyone is at work, and when a case opened now can be promised an answer."""
        response = await self._call(
            "GET", PRESENCE_PATH, params={"language": language, "hours": hours}
        )
        if response.status_code != 200:
            raise GatewayUnavailable(f"presence: HTTP {response.status_code}")
        info: PresenceInfo = response.json()
        return info
