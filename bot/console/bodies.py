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


# --- the admin pages ------------------------------------------------------------------------


class ExampleIn(BaseModel):
    intent: str = Field(max_length=60)
    language: str = Field(max_length=5)
    text: str = Field(max_length=400)


class BilingualTexts(BaseModel):
    en: list[str] = Field(default_factory=list, max_length=200)
    zh: list[str] = Field(default_factory=list, max_length=200)

    def as_dict(self) -> dict[str, list[str]]:
        return {"en": self.en, "zh": self.zh}


class TitleIn(BaseModel):
    en: str = Field(default="", max_length=60)
    zh: str = Field(default="", max_length=60)


class FaqIn(BaseModel):
    name: str = Field(max_length=60)
    title: TitleIn
    examples: BilingualTexts
    response: BilingualTexts


class ButtonIn(BaseModel):
    title: str = Field(max_length=100)
    payload: str = Field(max_length=200)


class VariationIn(BaseModel):
    language: str = Field(max_length=5)
    text: str = Field(max_length=2000)
    buttons: list[ButtonIn] = Field(default_factory=list, max_length=10)


class ResponseIn(BaseModel):
    variations: list[VariationIn] = Field(max_length=50)


class PhrasesIn(BilingualTexts):
    path: str = Field(max_length=200)


class FactIn(BaseModel):
    value: str | dict[str, str]


class CannedIn(BaseModel):
    shortcut: str = Field(max_length=41)
    title: str = Field(max_length=200)
    text_en: str = Field(max_length=4000)
    text_zh: str = Field(max_length=4000)


class InviteIn(BaseModel):
    name: str = Field(max_length=200)
    email: str = Field(max_length=200)
    role: str = Field(default="agent", max_length=20)
    capacity: int = 3


class AgentIn(BaseModel):
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    capacity: int
