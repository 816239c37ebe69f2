"""What a customer waiting in the queue is told when they write again: their message is on the
case and a colleague will read it — once, not after every message."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.contract import Reply
from bot.db import utcnow
from bot.desk.queue import opening_text
from bot.models import Author, Conversation, ConversationStatus
from bot.queries import current_ticket_of, last_reply_in
from bot.settings import Settings

ADDED = {
    "en": "Thanks, I've added this to case #{n}. A colleague will read everything you've written "
    "as soon as they pick up your chat{back}.",
    "zh": "收到，已补充到工单 #{n}，同事接手时会看到您写的所有内容{back}。",
}
BACK = {"en": " — our team is back at {opening}", "zh": "（{opening} 起有同事上班）"}


async def waiting_note(
    session: AsyncSession, conversation: Conversation, settings: Settings
) -> list[Reply]:
    """The note for a queued customer's new message; none when they were just told."""
    if conversation.status != ConversationStatus.QUEUED:
        return []
    last = await last_reply_in(session, conversation.id)
    if last is not None and last.author == Author.SYSTEM:
        return []
    ticket = await current_ticket_of(session, conversation.id)
    if ticket is None:
        return []
    language = "zh" if conversation.customer.language == "zh" else "en"
    opening = opening_text(utcnow(), language, settings)
    back = BACK[language].format(opening=opening) if opening else ""
    return [Reply(text=ADDED[language].format(n=ticket.number, back=back), author=Author.SYSTEM)]
