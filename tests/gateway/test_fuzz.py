"""Property-based tests (hypothesis) over the gateway's public doors: the web channel's HTTP API,
the console's sign-in, the widget's WebSocket and the Telegram webhook. Random bodies, sizes,
encodings and headers, forged and replayed updates: whatever comes in, the gateway never answers
with a 5xx, and nothing is stored twice.

The gateway runs for the whole module on a throwaway database (SQLite, then PostgreSQL), with a
fake Rasa and a fake Telegram, in an event loop of its own (an anyio blocking portal), so that
the properties are plain `@given` functions whose examples call into that loop. The HTTP API is
called in-process; the widget's WebSocket is served by uvicorn on 127.0.0.1, in the same loop.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import socket
import time
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import jwt
import pytest
import uvicorn
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bot.app import create_app
from bot.channels.identity import CustomerKeys
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram.channel import SECRET_HEADER, SORRY
from bot.contract import Inbound, Outcome
from bot.models import Agent, Author, Conversation, Customer, Message, Role
from bot.queries import customer_on
from bot.settings import Settings
from tests.databases import KINDS, throwaway_database
from tests.fakes.rasa import running_fake_rasa
from tests.fakes.telegram_api import (
    FakeTelegram,
    callback_update,
    running_fake_telegram,
    text_update,
)
from tests.gateway.conftest import PASSWORD, PASSWORD_HASH

T = TypeVar("T")

LIMIT: int = Settings.model_fields["max_body_bytes"].default  # 256 KiB
# secrets long enough for every HMAC the shop may sign with (HS512: 64 bytes)
CUSTOMER_SECRET = "fuzz-customer-secret-" + "c" * 43
INTEGRATOR_KEY = "fuzz-integrator-key-" + "i" * 44
IDENTITY_SECRET = "fuzz-identity-secret-" + "s" * 43
WRONG_SECRET = "not-the-shop-secret-" + "w" * 44
TELEGRAM_SECRET = "fuzz-webhook-secret-0123456789"
SHOP_ORIGIN = "https://shop.example"
AGENT_EMAIL = "fuzz.agent@example.com"
PLENTY = "1000000/minute"  # the rate limits stay out of the way (a 429 would hide the rest)
SENDER = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
PUBLIC_POSTS = ("/api/web/messages", "/api/web/customers", "/api/console/login")
TELEGRAM_ERRORS = "bot.channels.telegram.channel"

# fresh identities, so that a replayed or shrunk example never meets what an earlier one stored
FRESH = itertools.count(1)
TELEGRAM_CHATS = itertools.count(8_000_000_000_001)  # far from the forged updates' chat ids
TELEGRAM_IDS = itertools.count(900_000_001)

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # no example database: a failure prints its example
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


# -- the gateway, in its own event loop -------------------------------------------------------


class Failures(logging.Handler):
    """The errors the Telegram channel logs: a handler that failed, a message it could not route."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def since(self, start: int) -> list[str]:
        return [
            f"{r.getMessage()[:300]}: {r.exc_info[1]!r}" if r.exc_info else r.getMessage()[:300]
            for r in self.records[start:]
        ]


@dataclass(repr=False)
class Live:
    kind: str
    app: FastAPI
    http: httpx.AsyncClient
    keys: CustomerKeys
    telegram: FakeTelegram
    channel: TelegramChannel
    ws_url: str
    failures: Failures
    # every message the router was handed, by (channel, external id): its outcome or its error
    handled: dict[tuple[str, str], list[Outcome | BaseException]] = field(default_factory=dict)
    portal: BlockingPortal | None = None

    def __repr__(self) -> str:  # what a failing example prints
        return f"<the gateway on {self.kind}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis's printer
        printer.text(repr(self))

    def run(self, function: Callable[..., Awaitable[T]], *args: Any) -> T:
        assert self.portal is not None
        return self.portal.call(function, *args)

    async def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        """One request; an error inside the gateway (its 500) fails the example with its cause."""
        try:
            response = await self.http.request(method, url, **options)
        except Exception as error:
            error.add_note(f"the gateway answered {method} {url} with a 500")
            raise
        finally:
            self.http.cookies.clear()  # a console sign-in must not follow into the next call
        assert response.status_code < 500, (
            f"{method} {url} answered {response.status_code}: {response.text[:300]}"
        )
        return response

    async def customer_messages(self, channel: str, external_id: str | None = None) -> int:
        """How many customer messages are stored on the channel (of one customer)."""
        async with self.app.state.sessions() as session:
            query = (
                select(func.count())
                .select_from(Message)
                .where(Message.author == Author.CUSTOMER, Message.channel == channel)
            )
            if external_id is not None:
                conversations = (
                    select(Conversation.id)
                    .join(Customer, Customer.id == Conversation.customer_id)
                    .where(Customer.channel == channel, Customer.external_id == external_id)
                )
                query = query.where(Message.conversation_id.in_(conversations))
            return int(await session.scalar(query) or 0)

    async def known(self, sender: str) -> bool:
        """Whether the web channel has this customer (only a valid sender can be known)."""
        if not SENDER.match(sender):
            return False
        async with self.app.state.sessions() as session:
            return await customer_on(session, "web", sender) is not None

    async def settled(self) -> None:
        """Every Telegram update received so far is processed (answered or refused)."""
        await asyncio.wait_for(self.channel.application.update_queue.join(), timeout=20)

    def sorry_count(self) -> int:
        sorry = set(SORRY.values())
        return sum(1 for sent in self.telegram.calls("sendMessage") if sent.get("text") in sorry)


def _record_routing(live: Live) -> None:
    """Wraps the real router's `handle` to see every outcome (the channels call it by name)."""
    router = live.app.state.router
    handle = router.handle

    async def recording(inbound: Inbound, on_stored: Any = None) -> Outcome:
        outcomes = live.handled.setdefault((inbound.channel, inbound.external_id), [])
        try:
            outcome: Outcome = await handle(inbound, on_stored)
        except BaseException as error:
            outcomes.append(error)
            raise
        outcomes.append(outcome)
        return outcome

    router.handle = recording


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """The app on a real socket of 127.0.0.1 (for the widget's WebSocket); yields its ws URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            lifespan="off",  # the lifespan is the module's
            log_level="critical",
            ws="websockets-sansio",
            timeout_graceful_shutdown=1,
        )
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"ws://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


@asynccontextmanager
async def running_gateway(
    kind: str, directory: Path, telegram: FakeTelegram, failures: Failures
) -> AsyncIterator[Live]:
    async with running_fake_rasa() as rasa, throwaway_database(kind, directory) as url:
        settings = Settings(
            database_url=url,
            rasa_url=rasa.url,
            rasa_token=rasa.token,  # type: ignore[arg-type]
            internal_port=0,
            rasa_timeout_seconds=2,
            retry_interval_seconds=3600,
            monitor_interval_seconds=0,
            customer_secret=CUSTOMER_SECRET,  # type: ignore[arg-type]
            integrator_key=INTEGRATOR_KEY,  # type: ignore[arg-type]
            identity_secret=IDENTITY_SECRET,  # type: ignore[arg-type]
            allowed_origins=(SHOP_ORIGIN,),
            telegram_token=telegram.token,  # type: ignore[arg-type]
            telegram_mode="webhook",
            telegram_secret=TELEGRAM_SECRET,  # type: ignore[arg-type]
            telegram_api_url=telegram.base_url,
            telegram_file_url=telegram.base_file_url,
            message_limit_per_customer=PLENTY,
            message_limit_per_address=PLENTY,
            login_limit_per_account=PLENTY,
            login_limit_per_address=PLENTY,
            connect_limit_per_address=PLENTY,
            identity_limit_per_address=PLENTY,
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            async with app.state.sessions() as session:
                session.add(
                    Agent(
                        email=AGENT_EMAIL,
                        name="Fuzz Agent",
                        role=Role.AGENT,
                        password_hash=PASSWORD_HASH,
                    )
                )
                await session.commit()
            # the channel the gateway built from its settings (webhook mode, on the fake)
            channel = app.state.delivery._channels["telegram"]
            assert isinstance(channel, TelegramChannel) and channel.running
            transport = httpx.ASGITransport(app=app)
            async with (
                serving(app) as ws_url,
                httpx.AsyncClient(transport=transport, base_url="http://gateway") as http,
            ):
                live = Live(
                    kind, app, http, CustomerKeys(settings), telegram, channel, ws_url, failures
                )
                _record_routing(live)
                yield live
                await live.settled()


@pytest.fixture(scope="module", params=KINDS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    failures = Failures()
    logger = logging.getLogger(TELEGRAM_ERRORS)
    logger.addHandler(failures)
    try:
        with running_fake_telegram() as telegram, start_blocking_portal() as portal:
            gateway = running_gateway(
                str(request.param), tmp_path_factory.mktemp("fuzz"), telegram, failures
            )
            with portal.wrap_async_context_manager(gateway) as running:
                running.portal = portal
                yield running
    finally:
        logger.removeHandler(failures)


# -- what comes in ------------------------------------------------------------------------------

# bytes a real HTTP server passes on in a header value: visible ASCII, obs-text, space and tab
HEADER_BYTES = frozenset([0x09, *range(0x20, 0x7F), *range(0x80, 0x100)])
header_values = st.binary(max_size=120).map(
    lambda raw: bytes(b for b in raw if b in HEADER_BYTES).strip(b" \t")
)

OWN, OTHERS, INTEGRATOR = "its own customer token", "another sender's token", "integrator key"
credentials = st.one_of(
    st.none(),
    st.sampled_from([OWN, OTHERS, INTEGRATOR]),
    header_values.map(lambda value: b"Bearer " + value),
    header_values,
)
origins = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "http://gateway",
            "http://localhost:8000",
            SHOP_ORIGIN,
            "HTTP://GATEWAY",
            "http://gateway:80",
            "https://evil.example",
            "null",
            "http://[::1",
            "",
        ]
    ),
    header_values,
)

# the properties about storing once leave NUL out: the other properties send it, and it is
# its own failure on PostgreSQL (a text column refuses it)
NO_NUL = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
valid_senders = st.from_regex(r"[A-Za-z0-9._:@-]{1,128}", fullmatch=True)
senders = st.one_of(
    st.sampled_from(["alice", "bob", "w-guest", "shop:carol", "shop:", "a" * 128]),
    valid_senders,
    st.text(max_size=140),
)
# text with lone surrogates too (JSON can carry them escaped, "\ud800")
wild_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=20).map(
        "".join
    ),
)
short_messages = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\t\n\r", "hi", "/start", "\x00", "a\x00b", "\u202e\u200b", "😀"]),
)
messages = st.one_of(
    short_messages,
    # around the 4000 characters read and the field's 100 000 (and the 256 KiB of the body)
    st.builds(lambda c, n: c * n, st.characters(), st.integers(3_990, 100_010)),
)
wild_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), wild_text),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(wild_text, children, max_size=4)
    ),
    max_leaves=10,
)
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=40),
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
# bodies shaped like each endpoint's, with values of any type
shaped = st.dictionaries(
    st.sampled_from(["sender", "message", "identity", "email", "password", "update_id", "x"]),
    st.one_of(wild_json, senders, short_messages),
    max_size=4,
)
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "latin-1",
    "cp1252",
    "gb18030",
    "shift_jis",
    "koi8-r",
]


def encoded(value: Any, encoding: str, ascii_only: bool) -> bytes:
    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


def nested(opener: str, depth: int, closed: bool) -> bytes:
    closer = "]" if opener.startswith("[") else "}"
    inner = "1" if closed else ""
    return (opener * depth + inner + (closer * depth if closed else "")).encode()


bodies = st.one_of(
    st.binary(max_size=3000),
    st.builds(encoded, st.one_of(wild_json, shaped), st.sampled_from(ENCODINGS), st.booleans()),
    st.builds(
        nested,
        st.sampled_from(["[", '{"a":', '{"sender":"x","message":']),
        st.integers(1, 60_000),
        st.booleans(),
    ),
)
content_types = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=utf-16",
            "application/json; charset=latin-1",
            "application/vnd.api+json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz",
            "application/octet-stream",
            'application/json; charset="',
            "application/",
        ]
    ),
    header_values,
)


def authorization(live: Live, sender: str, credential: str | bytes | None) -> bytes | None:
    if credential == OWN:
        return f"Bearer {live.keys.token_for(sender)}".encode()
    if credential == OTHERS:
        return f"Bearer {live.keys.token_for(sender + '.other')}".encode()
    if credential == INTEGRATOR:
        return f"Bearer {INTEGRATOR_KEY}".encode()
    assert credential is None or isinstance(credential, bytes)
    return credential


def headers_of(**values: str | bytes | None) -> dict[str, str | bytes]:
    return {name.replace("_", "-"): v for name, v in values.items() if v is not None}


# -- the web channel's HTTP API -----------------------------------------------------------------


@settings(FUZZ, max_examples=50)
@given(
    sender=senders,
    message=messages,
    credential=credentials,
    origin=origins,
    copies=st.integers(1, 3),
)
@example(sender="alice", message="hi", credential=b"Bearer \xe9", origin=None, copies=1)
@example(sender="alice", message="a\x00b", credential=INTEGRATOR, origin=None, copies=1)
def test_a_web_message_is_stored_once_per_200_and_never_on_a_refusal(
    live: Live,
    sender: str,
    message: str,
    credential: str | bytes | None,
    origin: str | bytes | None,
    copies: int,
) -> None:
    event(live.run(_post_messages, live, sender, message, credential, origin, copies))


async def _post_messages(
    live: Live,
    sender: str,
    message: str,
    credential: str | bytes | None,
    origin: str | bytes | None,
    copies: int,
) -> str:
    known = await live.known(sender)
    headers = headers_of(
        Authorization=authorization(live, sender, credential),
        Origin=origin,
    )
    before = await live.customer_messages("web")
    responses = await asyncio.gather(
        *(
            live.request(
                "POST",
                "/api/web/messages",
                json={"sender": sender, "message": message},
                headers=headers,
            )
            for _ in range(copies)
        )
    )
    stored = await live.customer_messages("web") - before
    answered = [r for r in responses if r.status_code == 200]
    assert stored == len(answered), [r.status_code for r in responses]
    for response in answered:
        assert response.json()["customer_token"] == live.keys.token_for(sender)
    if answered and (known or sender.startswith("shop:")):
        # a known (or a shop's) customer is written to only with their token or the shop's key
        assert credential in (OWN, INTEGRATOR), credential
    return f"answered {sorted({r.status_code for r in responses})}"  # the share of each answer


@settings(FUZZ, max_examples=60)
@given(
    path=st.sampled_from([*PUBLIC_POSTS, "/telegram/webhook"]),
    body=bodies,
    content_type=content_types,
    secret=st.booleans(),
)
@example(
    path="/api/web/messages",
    body=b'{"sender": "abc", "message": "\\ud800"}',
    content_type="application/json",
    secret=False,
)
@example(
    path="/api/web/messages",
    body=b'{"sender": NaN, "message": "x"}',
    content_type="application/json",
    secret=False,
)
@example(path="/api/web/messages", body=b"\xff", content_type="text/plain", secret=False)
@example(path="/telegram/webhook", body=b"[" * 5000, content_type=None, secret=True)
@example(
    path="/telegram/webhook",
    body=b'{"update_id": 1, "message": "abc"}',
    content_type="application/json",
    secret=True,
)
def test_any_body_to_any_endpoint_is_answered_without_a_5xx(
    live: Live, path: str, body: bytes, content_type: str | bytes | None, secret: bool
) -> None:
    event(live.run(_post_body, live, path, body, content_type, secret))


def _parses_as_object(body: bytes) -> bool:
    """What the webhook reads as an update (a JSON object), as Starlette parses a body."""
    try:
        return isinstance(json.loads(body), dict)
    except (ValueError, RecursionError):
        return False


async def _post_body(
    live: Live, path: str, body: bytes, content_type: str | bytes | None, secret: bool
) -> str:
    headers = headers_of(Content_Type=content_type)
    if secret:
        headers[SECRET_HEADER] = TELEGRAM_SECRET
    before = await live.customer_messages("web")
    response = await live.request("POST", path, content=body, headers=headers)
    if path == "/api/web/messages":
        stored = await live.customer_messages("web") - before
        assert stored == (1 if response.status_code == 200 else 0)
    if path == "/telegram/webhook" and len(body) <= LIMIT:
        expected = (200 if _parses_as_object(body) else 400) if secret else 403
        assert response.status_code == expected
    return f"{path} answered {response.status_code}"


async def _chunks(body: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@settings(FUZZ, max_examples=30)
@given(
    path=st.sampled_from([*PUBLIC_POSTS, "/telegram/webhook"]),
    size=st.one_of(st.integers(LIMIT - 32, LIMIT + 32), st.integers(LIMIT + 1, 4 * LIMIT)),
    filler=st.binary(min_size=1, max_size=64),
    streamed=st.booleans(),
    content_type=st.sampled_from([None, "application/json", "text/plain"]),
)
def test_a_body_over_the_limit_is_refused_with_413_declared_or_streamed(
    live: Live, path: str, size: int, filler: bytes, streamed: bool, content_type: str | None
) -> None:
    live.run(_oversize, live, path, size, filler, streamed, content_type)


async def _oversize(
    live: Live, path: str, size: int, filler: bytes, streamed: bool, content_type: str | None
) -> None:
    body = (filler * (size // len(filler) + 1))[:size]
    headers = headers_of(Content_Type=content_type)
    headers[SECRET_HEADER] = TELEGRAM_SECRET
    before = await live.customer_messages("web")
    content = _chunks(body) if streamed else body  # streamed: chunked, no Content-Length
    response = await live.request("POST", path, content=content, headers=headers)
    if size > LIMIT:
        assert response.status_code == 413
        assert await live.customer_messages("web") == before
    else:
        assert response.status_code != 413


@settings(FUZZ, max_examples=40)
@given(
    sender=st.one_of(senders, wild_text),
    credential=credentials,
    origin=origins,
)
@example(sender="alice", credential=b"Bearer \xe9", origin=None)
def test_history_is_only_for_its_token_and_never_a_5xx(
    live: Live, sender: str, credential: str | bytes | None, origin: str | bytes | None
) -> None:
    live.run(_history, live, sender, credential, origin)


async def _history(
    live: Live, sender: str, credential: str | bytes | None, origin: str | bytes | None
) -> None:
    # a query string is UTF-8: a lone surrogate arrives as the bytes of one, undecodable
    sender = sender.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    headers = headers_of(Authorization=authorization(live, sender, credential), Origin=origin)
    response = await live.request(
        "GET", "/api/web/history", params={"sender": sender}, headers=headers
    )
    if response.status_code == 200:
        assert credential in (OWN, INTEGRATOR), credential


now = int(time.time())
identities = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.text(min_size=4090, max_size=4100),
    st.builds(
        jwt.encode,
        payload=st.fixed_dictionaries(
            {},
            optional={
                "sub": st.one_of(
                    st.from_regex(r"[A-Za-z0-9._@-]{1,100}", fullmatch=True), wild_text
                ),
                "exp": st.one_of(st.integers(now + 60, now + 10**6), st.integers(), wild_json),
                "name": st.one_of(st.text(max_size=250), wild_json),
                "tier": st.one_of(st.sampled_from(["gold", "vip", "standard"]), wild_json),
                "nbf": st.integers(),
                "iat": wild_json,
            },
        ),
        key=st.sampled_from([IDENTITY_SECRET, WRONG_SECRET]),
        algorithm=st.sampled_from(["HS256", "HS512"]),
    ),
)


@settings(FUZZ, max_examples=40)
@given(identity=identities, origin=origins)
@example(
    identity=jwt.encode({"sub": "x1", "exp": now + 86_400, "name": "a\x00b"}, IDENTITY_SECRET),
    origin=None,
)
@example(
    identity=jwt.encode({"sub": "x2", "exp": now + 86_400, "name": "\ud800"}, IDENTITY_SECRET),
    origin=None,
)
def test_a_customer_identity_is_consistent_and_never_a_5xx(
    live: Live, identity: str | None, origin: str | bytes | None
) -> None:
    live.run(_new_customer, live, identity, origin)


async def _new_customer(live: Live, identity: str | None, origin: str | bytes | None) -> None:
    body = json.dumps({} if identity is None else {"identity": identity}).encode()
    headers = headers_of(Content_Type="application/json", Origin=origin)
    response = await live.request("POST", "/api/web/customers", content=body, headers=headers)
    if response.status_code == 201:
        created = response.json()
        assert created["customer_token"] == live.keys.token_for(created["sender"])
        if identity is None:
            assert created["sender"].startswith("w-")
        else:
            claims = jwt.decode(identity, IDENTITY_SECRET, algorithms=["HS256"])
            assert created["sender"] == f"shop:{claims['sub']}"


@settings(FUZZ, max_examples=25)
@given(
    email=st.one_of(
        st.sampled_from([AGENT_EMAIL, f"  {AGENT_EMAIL.upper()} "]),
        st.emails(),
        st.text(max_size=250),
    ),
    password=st.one_of(st.just(PASSWORD), st.text(max_size=250)),
    origin=origins,
)
@example(email="a\x00b", password="x", origin=None)
def test_signing_in_with_anything_is_never_a_5xx(
    live: Live, email: str, password: str, origin: str | bytes | None
) -> None:
    live.run(_login, live, email, password, origin)


async def _login(live: Live, email: str, password: str, origin: str | bytes | None) -> None:
    response = await live.request(
        "POST",
        "/api/console/login",
        json={"email": email, "password": password},
        headers=headers_of(Origin=origin),
    )
    right = email.strip().lower() == AGENT_EMAIL and password == PASSWORD
    if response.status_code == 200:
        assert right
        assert response.json()["csrf_token"]
    if right and origin is None:
        assert response.status_code == 200, response.text


# -- the widget's WebSocket ----------------------------------------------------------------------


@settings(FUZZ, max_examples=25)
@given(
    sender=valid_senders,
    client_id=st.text(NO_NUL, min_size=1, max_size=100),
    message=st.one_of(st.text(NO_NUL, max_size=200), st.sampled_from(["", "  ", "hi"])),
    copies=st.integers(2, 5),
    tabs=st.integers(1, 2),
)
@example(sender="s" * 100, client_id="c" * 60, message="hi", copies=2, tabs=1)
def test_a_widget_message_sent_again_with_its_client_id_is_stored_once(
    live: Live, sender: str, client_id: str, message: str, copies: int, tabs: int
) -> None:
    # a fresh sender each time (a shrunk example must not meet what it stored before)
    fresh = f"f{next(FRESH)}.{sender}"[:128]
    live.run(_widget_replay, live, fresh, client_id, message, copies, tabs)


async def _until_answered(socket: ClientConnection, frames: int) -> list[dict[str, Any]]:
    """The socket's events until each frame sent on it was answered: a message ends with the
    conversation's state, a refused one with an error."""
    events: list[dict[str, Any]] = []
    answered = 0
    while answered < frames:
        received = json.loads(await asyncio.wait_for(socket.recv(), timeout=20))
        events.append(received)
        if received["type"] in ("error", "conversation"):
            answered += 1
    return events


async def _widget_replay(
    live: Live, sender: str, client_id: str, message: str, copies: int, tabs: int
) -> None:
    query = urllib.parse.urlencode({"sender": sender, "token": live.keys.token_for(sender)})
    frame = json.dumps({"type": "user_uttered", "message": message, "client_id": client_id})
    sockets = [await connect(f"{live.ws_url}/ws/web?{query}") for _ in range(tabs)]
    try:
        for sock in sockets:
            first = json.loads(await asyncio.wait_for(sock.recv(), timeout=20))
            assert first["type"] == "history"
        shares = [len(range(n, copies, tabs)) for n in range(tabs)]

        async def tab(sock: ClientConnection, frames: int) -> list[dict[str, Any]]:
            for _ in range(frames):
                await sock.send(frame)
            return await _until_answered(sock, frames)

        try:
            answers = await asyncio.gather(
                *(tab(s, n) for s, n in zip(sockets, shares, strict=True))
            )
        except ConnectionClosed as closed:
            raise AssertionError(
                f"the gateway closed the widget's socket ({closed}) on {frame!r}"
            ) from closed
    finally:
        for sock in sockets:
            await sock.close()
    events = [e for answer in answers for e in answer]
    stored = await live.customer_messages("web", sender)
    if message.strip():
        assert stored == 1, events
        assert not [e for e in events if e["type"] == "error"], events
        # the bot answered the message once, whichever tab sent it first
        assert len([e for e in events if e["type"] == "bot_uttered"]) == 1, events
    else:
        assert stored == 0
        assert len([e for e in events if e["type"] == "error"]) == copies, events


# -- the Telegram webhook -----------------------------------------------------------------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as the keys (and indices) that lead to it."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*prefix, index)))
    return found


@st.composite
def forged_updates(draw: st.DrawFn) -> dict[str, Any]:
    """A real-looking update, then a few of its fields replaced or removed."""
    chat = draw(st.one_of(st.integers(-(10**12), 10**12), st.integers()))
    update_id = draw(st.integers(-(2**63), 2**63))
    if draw(st.booleans()):
        update = text_update(update_id, chat, draw(wild_text), draw(st.none() | st.text()))
    else:
        update = callback_update(update_id, chat, draw(wild_text), draw(st.none() | st.text()))
    for _ in range(draw(st.integers(0, 4))):
        paths = _paths(update)[1:]
        if not paths:  # every field is gone already
            break
        path = draw(st.sampled_from(paths))
        parent = update
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()):
            parent[path[-1]] = draw(wild_json)
        elif isinstance(parent, dict):
            del parent[path[-1]]
    return update


@settings(FUZZ, max_examples=60)
@given(
    # the right secret half of the time: what is behind it is the interesting part
    secret=st.one_of(st.just(TELEGRAM_SECRET.encode()), st.none() | header_values),
    body=st.one_of(
        st.builds(encoded, forged_updates(), st.just("utf-8"), st.booleans()),
        st.builds(encoded, json_values, st.sampled_from(ENCODINGS), st.booleans()),
        bodies,
    ),
)
@example(
    secret=TELEGRAM_SECRET.encode(),
    body=json.dumps(text_update(1, chat_id=77, text="hello \x00 there")).encode(),
)
@example(
    secret=TELEGRAM_SECRET.encode(),
    body=json.dumps(text_update(2, chat_id=78, text="hello \ud800 there")).encode(),
)
def test_a_forged_telegram_update_is_refused_or_processed_without_a_failure(
    live: Live, secret: bytes | None, body: bytes
) -> None:
    event(live.run(_forged, live, secret, body))


async def _forged(live: Live, secret: bytes | None, body: bytes) -> str:
    failures, sorry = len(live.failures.records), live.sorry_count()
    headers = headers_of(Content_Type="application/json")
    if secret is not None:
        headers[SECRET_HEADER] = secret
    response = await live.request("POST", "/telegram/webhook", content=body, headers=headers)
    answered = f"answered {response.status_code}"
    if secret != TELEGRAM_SECRET.encode():
        assert response.status_code in (403, 413)
        return answered
    if len(body) > LIMIT:
        assert response.status_code == 413
        return answered
    assert response.status_code == (200 if _parses_as_object(body) else 400)
    await live.settled()
    assert live.failures.since(failures) == []
    assert live.sorry_count() == sorry, "a stored-message failure was told to the customer"
    return answered


routable = st.text(NO_NUL, min_size=1, max_size=300).filter(
    lambda t: bool(t.strip()) and not t.startswith("/")
)


@settings(FUZZ, max_examples=30)
@given(
    button=st.booleans(),
    text=routable,
    language=st.sampled_from([None, "en", "zh-hans", "pt-br"]),
    copies=st.integers(2, 5),
    concurrently=st.booleans(),
    renumbered=st.booleans(),
)
def test_a_replayed_telegram_update_is_stored_and_answered_once(
    live: Live,
    button: bool,
    text: str,
    language: str | None,
    copies: int,
    concurrently: bool,
    renumbered: bool,
) -> None:
    chat, message_id = next(TELEGRAM_CHATS), next(TELEGRAM_IDS)
    if button:
        update = callback_update(message_id, chat, text, language)
    else:
        update = text_update(message_id, chat, text, language, message_id=message_id)
    # Telegram redelivers an update with its id; after a renumbering the same message may come
    # back under another update id
    deliveries = [
        {**update, "update_id": next(TELEGRAM_IDS) if renumbered else message_id}
        for _ in range(copies)
    ]
    live.run(_replay, live, chat, deliveries, concurrently)


async def _replay(
    live: Live, chat: int, deliveries: list[dict[str, Any]], concurrently: bool
) -> None:
    failures = len(live.failures.records)
    headers = {SECRET_HEADER: TELEGRAM_SECRET}

    def post(update: dict[str, Any]) -> Awaitable[httpx.Response]:
        return live.request("POST", "/telegram/webhook", json=update, headers=headers)

    if concurrently:
        responses = await asyncio.gather(*(post(u) for u in deliveries))
    else:
        responses = [await post(u) for u in deliveries]
    assert [r.status_code for r in responses] == [200] * len(deliveries)
    await live.settled()
    assert live.failures.since(failures) == []

    outcomes = live.handled.get(("telegram", str(chat)), [])
    assert len(outcomes) == len(deliveries), outcomes  # every delivery reached the router
    assert all(isinstance(o, Outcome) for o in outcomes), outcomes
    firsts = [o for o in outcomes if isinstance(o, Outcome) and not o.duplicate]
    assert len(firsts) == 1, outcomes
    assert await live.customer_messages("telegram", str(chat)) == 1
    sent = [s for s in live.telegram.calls("sendMessage") if s.get("chat_id") == chat]
    assert len(sent) == len(firsts[0].replies), sent  # answered once
