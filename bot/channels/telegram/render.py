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


SCALE_ROW = 6


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """One button per row — but a scale (every title a number, like a survey's 1–5 or 0–10) in
    rows of up to six; pressing a button sends its payload back as a callback query."""
    buttons = []
    for button in reply.buttons:
        title = button.title or button.payload
        data = callback_data(button.payload or button.title)
        if title and data:
            buttons.append(InlineKeyboardButton(text=title, callback_data=data))
    if not buttons:
        return None
    width = SCALE_ROW if all(b.text.isdigit() for b in buttons) else 1
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


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
