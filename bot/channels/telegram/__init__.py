"""The Telegram channel: `channel.py` receives updates (polling or webhook) and hands them to
the router, `receiving.py` reads an update as an Inbound, `sending.py` delivers replies,
`render.py` fits them to Telegram, and `webhook.py` is the route Telegram posts to."""

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.render import callback_data, keyboard, split_text
from bot.channels.telegram.webhook import webhook_router

__all__ = ["TelegramChannel", "callback_data", "keyboard", "split_text", "webhook_router"]
