"""What every channel shares: the reply format, and the output side of a channel.

Rasa's response dicts ({"text", "buttons", "image", "custom"}) are translated into `Reply` here
and only here; each channel renders a Reply its own way (widget bubbles, Telegram inline
keyboards).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


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
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        """The inverse of as_dict (replies are stored in this shape)."""
        return (
            cls.from_rasa(data)
            if "author" not in data
            else cls(
                text=data.get("text"),
                buttons=tuple(Button(**b) for b in data.get("buttons") or []),
                image=data.get("image"),
                author=str(data["author"]),
                custom=data.get("custom"),
            )
        )

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


class OutputChannel(Protocol):
    """Delivers replies to a customer outside of a request (retries, agent replies)."""

    name: str

    async def deliver(self, external_id: str, replies: Sequence[Reply]) -> None: ...
