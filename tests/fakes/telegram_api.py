"""A fake Telegram Bot API server: a real HTTP server on 127.0.0.1 for python-telegram-bot.

It speaks enough of https://core.telegram.org/bots/api for the gateway's Telegram channel:
getMe, getUpdates (long polling, honouring `offset`, `limit`, `timeout`, `allowed_updates`),
sendMessage, sendPhoto, answerCallbackQuery, setWebhook, deleteWebhook, getWebhookInfo, and any
other method answered with `{"ok": true, "result": true}`. Every authorised call is recorded with
its parameters (python-telegram-bot sends url-encoded forms whose nested values are JSON strings,
or multipart forms when it uploads a file; JSON bodies are accepted too).

    with running_fake_telegram() as fake:
        app = ApplicationBuilder().token(fake.token).base_url(fake.base_url)...
        fake.push_update(text_update(1, chat_id=42, text="hello"))
        [sent] = await fake.wait_for("sendMessage")

The server runs in its own thread and event loop, so the test's event loop stays free for the
code under test: `wait_for` is a coroutine for that reason.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_ID = 7000000001
TOKEN = f"{BOT_ID}:AAFakeTokenForTestsOnly_0123456789ab"
BOT_USERNAME = "lera_desk_test_bot"

# parameters that are always strings, even when they look like JSON ("42", "true")
TEXT_PARAMETERS = frozenset(
    {
        "text",
        "caption",
        "url",
        "secret_token",
        "callback_query_id",
        "photo",
        "document",
        "ip_address",
        "inline_message_id",
        "business_connection_id",
        "parse_mode",
    }
)

_unique = itertools.count(1)


def _user(user_id: int, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "username": f"customer{user_id}",
    }
    if language_code is not None:
        user["language_code"] = language_code
    return user


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {
            "id": chat_id,
            "type": "private",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "username": f"customer{chat_id}",
        }
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": "A group"}


def _bot_user() -> dict[str, Any]:
    return {"id": BOT_ID, "is_bot": True, "first_name": "LERA Desk", "username": BOT_USERNAME}


def text_update(
    update_id: int,
    chat_id: int,
    text: str,
    language_code: str | None = "en",
    message_id: int | None = None,
) -> dict[str, Any]:
    """An Update with a customer's text message in a private chat (commands get their entity)."""
    message: dict[str, Any] = {
        "message_id": message_id if message_id is not None else update_id,
        "from": _user(chat_id, language_code),
        "chat": _chat(chat_id),
        "date": int(time.time()),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
        ]
    return {"update_id": update_id, "message": message}


def callback_update(
    update_id: int,
    chat_id: int,
    data: str,
    language_code: str | None = "en",
    message_id: int = 1,
) -> dict[str, Any]:
    """An Update with a press of an inline button (callback_data `data`) under a bot message."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"{chat_id}{next(_unique):06d}",
            "from": _user(chat_id, language_code),
            "message": {
                "message_id": message_id,
                "from": _bot_user(),
                "chat": _chat(chat_id),
                "date": int(time.time()),
                "text": "How can I help?",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "A button", "callback_data": data}]]
                },
            },
            "chat_instance": f"-{chat_id}000",
            "data": data,
        },
    }


@dataclass
class _Failure:
    error_code: int
    description: str
    retry_after: int | None


class FakeTelegram:
    """The fake server's state; the HTTP side runs in a background thread."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.base_url = ""
        self.base_file_url = ""
        self._lock = threading.Lock()
        self._calls: list[tuple[str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._webhook: dict[str, Any] = {}
        self._message_ids = itertools.count(1000)
        self._closing = False

    # -- the test's side ------------------------------------------------------------------------

    def calls(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of `method` (case-insensitive), in order."""
        with self._lock:
            return [dict(p) for m, p in self._calls if m.lower() == method.lower()]

    def methods(self) -> list[str]:
        """Every method called, in order (for debugging a test)."""
        with self._lock:
            return [m for m, _ in self._calls]

    def push_update(self, update: dict[str, Any]) -> None:
        """Queues an update for getUpdates (polling mode)."""
        with self._lock:
            self._updates.append(update)

    def fail(
        self,
        method: str,
        error_code: int = 400,
        description: str = "Bad Request: something went wrong",
        retry_after: int | None = None,
    ) -> None:
        """The next call of `method` fails like the real API would."""
        with self._lock:
            self._failures.setdefault(method.lower(), []).append(
                _Failure(error_code, description, retry_after)
            )

    @property
    def webhook(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._webhook)

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 20
    ) -> list[dict[str, Any]]:
        """Waits until `method` was called `count` times; returns all its calls."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls(method)
            if len(calls) >= count:
                return calls
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{method} called {len(calls)} times, not {count}, in {timeout}s; "
                    f"calls seen: {self.methods()}"
                )
            await asyncio.sleep(0.02)

    # -- the server's side ------------------------------------------------------------------------

    def _record(self, method: str, params: dict[str, Any]) -> _Failure | None:
        with self._lock:
            self._calls.append((method, params))
            pending = self._failures.get(method.lower())
            return pending.pop(0) if pending else None

    def _message(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        with self._lock:
            message_id = next(self._message_ids)
        try:
            chat = _chat(int(chat_id))
        except (TypeError, ValueError):  # "@channelusername"
            chat = {"id": -1001234567890, "type": "channel", "username": str(chat_id).lstrip("@")}
        message = {
            "message_id": message_id,
            "from": _bot_user(),
            "chat": chat,
            "date": int(time.time()),
        }
        message.update({k: v for k, v in content.items() if v is not None})
        return message

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates") or []
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if offset:  # confirms every update before the offset
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = [
                    u for u in self._updates if not allowed or any(kind in u for kind in allowed)
                ][:limit]
                closing = self._closing
            if ready or closing or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.02)

    async def _endpoint(self, request: Request) -> JSONResponse:
        token = request.path_params["token"]
        method = request.path_params["method"]
        if token != self.token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401
            )
        params = await _parameters(request)
        failure = self._record(method, params)
        if failure is not None:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.error_code,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return JSONResponse(body, status_code=failure.error_code)
        name = method.lower()
        result: Any = True
        if name == "getme":
            result = {
                **_bot_user(),
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        elif name == "getupdates":
            if self.webhook.get("url"):
                return JSONResponse(
                    {
                        "ok": False,
                        "error_code": 409,
                        "description": "Conflict: can't use getUpdates method while webhook is "
                        "active; use deleteWebhook to delete the webhook first",
                    },
                    status_code=409,
                )
            result = await self._get_updates(params)
        elif name == "sendmessage":
            result = self._message(
                params.get("chat_id"),
                text=params.get("text"),
                reply_markup=params.get("reply_markup"),
            )
        elif name == "sendphoto":
            result = self._message(
                params.get("chat_id"),
                photo=[
                    {
                        "file_id": f"AgAC{next(_unique):08d}{size}",
                        "file_unique_id": f"AQAD{next(_unique):08d}",
                        "width": size,
                        "height": size,
                        "file_size": size * 40,
                    }
                    for size in (90, 320, 800)
                ],
                caption=params.get("caption"),
                reply_markup=params.get("reply_markup"),
            )
        elif name == "setwebhook":
            with self._lock:
                self._webhook = {
                    "url": params.get("url", ""),
                    "secret_token": params.get("secret_token"),
                    "allowed_updates": params.get("allowed_updates"),
                }
                if params.get("drop_pending_updates"):
                    self._updates.clear()
        elif name == "deletewebhook":
            with self._lock:
                self._webhook = {}
                if params.get("drop_pending_updates"):
                    self._updates.clear()
        elif name == "getwebhookinfo":
            with self._lock:
                result = {
                    "url": self._webhook.get("url", ""),
                    "has_custom_certificate": False,
                    "pending_update_count": len(self._updates),
                }
                if self._webhook.get("allowed_updates"):
                    result["allowed_updates"] = self._webhook["allowed_updates"]
        return JSONResponse({"ok": True, "result": result})

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
            ]
        )


def _value(key: str, raw: str) -> Any:
    if key in TEXT_PARAMETERS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


async def _parameters(request: Request) -> dict[str, Any]:
    """The call's parameters from the query string and a JSON, url-encoded or multipart body."""
    params: dict[str, Any] = {k: _value(k, v) for k, v in request.query_params.items()}
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not body:
        return params
    if kind == "application/json":
        loaded = json.loads(body)
        if isinstance(loaded, dict):
            params.update(loaded)
    elif kind == "multipart/form-data":
        head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
        parsed = BytesParser(EmailMessage, policy=HTTP).parsebytes(head + body)
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            content = part.get_payload(decode=True)
            data = content if isinstance(content, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                params[name] = {"filename": filename, "size": len(data)}
            else:
                params[name] = _value(name, data.decode(part.get_content_charset() or "utf-8"))
    else:
        for key, raw in urllib.parse.parse_qsl(body.decode(), keep_blank_values=True):
            params[key] = _value(key, raw)
    return params


@contextmanager
def running_fake_telegram(token: str = TOKEN) -> Iterator[FakeTelegram]:
    """Serves a FakeTelegram on a free port of 127.0.0.1 for the duration of the block."""
    fake = FakeTelegram(token)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    fake.base_url = f"http://127.0.0.1:{port}/bot"
    fake.base_file_url = f"http://127.0.0.1:{port}/file/bot"
    server = uvicorn.Server(
        uvicorn.Config(
            fake.app(),
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
    )
    thread = threading.Thread(
        target=lambda: asyncio.run(server.serve(sockets=[sock])),
        name="fake-telegram",
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake Telegram server did not start")
        time.sleep(0.01)
    try:
        yield fake
    finally:
        with fake._lock:
            fake._closing = True
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
