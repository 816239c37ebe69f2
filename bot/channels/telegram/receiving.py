"""A Telegram update as the router's Inbound: who wrote, in which language, and the key that
makes a repeated delivery of the same update a duplicate."""

from __future__ import annotations

from telegram import Update

from bot.contract import Inbound

CHANNEL = "telegram"


def language_of(language_code: str | None) -> str | None:
    """The assistant speaks English and Chinese: a Telegram language_code as a hint."""
    if not language_code:
        return None
    return "zh" if language_code.lower().startswith("zh") else "en"


def chat_of(update: Update) -> str | None:
    """The customer's id on this channel: their private chat with the bot."""
    chat, user = update.effective_chat, update.effective_user
    chat_id = chat.id if chat is not None else user.id if user is not None else None
    return str(chat_id) if chat_id is not None else None


def idempotency_key(update: Update, bot_id: str) -> str:
    """The same for every delivery of one update, and never reused by another update.

    Not the update_id alone: Telegram restarts update ids at a random number after a quiet
    week, and a new bot (token) starts its own sequence, so an old id could come back and
    a new message be taken for a duplicate. A message is identified by its chat and its id
    in the chat, a button press by the callback query's id; both under this bot's id.
    """
    query = update.callback_query
    if query is not None:
        return f"c{bot_id}:{query.id}"
    message = update.effective_message
    if message is not None:
        return f"m{bot_id}:{message.chat_id}:{message.message_id}"
    return f"u{bot_id}:{update.update_id}"


def inbound_of(update: Update, external_id: str, text: str, bot_id: str) -> Inbound:
    user = update.effective_user
    return Inbound(
        channel=CHANNEL,
        external_id=external_id,
        text=text,
        message_id=idempotency_key(update, bot_id),
        display_name=(user.full_name[:200] or None) if user is not None else None,
        language=language_of(user.language_code if user is not None else None),
    )


def well_formed(update: Update) -> bool:
    """The fields the desk reads have the types Telegram sends (a webhook body is only JSON:
    python-telegram-bot does not check them)."""
    if not isinstance(update.update_id, int):
        return False
    for who in (update.effective_user, update.effective_chat):
        if who is not None and not isinstance(who.id, int):
            return False
    user = update.effective_user
    if user is not None and not all(
        isinstance(name, str | None) for name in (user.first_name, user.last_name, user.username)
    ):
        return False
    message = update.effective_message
    if message is not None and (
        not isinstance(message.message_id, int)
        or not isinstance(message.text, str | None)
        or not isinstance(message.caption, str | None)
    ):
        return False
    query = update.callback_query
    return query is None or isinstance(query.data, str | None)
