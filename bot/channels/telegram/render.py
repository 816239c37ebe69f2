"""Replies as Telegram wants them: inline keyboards, text cut to Telegram's limits."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.contract import Reply

logger = logging.getLogger(__name__)

# Telegram's limits: 4096 characters of text, 1024 of caption, 64 bytes of callback data
TEXT_LIMIT = 4000
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64


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
