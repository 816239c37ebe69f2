"""How tests talk to a live gateway as its clients do: a web customer keeps the customer token
its first message got; a console signs in and sends its CSRF token."""

from __future__ import annotations

from typing import Any

import httpx

# (gateway, sender) -> the customer token the sender's first message got
_TOKENS: dict[tuple[str, str], str] = {}


def customer_headers(base_url: str, sender: str) -> dict[str, str]:
    token = _TOKENS.get((base_url, sender))
    return {"Authorization": f"Bearer {token}"} if token else {}


def remember(base_url: str, sender: str, response: httpx.Response) -> None:
    if response.status_code == 200:
        _TOKENS[(base_url, sender)] = response.json()["customer_token"]


def web_send(base_url: str, sender: str, message: str, timeout: float = 60) -> httpx.Response:
    """POST /api/web/messages as the sender (with its token once it has one)."""
    response = httpx.post(
        f"{base_url}/api/web/messages",
        json={"sender": sender, "message": message},
        headers=customer_headers(base_url, sender),
        timeout=timeout,
    )
    remember(base_url, sender, response)
    return response


async def web_send_async(client: httpx.AsyncClient, sender: str, message: str) -> httpx.Response:
    base = str(client.base_url).rstrip("/")
    response = await client.post(
        "/api/web/messages",
        json={"sender": sender, "message": message},
        headers=customer_headers(base, sender),
    )
    remember(base, sender, response)
    return response


def web_history(base_url: str, sender: str, timeout: float = 10) -> dict[str, Any]:
    response = httpx.get(
        f"{base_url}/api/web/history",
        params={"sender": sender},
        headers=customer_headers(base_url, sender),
        timeout=timeout,
    )
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


async def web_history_async(client: httpx.AsyncClient, sender: str) -> dict[str, Any]:
    base = str(client.base_url).rstrip("/")
    response = await client.get(
        "/api/web/history", params={"sender": sender}, headers=customer_headers(base, sender)
    )
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def console_login(base_url: str, email: str, password: str) -> httpx.Client:
    """A signed-in console (the agent goes online) that sends its CSRF token."""
    client = httpx.Client(base_url=base_url, timeout=60)
    response = client.post("/api/console/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


async def console_login_async(
    client: httpx.AsyncClient, email: str, password: str
) -> httpx.AsyncClient:
    response = await client.post("/api/console/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client
