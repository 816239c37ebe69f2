"""Who may see and do what: every route of the app against every role (from the app's own route
list, so a route without a policy fails here), ownership, sessions and CSRF, sign-in
throttling, cross-site requests, customer tokens, secrets, limits and headers, privacy."""

from __future__ import annotations

import base64
import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import itsdangerous
import jwt
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from limits import parse
from sqlalchemy import func, select
from starlette.routing import Route, WebSocketRoute

from bot.console.access import CSRF_HEADER
from bot.console.sessions import COOKIE
from bot.db import utcnow
from bot.keys import KNOWN_VALUES
from bot.limits import Limits
from bot.models import Agent, Customer, Message, Role
from bot.policy import POLICY, STAFF_LEVEL, Access, role_may
from bot.settings import Settings
from tests.gateway.conftest import PASSWORD, Gateway
from tests.gateway.test_desk import escalated_chat

TELEGRAM_SECRET = "webhook-secret-for-the-route-matrix-4c1d"
SHOP_SECRET = "the-shop-signs-identities-with-this-9f2b7c"
INTEGRATOR_KEY = "integrator-key-of-the-shop-backend-77aa"
ROLES = (None, Role.AGENT, Role.SUPERVISOR, Role.ADMIN)  # None: not signed in
MISSING = "999999"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Telegram in webhook mode (its route exists; Telegram itself is unreachable here); the
    shop signs its customers' identities and has an integrator key."""
    return {
        "identity_secret": SHOP_SECRET,
        "integrator_key": INTEGRATOR_KEY,
        "telegram_token": "123456:route-matrix-token",
        "telegram_mode": "webhook",
        "telegram_secret": TELEGRAM_SECRET,
        "telegram_api_url": "http://127.0.0.1:9/bot",
        "telegram_file_url": "http://127.0.0.1:9/file/bot",
    }


def routes_of(app: FastAPI) -> Iterator[tuple[str, str]]:
    """("METHOD" or "WS", path) of every route the app serves, included routers unfolded."""
    for route in app.router.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            for context in contexts():
                original = context.original_route
                if isinstance(original, APIWebSocketRoute | WebSocketRoute):
                    yield "WS", context.path or original.path
                else:
                    for method in sorted(original.methods - {"HEAD"}):
                        yield method, context.path
        elif isinstance(route, APIWebSocketRoute | WebSocketRoute):
            yield "WS", route.path
        elif isinstance(route, APIRoute | Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, route.path


def every_route(gateway: Gateway) -> list[tuple[str, str]]:
    internal: FastAPI = gateway.app.state.internal_app
    return sorted({*routes_of(gateway.app), *routes_of(internal)})


def concrete(path: str) -> str:
    for name in ("conversation_id", "number", "customer_id", "agent_id"):
        path = path.replace("{" + name + "}", MISSING)
    return path.replace("{folder}", "agent").replace("{name}", "nothing").replace("{ext}", "js")


def with_cookie(app: FastAPI, value: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(
        transport=transport, base_url="http://gateway", cookies={COOKIE: value}
    )


async def staff(gateway: Gateway, role: Role | None) -> httpx.AsyncClient:
    if role is None:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway.app), base_url="http://gateway"
        )
    email = f"{role.value}@example.com"
    async with gateway.sessions() as session:
        known = await session.scalar(select(Agent).where(Agent.email == email))
    if known is None:
        await gateway.add_agent(email, role.value.title(), role=role)
    return await gateway.console(email)


async def test_every_route_has_a_policy_and_every_policy_a_route(gateway: Gateway) -> None:
    served = {f"{method} {path}" for method, path in every_route(gateway)}
    assert served - POLICY.keys() == set(), "routes without an access policy"
    assert POLICY.keys() - served == set(), "policies for routes that do not exist"


async def test_every_route_for_every_role(gateway: Gateway) -> None:
    await gateway.say("victim", "hello")  # a known web customer, whose token nobody here has
    for role in ROLES:
        client = await staff(gateway, role)
        for method, path in every_route(gateway):
            access = POLICY[f"{method} {path}"]
            if method == "WS" or (method, path) == ("POST", "/api/console/logout"):
                continue  # WebSockets: test_live_security.py; logout ends the session: below
            body = {"sender": "victim", "message": "hi"} if access == Access.CUSTOMER else {}
            url = concrete(path)
            params = {"sender": "victim"} if access == Access.CUSTOMER else {}
            if access == Access.SERVICE:  # on the public app it does not exist at all
                assert (await client.request(method, url, json=body)).status_code == 404, url
                continue
            response = await client.request(
                method, url, params=params, json=body if method != "GET" else None
            )
            status = response.status_code
            who = role.value if role else "anonymous"
            assert status < 500, (method, path, who, response.text)
            if access in (Access.PUBLIC, Access.OPERATIONS):  # the test client is on loopback
                assert status not in (401, 403), (method, path, who, response.text)
            elif access in (Access.CUSTOMER, Access.TELEGRAM):
                assert status == 403, (method, path, who, response.text)  # a cookie opens nothing
            elif role is None:
                assert status == 401, (method, path, who, response.text)
            elif role_may(role, access):
                assert status not in (401, 403), (method, path, who, response.text)
            else:
                assert status == 403, (method, path, who, response.text)
        await client.aclose()


async def test_the_internal_api_refuses_a_console_session(gateway: Gateway) -> None:
    admin = await staff(gateway, Role.ADMIN)
    internal = with_cookie(gateway.app.state.internal_app, admin.cookies[COOKIE])
    for method, path in routes_of(gateway.app.state.internal_app):
        response = await internal.request(
            method, concrete(path), params={"sender_id": "x"}, json={}
        )
        assert response.status_code == 401, path


async def test_staff_levels_are_ordered() -> None:
    assert [role_may(Role.AGENT, a) for a in STAFF_LEVEL] == [True, False, False]
    assert [role_may(Role.SUPERVISOR, a) for a in STAFF_LEVEL] == [True, True, False]
    assert [role_may(Role.ADMIN, a) for a in STAFF_LEVEL] == [True, True, True]


# --- ownership ----------------------------------------------------------------------------


async def test_agent_b_cannot_act_on_agent_a_s_chat_but_a_supervisor_can(gateway: Gateway) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    await gateway.add_agent("b@example.com", "Bo")
    await gateway.add_agent("s@example.com", "Sue", role=Role.SUPERVISOR)
    anna, bo = await gateway.console("a@example.com"), await gateway.console("b@example.com")
    sue = await gateway.console("s@example.com")
    chat = await escalated_chat(gateway, "own1")
    url = f"/api/console/conversations/{chat}"
    # a queued chat nobody has: an agent may not hand it back unanswered
    assert (await bo.post(f"{url}/handback")).status_code == 403
    assert (await anna.post(f"{url}/claim")).status_code == 200
    for action, body in (
        ("messages", {"text": "mine now"}),
        ("transfer", {"agent_id": None}),
        ("handback", {}),
        ("resolve", {"solution": "done"}),
    ):
        refused = await bo.post(f"{url}/{action}", json=body)
        assert refused.status_code == 403, action
        assert "only the agent who has this chat" in refused.json()["detail"]
    assert (await bo.post(f"{url}/claim")).status_code == 409  # no taking it over
    # a private note is for colleagues: anyone may add one
    note = await bo.post(f"{url}/messages", json={"text": "fyi", "private": True})
    assert note.status_code == 200
    ticket = (await anna.get(url)).json()["ticket"]["number"]
    for action, body in (
        ("status", {"status": "resolved", "note": "x"}),
        ("correct", {"severity": "light", "reason": "x"}),
        ("messages", {"text": "x"}),
        ("take", {}),
    ):
        refused = await bo.post(f"/api/console/tickets/{ticket}/{action}", json=body)
        assert refused.status_code == 403, action
    # a supervisor acts on anyone's chat
    assert (await sue.post(f"{url}/messages", json={"text": "Sue here."})).status_code == 200
    assert (await sue.post(f"{url}/handback")).status_code == 200


async def test_a_transfer_goes_only_to_someone_online_with_room(gateway: Gateway) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    offline = await gateway.add_agent("o@example.com", "Olga")
    full = await gateway.add_agent("f@example.com", "Fei")
    anna = await gateway.console("a@example.com")
    fei = await gateway.console("f@example.com")
    async with gateway.sessions() as session:
        agent = await session.get(Agent, full)
        assert agent is not None
        agent.capacity = 0
        await session.commit()
    chat = await escalated_chat(gateway, "own2")
    url = f"/api/console/conversations/{chat}"
    await anna.post(f"{url}/claim")
    to_offline = await anna.post(f"{url}/transfer", json={"agent_id": offline})
    assert to_offline.status_code == 409 and "not online" in to_offline.json()["detail"]
    assert (await anna.post(f"{url}/transfer", json={"agent_id": full})).status_code == 409
    no_supervisor = await anna.post(f"{url}/transfer", json={"agent_id": None})
    assert no_supervisor.status_code == 409
    await fei.aclose()


# --- sessions, CSRF, throttling -------------------------------------------------------------


async def test_a_cookie_made_from_anything_in_the_repository_opens_nothing(
    gateway: Gateway,
) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    payload = base64.b64encode(json.dumps({"agent_id": 1}).encode())
    for secret in sorted(KNOWN_VALUES):
        # Starlette's signed-cookie format, which the console used before its sessions
        forged = itsdangerous.TimestampSigner(secret).sign(payload).decode()
        for value in (forged, "1", "agent_id=1"):
            response = await with_cookie(gateway.app, value).get("/api/console/me")
            assert response.status_code == 401


async def test_logout_ends_the_session_and_the_cookie_is_dead(gateway: Gateway) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    anna = await gateway.console("a@example.com")
    cookie = anna.cookies[COOKIE]
    me = (await anna.get("/api/console/me")).json()
    assert me["csrf_token"] == anna.headers[CSRF_HEADER]
    assert (await anna.post("/api/console/logout")).status_code == 200
    replay = await with_cookie(gateway.app, cookie).get("/api/console/me")
    assert replay.status_code == 401


async def test_a_state_change_needs_the_csrf_token(gateway: Gateway) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    anna = await gateway.console("a@example.com")
    token = anna.headers.pop(CSRF_HEADER)
    refused = await anna.put("/api/console/me/presence", json={"presence": "away"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    wrong = await anna.put(
        "/api/console/me/presence", json={"presence": "away"}, headers={CSRF_HEADER: "x" * 43}
    )
    assert wrong.status_code == 403
    assert (await anna.get("/api/console/me")).status_code == 200  # reading needs none
    ok = await anna.put(
        "/api/console/me/presence", json={"presence": "away"}, headers={CSRF_HEADER: token}
    )
    assert ok.status_code == 200


async def test_a_password_change_and_a_deactivation_end_every_session(gateway: Gateway) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    await gateway.add_agent("root@example.com", "Root", role=Role.ADMIN)
    first, second = await gateway.console("a@example.com"), await gateway.console("a@example.com")
    short = await first.post("/api/console/me/password", json={"current": PASSWORD, "new": "x"})
    assert short.status_code == 422
    wrong = await first.post(
        "/api/console/me/password", json={"current": "nope", "new": "a much longer password"}
    )
    assert wrong.status_code == 403
    changed = await first.post(
        "/api/console/me/password", json={"current": PASSWORD, "new": "a much longer password"}
    )
    assert changed.status_code == 200
    first.headers[CSRF_HEADER] = changed.json()["csrf_token"]
    assert (await second.get("/api/console/me")).status_code == 401  # the other console
    assert (await first.get("/api/console/me")).status_code == 200  # this one, renewed
    old = await gateway.http.post(
        "/api/console/login", json={"email": "a@example.com", "password": PASSWORD}
    )
    assert old.status_code == 401
    root = await gateway.console("root@example.com")
    agent_id = (await first.get("/api/console/me")).json()["id"]
    gone = await root.post(f"/api/console/admin/agents/{agent_id}/deactivate")
    assert gone.status_code == 200
    assert (await first.get("/api/console/me")).status_code == 401
    again = await gateway.http.post(
        "/api/console/login",
        json={"email": "a@example.com", "password": "a much longer password"},
    )
    assert again.status_code == 401  # the same answer as a wrong password
    myself = (await root.get("/api/console/me")).json()["id"]
    assert (await root.post(f"/api/console/admin/agents/{myself}/deactivate")).status_code == 409


async def test_sign_in_is_throttled_per_account_and_never_says_which_part_was_wrong(
    gateway: Gateway,
) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    login = "/api/console/login"
    unknown = await gateway.http.post(login, json={"email": "x@example.com", "password": "p"})
    wrong = await gateway.http.post(login, json={"email": "a@example.com", "password": "p"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    for _ in range(4):  # five failures in all for the account
        await gateway.http.post(login, json={"email": "a@example.com", "password": "p"})
    throttled = await gateway.http.post(
        login, json={"email": "a@example.com", "password": PASSWORD}
    )
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    # another account from the same address is not locked by it
    await gateway.add_agent("b@example.com", "Bo")
    other = await gateway.http.post(login, json={"email": "b@example.com", "password": PASSWORD})
    assert other.status_code == 200


# --- cross-site requests, customers, limits, headers ---------------------------------------


async def test_a_cross_site_state_change_is_refused(gateway: Gateway) -> None:
    await gateway.add_agent("a@example.com", "Anna")
    anna = await gateway.console("a@example.com")
    evil = {"Origin": "https://evil.example"}
    refused = await anna.put("/api/console/me/presence", json={"presence": "away"}, headers=evil)
    assert refused.status_code == 403 and "cross-site" in refused.json()["detail"]
    login = await gateway.http.post(
        "/api/console/login", json={"email": "a@example.com", "password": PASSWORD}, headers=evil
    )
    assert login.status_code == 403
    same = {"Origin": "http://gateway"}  # the page's own origin
    ok = await anna.put("/api/console/me/presence", json={"presence": "away"}, headers=same)
    assert ok.status_code == 200
    customer = await gateway.http.post(
        "/api/web/messages", json={"sender": "x1", "message": "hi"}, headers=evil
    )
    assert customer.status_code == 403  # evil.example is not a shop that embeds the widget


async def test_another_customer_s_sender_opens_nothing_without_its_token(
    gateway: Gateway,
) -> None:
    await gateway.say("alice", "my order 1234 is late")
    token = gateway.tokens["alice"]
    send = {"sender": "alice", "message": "show me everything"}
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": token}):
        assert (
            await gateway.http.post("/api/web/messages", json=send, headers=headers)
        ).status_code == 403
        history = await gateway.http.get(
            "/api/web/history", params={"sender": "alice"}, headers=headers
        )
        assert history.status_code == 403
    async with gateway.sessions() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Message).where(Message.text == "show me everything")
        )
    assert stored == 0
    # a shop customer's sender exists only through the shop's signed identity
    shop = await gateway.http.post(
        "/api/web/messages", json={"sender": "shop:alice", "message": "x"}
    )
    assert shop.status_code == 403
    assert (await gateway.history("alice"))["messages"][0]["text"] == "my order 1234 is late"


async def test_the_widget_gets_a_fresh_identity_from_the_server(gateway: Gateway) -> None:
    first = (await gateway.http.post("/api/web/customers", json={})).json()
    second = (await gateway.http.post("/api/web/customers", json={})).json()
    assert first["sender"] != second["sender"]
    assert len(first["customer_token"]) > 40
    headers = {"Authorization": f"Bearer {first['customer_token']}"}
    sent = await gateway.http.post(
        "/api/web/messages", json={"sender": first["sender"], "message": "hi"}, headers=headers
    )
    assert sent.status_code == 200
    crossed = await gateway.http.get(
        "/api/web/history", params={"sender": second["sender"]}, headers=headers
    )
    assert crossed.status_code == 403
    signed = await gateway.http.post("/api/web/customers", json={"identity": "a.b.c"})
    assert signed.status_code == 403  # not signed by the shop


async def test_a_customer_who_floods_is_asked_politely_to_slow_down_and_nothing_is_lost(
    gateway: Gateway,
) -> None:
    limit = int(gateway.app.state.settings.message_limit_per_customer.split("/")[0])
    replies = [await gateway.say("fast", f"message {i}") for i in range(limit + 3)]
    slow_down = [
        r for r in replies if any("faster than I can read" in x["text"] for x in r["replies"])
    ]
    assert len(slow_down) == 1  # said once, then silence
    assert len(gateway.rasa.received) == limit  # the assistant was spared the rest
    history = await gateway.history("fast")
    kept = [m["text"] for m in history["messages"] if m["author"] == "customer"]
    assert kept == [f"message {i}" for i in range(limit + 3)]


async def test_bodies_and_fields_have_limits(gateway: Gateway) -> None:
    huge = {"sender": "big", "message": "x" * 300_000}
    assert (await gateway.http.post("/api/web/messages", json=huge)).status_code == 413
    long_sender = {"sender": "s" * 129, "message": "hi"}
    assert (await gateway.http.post("/api/web/messages", json=long_sender)).status_code == 422
    login = {"email": "e" * 201, "password": "p"}
    assert (await gateway.http.post("/api/console/login", json=login)).status_code == 422


async def test_security_headers(gateway: Gateway) -> None:
    console = await gateway.http.get("/console")
    csp = console.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and console.headers["X-Frame-Options"] == "DENY"
    assert console.headers["X-Content-Type-Options"] == "nosniff"
    demo = await gateway.http.get("/")
    assert demo.headers["Content-Security-Policy"].startswith("frame-ancestors 'self'")
    api = await gateway.http.get("/api/console/me")
    assert api.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("environment", ["production"])
def test_production_refuses_a_missing_or_weak_secret(environment: str) -> None:
    strong = {name: "s3cure-" + "k" * 10 + "XyZ0123456789ab" for name in ("a",)}["a"]
    good = {"service_token": strong, "rasa_token": strong + "1", "customer_secret": strong + "2"}
    Settings(environment=environment, **good)  # type: ignore[arg-type]
    for name in good:
        with pytest.raises(ValueError, match=f"LERA_{name.upper()} is not set"):
            Settings(environment=environment, **{**good, name: None})  # type: ignore[arg-type]
        for weak in ("dev-service-token", "short", "a" * 40):
            with pytest.raises(ValueError, match=f"LERA_{name.upper()}"):
                Settings(environment=environment, **{**good, name: weak})  # type: ignore[arg-type]


def test_development_makes_up_a_random_secret_for_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("service_token", "rasa_token", "customer_secret"):
        monkeypatch.delenv(f"LERA_{name.upper()}", raising=False)
    one, two = Settings(), Settings()
    assert one.secret("customer_secret") != two.secret("customer_secret")
    assert len(one.secret("service_token")) >= 40


# --- privacy --------------------------------------------------------------------------------


async def test_an_admin_exports_and_erases_one_customer(gateway: Gateway) -> None:
    await gateway.add_agent("root@example.com", "Root", role=Role.ADMIN)
    root = await gateway.console("root@example.com")
    await gateway.say("gone", "my address is 12 Lane Road")
    await gateway.say("kept", "hello")
    async with gateway.sessions() as session:
        customer = await session.scalar(select(Customer).where(Customer.external_id == "gone"))
        assert customer is not None
        uid = customer.uid
    exported = (await root.get(f"/api/console/admin/customers/{customer.id}/export")).json()
    texts = [m["text"] for c in exported["conversations"] for m in c["messages"]]
    assert "my address is 12 Lane Road" in texts
    assert exported["customer"]["external_id"] == "gone"
    erased = await root.delete(f"/api/console/admin/customers/{customer.id}")
    assert erased.status_code == 200 and erased.json()["assistant_forgot"] is True
    assert gateway.rasa.trackers[uid] == []  # the dialogue at Rasa is emptied too
    async with gateway.sessions() as session:
        left = await session.scalar(
            select(func.count()).select_from(Message).where(Message.text.like("%Lane Road%"))
        )
        assert left == 0
        assert await session.get(Customer, customer.id) is None
    assert (await gateway.history("kept"))["messages"]


async def test_info_logs_carry_no_message_text_or_names(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await gateway.say("private1", "my card number is 4111 1111 1111 1111")
    gateway.rasa.down = True
    await gateway.say("private1", "and my name is Zhang Wei")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "4111" not in logged and "Zhang Wei" not in logged


# --- the shop's signed identity, the integrator key, address limits, CORS, retention ----------


async def test_a_signed_in_shop_customer_keeps_one_history_on_every_device(
    gateway: Gateway,
) -> None:
    shop_secret = SHOP_SECRET
    claims = {"sub": "c-1001", "name": "Li Na", "tier": "vip", "exp": int(time.time()) + 600}
    signed = jwt.encode(claims, shop_secret, algorithm="HS256")
    phone = (await gateway.http.post("/api/web/customers", json={"identity": signed})).json()
    laptop = (await gateway.http.post("/api/web/customers", json={"identity": signed})).json()
    assert phone == laptop and phone["sender"] == "shop:c-1001"
    gateway.tokens[phone["sender"]] = phone["customer_token"]
    await gateway.say(phone["sender"], "where is my order")
    async with gateway.sessions() as session:
        customer = await session.scalar(
            select(Customer).where(Customer.external_id == "shop:c-1001")
        )
        assert customer is not None and (customer.name, customer.tier) == ("Li Na", "vip")
    expired = jwt.encode({**claims, "exp": int(time.time()) - 5}, shop_secret, algorithm="HS256")
    forged = jwt.encode(claims, "not-the-shop-s-key-at-all-00000000", algorithm="HS256")
    for bad in (expired, forged, signed + "x"):
        refused = await gateway.http.post("/api/web/customers", json={"identity": bad})
        assert refused.status_code == 403


async def test_the_shop_s_integrator_key_opens_any_sender(gateway: Gateway) -> None:
    key = INTEGRATOR_KEY
    await gateway.say("bob", "hello")
    headers = {"Authorization": f"Bearer {key}"}
    history = await gateway.http.get("/api/web/history", params={"sender": "bob"}, headers=headers)
    assert history.status_code == 200 and history.json()["messages"]


async def test_too_many_requests_from_one_address_wait_their_turn(gateway: Gateway) -> None:
    gateway.app.state.limits.rules["message_address"] = parse("3/minute")
    codes = [
        (await gateway.http.post("/api/web/messages", json={"sender": f"a{i}", "message": "hi"}))
        for i in range(5)
    ]
    assert [c.status_code for c in codes] == [200, 200, 200, 429, 429]
    assert int(codes[-1].headers["Retry-After"]) > 0
    async with gateway.sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(Message))
    assert stored == 3 * 2  # each accepted message and its answer; the refused ones: nothing


async def test_limits_kept_in_redis_are_shared_by_every_gateway() -> None:
    storage = "redis://127.0.0.1:6379"
    key = f"test-{uuid.uuid4().hex}"
    one = Limits(Settings(rate_limit_storage=storage, login_limit_per_account="2/minute"))
    two = Limits(Settings(rate_limit_storage=storage, login_limit_per_account="2/minute"))
    assert (await one.hit("login_account", key)).allowed
    assert (await two.hit("login_account", key)).allowed
    assert not (await one.hit("login_account", key)).allowed  # the third, on either gateway
    await two.clear("login_account", key)
    assert (await one.hit("login_account", key)).allowed


async def test_cors_is_for_the_shops_that_embed_the_widget(gateway: Gateway) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Origin": "https://evil.example"}
    refused = await gateway.http.options("/api/web/customers", headers=preflight)
    assert "access-control-allow-origin" not in refused.headers


async def test_the_unknown_e_mail_costs_the_same_password_check(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.console.auth as auth

    checked: list[str] = []
    real = auth.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    await gateway.add_agent("a@example.com", "Anna")
    login = "/api/console/login"
    await gateway.http.post(login, json={"email": "nobody@example.com", "password": "p"})
    await gateway.http.post(login, json={"email": "a@example.com", "password": "p"})
    assert len(checked) == 2  # one argon2 verification for the unknown address too


async def test_old_closed_conversations_are_deleted_after_the_retention_time(
    gateway: Gateway,
) -> None:
    from datetime import timedelta

    from bot.models import Conversation, ConversationStatus

    await gateway.say("old", "a question long ago")
    await gateway.say("recent", "a question today")
    async with gateway.sessions() as session:
        for conversation in await session.scalars(select(Conversation)):
            conversation.status = ConversationStatus.CLOSED
            days = 400 if conversation.customer.external_id == "old" else 1
            conversation.closed_at = utcnow() - timedelta(days=days)
        await session.commit()
    monitor = gateway.app.state.monitor
    monitor._settings = gateway.app.state.settings.model_copy(update={"retention_days": 365})
    await monitor.tick()
    async with gateway.sessions() as session:
        left = list(await session.scalars(select(Message.text)))
    assert "a question long ago" not in left and "a question today" in left


def test_reports_and_admin_routes_are_for_their_roles() -> None:
    for route, access in POLICY.items():
        if "/api/console/admin/" in route:  # the admin page itself is public; its data not
            assert access == Access.ADMIN, route
        if "/api/console/reports" in route:  # the page itself is public; its data is not
            assert access in (Access.SUPERVISOR, Access.ADMIN), route


def test_the_readme_shows_the_policy_table_as_it_is() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([A-Z]+ [^`]+)` \| (\w+) \|$", readme, flags=re.MULTILINE)
    assert dict(rows) == {route: access.value for route, access in POLICY.items()}
