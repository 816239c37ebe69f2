"""Long polling that confirms an update only once its message is stored.

python-telegram-bot's own updater confirms a batch on its next fetch, whether or not the batch
was stored: a crash in between loses those messages. Here the offset (which confirms every
update before it to Telegram) moves past an update only after the gateway stored it; an update
that could not be stored is fetched again, and storing is idempotent on its message id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError

logger = logging.getLogger(__name__)

# seconds Telegram holds a getUpdates open while nothing comes
LONG_POLL_SECONDS = 20
# after a failed fetch or store: 1, 2, 4 … 30 seconds
BACKOFF_MAX_SECONDS = 30.0


async def poll(
    bot: Bot,
    receive: Callable[[Update], Awaitable[bool]],
    allowed_updates: Sequence[str],
    long_poll: int = LONG_POLL_SECONDS,
) -> None:
    """Fetches updates and hands each to `receive` (True: stored) until cancelled."""
    offset: int | None = None
    delay = 1.0
    while True:
        try:
            updates = await bot.get_updates(
                offset=offset,
                timeout=long_poll,
                allowed_updates=list(allowed_updates),
                read_timeout=long_poll + 10,
            )
        except InvalidToken:
            logger.error("Telegram rejected the bot token; polling stops")
            return
        except TelegramError as error:
            logger.warning("Telegram getUpdates failed (%s); again in %.0f s", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX_SECONDS)
            continue
        stored_all = True
        for update in updates:
            try:
                stored = await receive(update)
            except Exception:  # an update that cannot be read is logged and confirmed
                logger.exception("Telegram update %s could not be handled", update.update_id)
                stored = True
            if not stored:
                stored_all = False
                break  # not confirmed: fetched again, from this one
            offset = update.update_id + 1
        if stored_all:
            delay = 1.0
        else:
            logger.warning("a Telegram update was not stored; fetching it again in %.0f s", delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX_SECONDS)
