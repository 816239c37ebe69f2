"""The Telegram channel: customers write to the shop's bot; replies come back as messages with
inline keyboards.

Updates arrive by long polling (`polling.py`; no public address needed) or by webhook (Telegram
POSTs each to `POST /telegram/webhook`, with the secret token header), and are confirmed only
once stored. The Router's store is idempotent on the message id: an update delivered twice is
answered once.

Updates are processed concurrently, so a slow assistant for one customer never holds up the
others, but in order per chat: a customer's second message waits for the first to be answered.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Sequence
from contextlib import suppress
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Literal

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram.polling import poll
from bot.channels.telegram.receiving import CHANNEL, chat_of, inbound_of
from bot.channels.telegram.sending import Sender
from bot.contract import ConversationView, InboundRouter, Reply
from bot.keys import same_secret
from bot.locks import KeyedLocks

if TYPE_CHECKING:
    from bot.settings import Settings

logger = logging.getLogger(__name__)

Mode = Literal["polling", "webhook"]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# what /start (the first thing every Telegram user sends) says to the assistant
START_TEXT = "hi"
# a webhook update waiting for its message to be stored (set while its handlers run)
_STORED: ContextVar[asyncio.Future[bool] | None] = ContextVar("telegram_stored", default=None)
SORRY = {
    "en": "Sorry, I couldn't take that message just now. Please send it again in a moment.",
    "zh": "抱歉，刚才没能收到这条消息。请稍后再发一次。",
}
# when Telegram cannot be reached at start, trying again after 1, 2, 4 … 60 seconds
START_BACKOFF_MAX_SECONDS = 60.0

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


def derived_secret(token: str) -> str:
    """A stable webhook secret when none is configured (Telegram allows A-Z a-z 0-9 _ -)."""
    return hmac.new(token.encode(), b"lera-desk telegram webhook", hashlib.sha256).hexdigest()


class TelegramChannel:
    """Receives Telegram updates for the Router and delivers replies to Telegram chats."""

    name = CHANNEL

    def __init__(
        self,
        token: str,
        router: InboundRouter,
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
        self._polling: asyncio.Task[None] | None = None
        self._chats = KeyedLocks()  # one update at a time per chat, in the order they came
        self._working: set[asyncio.Task[Any]] = set()  # webhook updates still being answered
        self._sender = Sender(lambda: self.application.bot)

    @classmethod
    def from_settings(cls, settings: Settings, router: InboundRouter) -> TelegramChannel:
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
        return self.mode == "webhook" or (self._polling is not None and not self._polling.done())

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
        # no updater: the webhook hands updates in, or `polling.py` fetches them
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
            await app.bot.delete_webhook(drop_pending_updates=False)
            self._polling = asyncio.create_task(poll(app.bot, self.receive, ALLOWED_UPDATES))
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
        if self._polling is not None:
            self._polling.cancel()
            with suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        app = self._application
        if app is None:
            return
        if app.running:
            await app.stop()
        await app.shutdown()
        self._application = None

    # -- receiving an update (webhook or polling) -----------------------------------------------

    def verify_secret(self, secret_header: str | None) -> bool:
        return same_secret(secret_header, self._secret)

    async def receive(self, update: Update) -> bool:
        """Processes an update and returns once its message is stored — the webhook answers
        Telegram, and polling confirms the update, only then (False: it could not be stored;
        Telegram sends it again). The answer to the customer goes on in the background."""
        stored: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        token = _STORED.set(stored)
        try:  # the task copies the context: its handlers find the future
            task = asyncio.create_task(self.application.process_update(update))
        finally:
            _STORED.reset(token)
        self._working.add(task)
        task.add_done_callback(self._working.discard)
        waited: set[asyncio.Future[Any]] = {stored, task}
        await asyncio.wait(waited, return_when=asyncio.FIRST_COMPLETED)
        if stored.done():
            return stored.result()
        return True  # handled without storing anything (an empty text, an unknown kind)

    # -- receiving ------------------------------------------------------------------------------

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

    async def _route(self, update: Update, text: str, answer: bool = False) -> None:
        external_id = chat_of(update)
        if external_id is None:
            return
        async with self._chats.hold(external_id):
            if answer and update.callback_query is not None:
                try:  # stops the spinner on the button; the reply follows as a message
                    await update.callback_query.answer()
                except TelegramError as error:
                    logger.info("answering callback query failed: %s", error)
            if not text.strip():
                return
            inbound = inbound_of(update, external_id, text, self._token.split(":", 1)[0])
            waiting = _STORED.get()

            async def on_stored() -> None:
                if waiting is not None and not waiting.done():
                    waiting.set_result(True)

            try:
                outcome = await self._router.handle(inbound, on_stored=on_stored)
            except Exception:
                logger.exception("routing Telegram update %s failed", update.update_id)
                if waiting is not None and not waiting.done():
                    waiting.set_result(False)  # not stored: Telegram delivers it again
                    return
                await self.deliver(
                    external_id, [Reply(text=SORRY[inbound.language or "en"], author="system")]
                )
                return
            if not outcome.duplicate:
                await self.deliver(external_id, outcome.replies)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        number = update.update_id if isinstance(update, Update) else None
        logger.error("Telegram update %s failed", number, exc_info=context.error)

    # -- sending --------------------------------------------------------------------------------

    async def deliver(self, external_id: str, replies: Sequence[Reply]) -> None:
        """Sends the replies in order (`sending.py`)."""
        await self._sender.deliver(external_id, replies)

    async def conversation_changed(self, external_id: str, view: ConversationView) -> None:
        """Telegram shows no status: the customer reads who has the chat in its messages."""
