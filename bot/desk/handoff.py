"""Hand-offs to a person, in two steps, so nothing writes behind the router's back.

1. While the assistant answers a customer message, the action server asks for a hand-off
   (POST /internal/handoffs). It is recorded on the conversation, and the action server is
   told what the customer can expect (place in the queue, wait, when the team is back).
2. When the assistant's answer comes back, the router — still holding that customer's turn,
   in its session for the message — applies it: the chat joins the queue, the ticket's audit
   trail says so, free agents may be given chats; then, once committed, `announce` tells the
   console and the customers whose chats were assigned.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.delivery import Notice
from bot.desk import queue
from bot.desk.assignment import Assignment
from bot.desk.tickets import BOT, customer_and_conversation, record_on_current
from bot.desk.transcripts import summary
from bot.errors import Invalid
from bot.events import Hub
from bot.metrics import ESCALATIONS
from bot.models import Conversation
from bot.settings import Settings
from bot.wire.internal_api import SEVERITIES, HandoffInfo, HandoffRequest, PresenceInfo


@dataclass(frozen=True)
class Escalated:
    conversation: Conversation
    # what the customers whose chats auto-assignment gave to an agent are told
    joined: list[Notice]


class Handoffs:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        assignment: Assignment,
        hub: Hub,
        settings: Settings,
    ) -> None:
        self._sessions = sessions
        self._assignment = assignment
        self._hub = hub
        self._settings = settings

    async def presence(self, language: str, hours: int) -> PresenceInfo:
        """Whether anyone is at work, and when a case opened now can be promised an answer."""
        async with self._sessions() as session:
            return await queue.presence(session, language, hours, self._settings)

    async def request(self, request: HandoffRequest) -> HandoffInfo:
        """Records the action server's hand-off; says what the customer's wait will be."""
        severity = request.get("severity", "medium")
        if severity not in SEVERITIES:
            raise Invalid(f"severity is one of {', '.join(SEVERITIES)}")
        async with self._sessions() as session:
            _, conversation = await customer_and_conversation(session, request["sender_id"])
            conversation.pending_handoff = {
                "severity": severity,
                "reasons": request.get("reasons", []),
            }
            language = request.get("language", "en")
            info = await queue.info(session, conversation, severity, language, self._settings)
            await session.commit()
        return info.as_wire()

    async def apply(self, session: AsyncSession, conversation: Conversation) -> Escalated | None:
        """Puts the conversation in the queue if a hand-off waits on it; the caller commits."""
        await session.refresh(conversation, ["pending_handoff"])
        handoff = conversation.pending_handoff
        if handoff is None:
            return None
        conversation.pending_handoff = None
        severity, reasons = str(handoff["severity"]), list(handoff["reasons"])
        queue.enqueue(conversation, severity, reasons)
        for reason in reasons or ["unspecified"]:
            ESCALATIONS.labels(reason).inc()
        await record_on_current(
            session, conversation, BOT, "queued", reasons=reasons, severity=severity
        )
        return Escalated(conversation, await self._assignment.auto_assign(session))

    async def set_aside(self, session: AsyncSession, conversation: Conversation) -> None:
        """A message the assistant keeps failing on: the chat goes to the team's queue (the
        reason says why), committed and announced."""
        reasons = ["assistant_failed"]
        queue.enqueue(conversation, "medium", reasons)
        ESCALATIONS.labels(reasons[0]).inc()
        await record_on_current(session, conversation, BOT, "queued", reasons=reasons)
        escalated = Escalated(conversation, await self._assignment.auto_assign(session))
        await session.commit()
        await self.announce(session, escalated)

    async def announce(self, session: AsyncSession, escalated: Escalated) -> None:
        """After the commit: the console learns of the chat, assigned customers of their agent."""
        about = await summary(session, escalated.conversation)
        self._hub.publish({"type": "escalated", "conversation": about})
        if escalated.joined:
            await self._assignment.announce(*escalated.joined)
