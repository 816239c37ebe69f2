"""What the console's requests carry (each field with its limit)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoginIn(BaseModel):
    email: str = Field(max_length=200)
    password: str = Field(max_length=200)


class ReplyIn(BaseModel):
    text: str = Field(max_length=4000)
    private: bool = False


class TransferIn(BaseModel):
    agent_id: int | None = None  # None: to a supervisor


class ResolveIn(BaseModel):
    solution: str = Field(default="", max_length=4000)


class PresenceIn(BaseModel):
    presence: str


class TicketStatusIn(BaseModel):
    status: str = Field(max_length=30)
    note: str = Field(default="", max_length=4000)


class CorrectIn(BaseModel):
    category: str | None = Field(default=None, max_length=40)
    severity: str | None = Field(default=None, max_length=20)
    reason: str = Field(max_length=1000)


class NoteIn(BaseModel):
    text: str = Field(max_length=4000)


class TierIn(BaseModel):
    tier: str = Field(max_length=20)


class PasswordIn(BaseModel):
    current: str = Field(max_length=200)
    new: str = Field(max_length=200)
