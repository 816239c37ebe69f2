"""What a customer waiting in the queue is told when they write again: their message is on the
case and a colleague will read it — once, not after every message. A message that tells of a
danger (the assistant's reading finds a safety hazard that happened) is never met with that
note alone: the customer is told to call for help now, and the chat moves to the front of the
queue at the top severity."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import Reply
from bot.db import utcnow
from bot.desk.calendar import opening_text
from bot.desk.queue import priority
from bot.models import Author, Conversation, ConversationStatus
from bot.queries import current_ticket_of, last_reply_in
from bot.settings import Settings

ADDED = {
    "en": "Thanks, I've added this to case #{n}. A colleague will read everything you've written "
    "as soon as they pick up your chat{back}.",
    "zh": "收到，已补充到工单 #{n}，同事接手时会看到您写的所有内容{back}。",
}
BACK = {"en": " — our team is back at {opening}", "zh": "（{opening} 起有同事上班）"}
URGENT = {
    "en": "If anyone is hurt or in danger, please call 120 now — don't wait for us. I've marked "
    "case #{n} as urgent, so it is the first thing a colleague picks up{back}.",
    "zh": "如果有人受伤或有危险，请立即拨打120，不要等我们回复。我已把工单 #{n} 标记为紧急，"
    "同事接手时会第一个处理{back}。",
}


def tells_of_danger(reading: dict[str, Any] | None) -> bool:
    """The assistant's reading of a message finds a safety hazard that happened."""
    analysis = (reading or {}).get("analysis") or {}
    return "safety" in (analysis.get("cues") or []) and not analysis.get("hypothetical")


async def waiting_note(
    session: AsyncSession,
    conversation: Conversation,
    settings: Settings,
    reading: dict[str, Any] | None = None,
) -> list[Reply]:
    """The note for a queued customer's new message; none when they were just told (unless
    it tells of a danger)."""
    if conversation.status != ConversationStatus.QUEUED:
        return []
    urgent = tells_of_danger(reading)
    last = await last_reply_in(session, conversation.id)
    if last is not None and last.author == Author.SYSTEM and not urgent:
        return []
    ticket = await current_ticket_of(session, conversation.id)
    if ticket is None:
        return []
    if urgent:
        conversation.priority = max(
            conversation.priority, priority("critical", conversation.customer.tier)
        )
    language = "zh" if conversation.customer.language == "zh" else "en"
    opening = opening_text(utcnow(), language, settings)
    back = BACK[language].format(opening=opening) if opening else ""
    text = (URGENT if urgent else ADDED)[language].format(n=ticket.number, back=back)
    return [Reply(text=text, author=Author.SYSTEM)]
