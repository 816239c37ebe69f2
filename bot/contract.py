"""The gateway's contract, at the bottom of it: what a channel hands in (Inbound), what comes
back (Outcome: Replies and the conversation's view), and what every output channel does.

Channels, routing and the desk all depend on this module; it depends on nothing of the gateway.
Rasa's response dicts ({"text", "buttons", "image", "custom"}) become a Reply here and only here;
each channel renders a Reply its own way (widget bubbles, Telegram inline keyboards).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.errors import Invalid


class InvalidMessage(Invalid):
    """A message that cannot be accepted (empty)."""


def storable(text: str) -> str:
    """Text as every database keeps it: no NUL characters (PostgreSQL refuses them), lone
    surrogates replaced (they are not UTF-8)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True)
class Inbound:
    """One customer message as a channel received it."""

    channel: str
    external_id: str
    text: str
    # the channel's own id of the message: storing is idempotent on it
    message_id: str | None = None
    display_name: str | None = None
    language: str | None = None
    # the title of the button whose payload `text` is
    title: str | None = None


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class Reply:
    """One message to the customer: from the bot, an agent, or the system."""

    text: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    author: str = "bot"  # bot | agent | system
    custom: dict[str, Any] | None = field(default=None, compare=False)

    @classmethod
    def from_rasa(cls, data: dict[str, Any]) -> Reply:
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in data.get("buttons") or []
        )
        return cls(
            text=data.get("text"),
            buttons=buttons,
            image=data.get("image"),
            custom=data.get("custom"),
        )

    @classmethod
    def from_tracker(cls, event: dict[str, Any]) -> Reply:
        """A reply from a bot event of Rasa's tracker (its buttons and such under `data`)."""
        return cls.from_rasa({**(event.get("data") or {}), "text": event.get("text")})

    @classmethod
    def stored(cls, author: str, text: str | None, payload: dict[str, Any]) -> Reply:
        """A reply from a stored message (its `payload` is `extras()`)."""
        return cls(
            text=text,
            buttons=tuple(Button(**b) for b in payload.get("buttons") or []),
            image=payload.get("image"),
            author=author,
            custom=payload.get("custom"),
        )

    def extras(self) -> dict[str, Any]:
        """Everything but the author and the text: what a stored message keeps as payload."""
        return {k: v for k, v in self.as_dict().items() if k not in ("author", "text")}

    def as_dict(self) -> dict[str, Any]:
        """The wire shape, like Rasa's REST channel: {"text", "buttons", "image"}."""
        out: dict[str, Any] = {"author": self.author}
        if self.text is not None:
            out["text"] = self.text
        if self.buttons:
            out["buttons"] = [b.as_dict() for b in self.buttons]
        if self.image:
            out["image"] = self.image
        if self.custom:
            out["custom"] = self.custom
        return out


@dataclass(frozen=True)
class TicketView:
    """The ticket as the customer's side sees it."""

    number: int
    category: str
    severity: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "category": self.category,
            "severity": self.severity,
            "status": self.status,
        }


@dataclass(frozen=True)
class ConversationView:
    """The conversation as the customer's side sees it: who has it, and its ticket."""

    id: int
    status: str
    ticket: TicketView | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "ticket": self.ticket.as_dict() if self.ticket else None,
        }


@dataclass(frozen=True)
class Outcome:
    """What became of one customer message: the replies to show, and the conversation."""

    replies: list[Reply]
    conversation: ConversationView
    # the message id was seen before: the replies are the ones it got then
    duplicate: bool = False


class InboundRouter(Protocol):
    """Where channels hand customer messages in (the Router)."""

    async def handle(
        self, inbound: Inbound, on_stored: Callable[[], Awaitable[None]] | None = None
    ) -> Outcome:
        """Stores the message, then answers it; `on_stored` is called once it is safe."""
        ...


class OutputChannel(Protocol):
    """Reaches a customer outside of a request (retries, agents' replies, status changes)."""

    name: str

    async def deliver(self, external_id: str, replies: Sequence[Reply]) -> None: ...

    async def conversation_changed(self, external_id: str, view: ConversationView) -> None: ...
