"""The Telegram channel: customers write to the shop's bot; replies come back as messages with
inline keyboards.

Updates arrive by long polling (development: no public address needed) or by webhook
(production: Telegram POSTs each update to `POST /telegram/webhook`, authenticated by the secret
token header). Either way an update becomes an `Inbound` for the Router, whose store is idempotent
on the message id: an update Telegram delivers twice (a retried webhook, a re-fetched poll) is
routed twice with the same id and answered once.

Updates are processed concurrently, so a slow assistant for one customer never holds up the
others, but in order per chat: a customer's second message waits for the first to be answered.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import hashlib
import hmac
import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, Protocol

from fastapi import APIRouter, Header, Request, Response
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.base import Reply
from bot.routing import Inbound

if TYPE_CHECKING:
    from bot.routing import Outcome
    from bot.settings import Settings

logger = logging.getLogger(__name__)

Mode = Literal["polling", "webhook"]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's limits: 4096 characters of text, 1024 of caption, 64 bytes of callback data
TEXT_LIMIT = 4000
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64
# what /start (the first thing every Telegram user sends) says to the assistant
START_TEXT = "hi"
# a reply with buttons but no text still needs a message to hang the keyboard on
BUTTONS_ONLY_TEXT = "⬇️"
SORRY = {
    "en": "Sorry, I couldn't take that message just now. Please send it again in a moment.",
    "zh": "抱歉，刚才没能收到这条消息。请稍后再发一次。",
}
# sending to a chat is retried on connection errors and flood control, this many times
SEND_ATTEMPTS = 3
MAX_RETRY_AFTER_SECONDS = 30.0
# when Telegram cannot be reached at start, trying again after 1, 2, 4 … 60 seconds
START_BACKOFF_MAX_SECONDS = 60.0

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


class RouterLike(Protocol):
    async def handle(self, inbound: Inbound) -> Outcome: ...


def derived_secret(token: str) -> str:
    """A stable webhook secret when none is configured (Telegram allows A-Z a-z 0-9 _ -)."""
    return hmac.new(token.encode(), b"lera-desk telegram webhook", hashlib.sha256).hexdigest()


def language_of(language_code: str | None) -> str | None:
    """The assistant speaks English and Chinese: a Telegram language_code as a hint."""
    if not language_code:
        return None
    return "zh" if language_code.lower().startswith("zh") else "en"


def callback_data(payload: str) -> str:
    """The payload cut to Telegram's 64 bytes, never in the middle of a character."""
    data = payload.encode()
    if len(data) <= CALLBACK_DATA_BYTES:
        return payload
    logger.warning(
        "button payload longer than %s bytes, truncated: %r", CALLBACK_DATA_BYTES, payload
    )
    return data[:CALLBACK_DATA_BYTES].decode(errors="ignore")


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button per row; pressing it sends the button's payload back as a callback query."""
    rows = []
    for button in reply.buttons:
        title = button.title or button.payload
        data = callback_data(button.payload or button.title)
        if title and data:
            rows.append([InlineKeyboardButton(text=title, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Long text in pieces Telegram accepts, cut at a line break or space where possible."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def _seconds(period: int | dtm.timedelta) -> float:
    return period.total_seconds() if isinstance(period, dtm.timedelta) else float(period)


class TelegramChannel:
    """Receives Telegram updates for the Router and delivers replies to Telegram chats."""

    name = "telegram"

    def __init__(
        self,
        token: str,
        router: RouterLike,
        mode: Mode = "polling",
        base_url: str = "https://api.telegram.org/bot",
        base_file_url: str = "https://api.telegram.org/file/bot",
        webhook_url: str | None = None,
        secret_token: str | None = None,
    ) -> None:
        if mode not in ("polling", "webhook"):
            raise ValueError(f"unknown Telegram mode {mode!r}")
        if mode == "webhook" and not webhook_url:
            raise ValueError("webhook mode needs the webhook's public URL")
        self._token = token
        self._router = router
        self.mode: Mode = mode
        self._base_url = base_url
        self._base_file_url = base_file_url
        self.webhook_url = webhook_url
        self._secret = secret_token or derived_secret(token)
        self._application: TelegramApp | None = None
        self._retrying: asyncio.Task[None] | None = None
        self._chat_locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @classmethod
    def from_settings(cls, settings: Settings, router: RouterLike) -> TelegramChannel:
        if settings.telegram_token is None:
            raise ValueError("LERA_TELEGRAM_TOKEN is not set")
        secret = settings.telegram_secret
        return cls(
            token=settings.telegram_token.get_secret_value(),
            router=router,
            mode=settings.telegram_mode,
            base_url=settings.telegram_api_url,
            base_file_url=settings.telegram_file_url,
            webhook_url=settings.telegram_webhook_url,
            secret_token=secret.get_secret_value() if secret is not None else None,
        )

    @property
    def application(self) -> TelegramApp:
        if self._application is None:
            raise RuntimeError("the Telegram channel is not started")
        return self._application

    @property
    def running(self) -> bool:
        """True once updates are being received (polling, or the webhook is set)."""
        app = self._application
        if app is None or not app.running:
            return False
        return self.mode == "webhook" or (app.updater is not None and app.updater.running)

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connects to Telegram. A wrong token fails loudly; an unreachable Telegram does not
        keep the gateway from starting: the channel keeps trying in the background."""
        builder = (
            ApplicationBuilder()
            .token(self._token)
            .base_url(self._base_url)
            .base_file_url(self._base_file_url)
            .concurrent_updates(True)
        )
        if self.mode == "webhook":
            builder = builder.updater(None)
        app: TelegramApp = builder.build()
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler("start", self._on_start, filters=private))
        app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, self._on_text))
        app.add_handler(CallbackQueryHandler(self._on_button))
        app.add_error_handler(self._on_error)
        self._application = app
        try:
            await self._connect()
        except InvalidToken:
            await self.stop()
            raise
        except TelegramError as error:
            logger.warning("Telegram is unreachable (%s); retrying in the background", error)
            self._retrying = asyncio.create_task(self._connect_until_done())

    async def _connect(self) -> None:
        app = self.application
        await app.initialize()  # getMe: checks the token
        if not app.running:
            await app.start()
        if self.mode == "polling":
            assert app.updater is not None
            await app.updater.start_polling(
                allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False
            )
            logger.info("Telegram: polling for updates as @%s", app.bot.username)
        else:
            assert self.webhook_url is not None
            await app.bot.set_webhook(
                self.webhook_url,
                secret_token=self._secret,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
            )
            logger.info("Telegram: webhook set to %s for @%s", self.webhook_url, app.bot.username)

    async def _connect_until_done(self) -> None:
        delay = 1.0
        while True:
            await asyncio.sleep(delay)
            try:
                await self._connect()
            except InvalidToken:
                logger.error("Telegram rejected the bot token; the Telegram channel is off")
                return
            except TelegramError as error:
                delay = min(delay * 2, START_BACKOFF_MAX_SECONDS)
                logger.warning("Telegram still unreachable (%s); next try in %.0fs", error, delay)
            else:
                return

    async def stop(self) -> None:
        """Stops receiving and closes the connections. The webhook stays set, so Telegram keeps
        the updates sent while the gateway restarts."""
        if self._retrying is not None:
            self._retrying.cancel()
            with suppress(asyncio.CancelledError):
                await self._retrying
            self._retrying = None
        app = self._application
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        self._application = None

    # -- webhook --------------------------------------------------------------------------------

    def verify_secret(self, secret_header: str | None) -> bool:
        if secret_header is None:
            return False
        return hmac.compare_digest(secret_header.encode(), self._secret.encode())

    async def process_webhook_update(
        self, payload: dict[str, Any], secret_header: str | None
    ) -> bool:
        """Queues one webhook update for processing; False when the secret does not match."""
        if not self.verify_secret(secret_header):
            return False
        app = self.application
        try:
            update = Update.de_json(payload, app.bot)
        except (KeyError, TypeError, ValueError):
            logger.warning("ignored a malformed Telegram update: %r", payload)
            return True
        await app.update_queue.put(update)
        return True

    # -- receiving ------------------------------------------------------------------------------

    @asynccontextmanager
    async def _in_order(self, chat: str) -> AsyncIterator[None]:
        """One update at a time per chat, in the order they arrived."""
        lock, users = self._chat_locks.get(chat, (asyncio.Lock(), 0))
        self._chat_locks[chat] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chat_locks[chat]
            if users <= 1:
                del self._chat_locks[chat]
            else:
                self._chat_locks[chat] = (lock, users - 1)

    async def _on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._route(update, START_TEXT)

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            await self._route(update, message.text)

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        await self._route(update, query.data or "", answer=True)

    def idempotency_key(self, update: Update) -> str:
        """The same for every delivery of one update, and never reused by another update.

        Not the update_id alone: Telegram restarts update ids at a random number after a quiet
        week, and a new bot (token) starts its own sequence, so an old id could come back and
        a new message be taken for a duplicate. A message is identified by its chat and its id
        in the chat, a button press by the callback query's id; both under this bot's id.
        """
        bot_id = self._token.split(":", 1)[0]
        query = update.callback_query
        if query is not None:
            return f"c{bot_id}:{query.id}"
        message = update.effective_message
        if message is not None:
            return f"m{bot_id}:{message.chat_id}:{message.message_id}"
        return f"u{bot_id}:{update.update_id}"

    async def _route(self, update: Update, text: str, answer: bool = False) -> None:
        chat = update.effective_chat
        user = update.effective_user
        chat_id = chat.id if chat is not None else user.id if user is not None else None
        if chat_id is None:
            return
        external_id = str(chat_id)
        async with self._in_order(external_id):
            if answer and update.callback_query is not None:
                try:  # stops the spinner on the button; the reply follows as a message
                    await update.callback_query.answer()
                except TelegramError as error:
                    logger.info("answering callback query failed: %s", error)
            if not text.strip():
                return
            language = language_of(user.language_code if user is not None else None)
            inbound = Inbound(
                channel=self.name,
                external_id=external_id,
                text=text,
                message_id=self.idempotency_key(update),
                display_name=(user.full_name[:200] or None) if user is not None else None,
                language=language,
            )
            try:
                outcome = await self._router.handle(inbound)
            except Exception:
                logger.exception("routing Telegram update %s failed", update.update_id)
                await self.deliver(
                    external_id, [Reply(text=SORRY[language or "en"], author="system")]
                )
                return
            if not outcome.duplicate:
                await self.deliver(external_id, outcome.replies)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        logger.error("Telegram update %r failed", update, exc_info=context.error)

    # -- sending --------------------------------------------------------------------------------

    async def deliver(self, external_id: str, replies: Sequence[Reply]) -> None:
        """Sends the replies in order. A customer who blocked the bot gets nothing more; a
        reply Telegram refuses (e.g. an image it cannot fetch) is logged and the rest go on."""
        for reply in replies:
            try:
                if reply.image:
                    await self._send_photo(external_id, reply)
                else:
                    await self._send_text(external_id, reply.text, keyboard(reply))
            except Forbidden as error:
                logger.warning("Telegram chat %s does not accept messages: %s", external_id, error)
                return
            except TimedOut as error:  # it may have arrived: sending again could duplicate it
                logger.warning("sending to Telegram chat %s timed out: %s", external_id, error)
            except BadRequest as error:
                logger.warning("Telegram refused a reply to chat %s: %s", external_id, error)

    async def _send_text(
        self, chat_id: str, text: str | None, markup: InlineKeyboardMarkup | None
    ) -> None:
        pieces = split_text(text or "") or ([BUTTONS_ONLY_TEXT] if markup is not None else [])
        bot = self.application.bot
        for number, piece in enumerate(pieces, start=1):
            last = number == len(pieces)
            await self._call(
                partial(bot.send_message, chat_id, piece, reply_markup=markup if last else None)
            )

    async def _send_photo(self, chat_id: str, reply: Reply) -> None:
        assert reply.image is not None
        markup = keyboard(reply)
        text = reply.text or ""
        caption_fits = len(text) <= CAPTION_LIMIT
        try:
            await self._call(
                partial(
                    self.application.bot.send_photo,
                    chat_id,
                    reply.image,
                    caption=text if caption_fits and text else None,
                    reply_markup=markup if caption_fits else None,
                )
            )
        except BadRequest as error:  # Telegram could not fetch or use the image
            logger.warning("Telegram refused image %s: %s; sending a link", reply.image, error)
            await self._send_text(chat_id, f"{text}\n{reply.image}".strip(), markup)
            return
        if not caption_fits:
            await self._send_text(chat_id, text, markup)

    async def _call(self, send: Callable[[], Awaitable[object]]) -> None:
        """Calls Telegram, retrying after flood control and connection errors, but not after a
        timeout: a message that timed out may have been delivered."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await send()
                return
            except RetryAfter as error:
                if attempt == SEND_ATTEMPTS:
                    raise
                with warnings.catch_warnings():  # retry_after as int is deprecated in PTB 22
                    warnings.simplefilter("ignore")
                    wait = _seconds(error.retry_after)
                await asyncio.sleep(min(wait, MAX_RETRY_AFTER_SECONDS))
            except (BadRequest, TimedOut):
                raise
            except NetworkError:
                if attempt == SEND_ATTEMPTS:
                    raise
                await asyncio.sleep(0.5 * attempt)


def webhook_router(channel: TelegramChannel) -> APIRouter:
    api = APIRouter()

    @api.post(
        "/telegram/webhook",
        tags=["telegram channel"],
        summary="Updates from Telegram (webhook mode)",
        responses={403: {"description": "wrong or missing secret token"}},
        include_in_schema=False,
    )
    async def telegram_webhook(
        request: Request,
        secret: str | None = Header(default=None, alias=SECRET_HEADER),
    ) -> Response:
        if not channel.verify_secret(secret):
            return Response(status_code=403)
        if not channel.running:
            return Response(status_code=503)  # Telegram retries later
        try:
            payload = await request.json()
        except ValueError:
            return Response(status_code=400)
        if not isinstance(payload, dict):
            return Response(status_code=400)
        accepted = await channel.process_webhook_update(payload, secret)
        return Response(status_code=200 if accepted else 403)

    return api
