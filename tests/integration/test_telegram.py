"""Telegram end to end: python-telegram-bot polls a fake Bot API server on 127.0.0.1; the
gateway, the real Rasa and the real action server answer; an agent takes over and hands back."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from typing import Any

import httpx
import pytest

from tests.fakes.telegram_api import FakeTelegram, callback_update, text_update
from tests.integration.clients import console_login_async
from tests.integration.stack import LiveServer, create_agent

PASSWORD = "telegram-agent-password"
_updates = itertools.count(10_000)
_chats = itertools.count(700_000_001)


class Customer:
    """One Telegram chat: sends updates, reads what the bot sent to it."""

    def __init__(self, fake: FakeTelegram, language: str = "en") -> None:
        self.fake, self.chat, self.language = fake, next(_chats), language

    def sent(self) -> list[dict[str, Any]]:
        return [c for c in self.fake.calls("sendMessage") if str(c["chat_id"]) == str(self.chat)]

    async def say(self, text: str, replies: int = 1) -> list[dict[str, Any]]:
        before = len(self.sent())
        self.fake.push_update(text_update(next(_updates), self.chat, text, self.language))
        return await self.until(before + replies)

    async def press(self, data: str, replies: int = 1) -> list[dict[str, Any]]:
        before = len(self.sent())
        self.fake.push_update(callback_update(next(_updates), self.chat, data, self.language))
        return await self.until(before + replies)

    async def until(self, count: int, timeout: float = 60) -> list[dict[str, Any]]:
        await self.fake.wait_for("sendMessage", 1, timeout)
        deadline = time.monotonic() + timeout
        while len(self.sent()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"chat {self.chat} got {self.sent()}")
            await asyncio.sleep(0.05)
        return self.sent()


@pytest.fixture
async def agent(gateway: LiveServer) -> Any:
    email = f"tg-{uuid.uuid4().hex[:6]}@lumenhome.example"
    create_agent(gateway, email, PASSWORD, name="Mei")
    async with httpx.AsyncClient(base_url=gateway.url, timeout=60) as client:
        yield await console_login_async(client, email, PASSWORD)


async def test_a_question_in_chinese_gets_a_chinese_answer(
    gateway: LiveServer, telegram: FakeTelegram
) -> None:
    customer = Customer(telegram, "zh")
    [answer] = await customer.say("快递几天到？")
    assert "2–4" in answer["text"] and "工作日" in answer["text"]


async def test_buttons_are_inline_keyboards_and_presses_are_answered(
    gateway: LiveServer, telegram: FakeTelegram
) -> None:
    customer = Customer(telegram)
    clarify = (await customer.say("zzkx qwv blorp"))[-1]
    assert clarify["reply_markup"]["inline_keyboard"]  # the likely options as buttons
    offer = (await customer.say("asdfgh jkl"))[-1]
    keyboard = offer["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["/affirm", "/deny"]
    answered = len(telegram.calls("answerCallbackQuery"))
    replies = await customer.press("/deny")
    assert len(telegram.calls("answerCallbackQuery")) == answered + 1
    assert replies[-1]["text"]  # asked to rephrase


async def test_escalation_agent_reply_and_hand_back_over_telegram(
    gateway: LiveServer, telegram: FakeTelegram, agent: httpx.AsyncClient
) -> None:
    customer = Customer(telegram)
    sent = await customer.say(
        "This is OUTRAGEOUS!!! The power bank you sold me caught fire on my desk", replies=2
    )
    # a hazard: the person and the safe step first, then the problem, the case and the wait
    safety, case = (m["text"] for m in sent[-2:])
    assert "power bank" in safety and "#" not in safety
    assert "#" in case

    queue = (await agent.get("/api/console/queue")).json()
    mine = [c for c in queue if c["channel"] == "telegram" and c["status"] == "queued"]
    conversation_id = mine[-1]["id"]
    seen = len(customer.sent())
    (await agent.post(f"/api/console/conversations/{conversation_id}/claim")).raise_for_status()
    joined = await customer.until(seen + 1)
    assert "Mei" in joined[-1]["text"]

    seen = len(customer.sent())
    await agent.post(
        f"/api/console/conversations/{conversation_id}/messages",
        json={"text": "Please unplug it, I'm sending a replacement today."},
    )
    reply = await customer.until(seen + 1)
    assert reply[-1]["text"] == "Please unplug it, I'm sending a replacement today."

    seen = len(customer.sent())
    (await agent.post(f"/api/console/conversations/{conversation_id}/handback")).raise_for_status()
    await customer.until(seen + 1)
    [answer] = (await customer.say("what payment methods do you accept?"))[-1:]
    assert "Alipay" in answer["text"]


async def test_the_survey_is_an_inline_keyboard_and_a_typed_score_counts(
    gateway: LiveServer, telegram: FakeTelegram, agent: httpx.AsyncClient
) -> None:
    customer = Customer(telegram)
    await customer.say(
        "This is OUTRAGEOUS!!! The heater you sold me caught fire in my bedroom", replies=2
    )
    queue = (await agent.get("/api/console/queue")).json()
    mine = [c for c in queue if c["channel"] == "telegram" and c["status"] == "queued"]
    conversation_id = mine[-1]["id"]
    seen = len(customer.sent())
    (await agent.post(f"/api/console/conversations/{conversation_id}/claim")).raise_for_status()
    await customer.until(seen + 1)  # who joined
    seen = len(customer.sent())
    resolved = await agent.post(
        f"/api/console/conversations/{conversation_id}/resolve",
        json={"solution": "a replacement heater ships today"},
    )
    resolved.raise_for_status()
    told = await customer.until(seen + 2)  # resolved, the CSAT question
    assert "a replacement heater ships today" in told[-2]["text"]
    keyboard = told[-1]["reply_markup"]["inline_keyboard"]
    # a scale in one row
    assert [[b["callback_data"] for b in row] for row in keyboard] == [
        [f"/survey:{n}" for n in range(1, 6)]
    ]

    [solved] = (await customer.say("5"))[-1:]  # typed, not tapped
    assert solved["text"] == "Was your problem solved?"
    assert [r[0]["callback_data"] for r in solved["reply_markup"]["inline_keyboard"]] == [
        "/survey:yes",
        "/survey:no",
    ]
    [nps] = (await customer.press("/survey:yes"))[-1:]
    assert nps["text"].startswith("How likely are you to recommend us")
