"""Sending to Telegram chats: text in pieces, photos with captions, buttons as inline keyboards;
retried after flood control and connection errors, never after a timeout."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from functools import partial

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram.render import CAPTION_LIMIT, keyboard, split_text
from bot.contract import Reply

logger = logging.getLogger(__name__)

# a reply with buttons but no text still needs a message to hang the keyboard on
BUTTONS_ONLY_TEXT = "⬇️"
# sending to a chat is retried on connection errors and flood control, this many times
SEND_ATTEMPTS = 3
MAX_RETRY_AFTER_SECONDS = 30.0


def _seconds(period: int | dtm.timedelta) -> float:
    return period.total_seconds() if isinstance(period, dtm.timedelta) else float(period)


class Sender:
    """Sends replies through the bot the channel's application has while it runs."""

    def __init__(self, bot: Callable[[], Bot]) -> None:
        self._bot = bot

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
        bot = self._bot()
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
                    self._bot().send_photo,
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
