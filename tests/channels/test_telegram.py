"""The Telegram channel against a fake Bot API server on a real socket, with a stub router."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from telegram.error import InvalidToken

from bot.channels.telegram import TelegramChannel, callback_data, split_text, webhook_router
from bot.channels.telegram.render import keyboard
from bot.contract import Button, ConversationView, Inbound, Outcome, Reply
from tests.fakes.telegram_api import (
    FakeTelegram,
    callback_update,
    running_fake_telegram,
    text_update,
)

SECRET = "s3cret-webhook-token"
WEBHOOK_URL = "https://desk.example.com/telegram/webhook"
MENU = [
    Reply(
        text="Hi! How can I help?",
        buttons=(
            Button("Track my order", "/track_order"),
            Button("Return an item", "/return_item"),
        ),
    )
]


FAIL_TO_STORE = "this one cannot be stored"


class StubRouter:
    """Records every inbound; answers with canned replies, once per message id (like the real
    Router's store, a repeated message id is a duplicate)."""

    def __init__(self, replies: list[Reply] | None = None) -> None:
        self.replies = MENU if replies is None else replies
        self.inbounds: list[Inbound] = []
        self.hold: dict[str, asyncio.Event] = {}  # external_id -> released when set
        self._seen: set[str | None] = set()

    async def handle(
        self, inbound: Inbound, on_stored: Callable[[], Awaitable[None]] | None = None
    ) -> Outcome:
        if inbound.text == FAIL_TO_STORE:
            raise RuntimeError("the database is away")
        self.inbounds.append(inbound)
        if on_stored is not None:
            await on_stored()
        if inbound.external_id in self.hold:
            await self.hold[inbound.external_id].wait()
        duplicate = inbound.message_id in self._seen
        self._seen.add(inbound.message_id)
        return Outcome(
            replies=list(self.replies),
            conversation=ConversationView(id=1, status="bot", ticket=None),
            duplicate=duplicate,
        )

    async def wait_for(self, count: int, timeout: float = 20) -> list[Inbound]:
        deadline = time.monotonic() + timeout
        while len(self.inbounds) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.inbounds)} inbounds, not {count}")
            await asyncio.sleep(0.02)
        return self.inbounds


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with running_fake_telegram() as server:
        yield server


@pytest.fixture
def router() -> StubRouter:
    return StubRouter()


def channel_for(fake: FakeTelegram, router: StubRouter, **options: Any) -> TelegramChannel:
    return TelegramChannel(
        fake.token, router, base_url=fake.base_url, base_file_url=fake.base_file_url, **options
    )


@pytest.fixture
async def polling(fake: FakeTelegram, router: StubRouter) -> AsyncIterator[TelegramChannel]:
    channel = channel_for(fake, router, mode="polling")
    await channel.start()
    yield channel
    for held in router.hold.values():  # a failed test must not leave a handler waiting
        held.set()
    await channel.stop()


@pytest.fixture
async def webhook(fake: FakeTelegram, router: StubRouter) -> AsyncIterator[TelegramChannel]:
    channel = channel_for(
        fake, router, mode="webhook", webhook_url=WEBHOOK_URL, secret_token=SECRET
    )
    await channel.start()
    yield channel
    await channel.stop()


@pytest.fixture
async def client(webhook: TelegramChannel) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    app.include_router(webhook_router(webhook))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        yield http


def keyboard_data(sent: dict[str, Any]) -> list[list[str]]:
    return [[b["callback_data"] for b in row] for row in sent["reply_markup"]["inline_keyboard"]]


# -- polling ---------------------------------------------------------------------------------


async def test_a_polled_message_reaches_the_router_and_the_reply_has_the_buttons(
    fake: FakeTelegram, router: StubRouter, polling: TelegramChannel
) -> None:
    fake.push_update(text_update(501, chat_id=42, text="where is my parcel", language_code="en"))

    [inbound] = await router.wait_for(1)
    assert inbound.channel == "telegram"
    assert inbound.external_id == "42"
    assert inbound.text == "where is my parcel"
    assert inbound.display_name == "Ada Lovelace"
    assert inbound.language == "en"
    assert inbound.message_id  # the idempotency key

    [sent] = await fake.wait_for("sendMessage")
    assert sent["chat_id"] == 42
    assert sent["text"] == "Hi! How can I help?"
    assert keyboard_data(sent) == [["/track_order"], ["/return_item"]]
    assert [row[0]["text"] for row in sent["reply_markup"]["inline_keyboard"]] == [
        "Track my order",
        "Return an item",
    ]
    # polling asked only for the updates the channel handles, and kept pending ones
    [first, *_] = fake.calls("getUpdates")
    assert first["allowed_updates"] == ["message", "callback_query"]
    assert not any(c.get("drop_pending_updates") for c in fake.calls("deleteWebhook"))


async def test_a_polled_update_is_confirmed_only_once_its_message_is_stored(
    fake: FakeTelegram, router: StubRouter, polling: TelegramChannel
) -> None:
    """The database is away for the first try: the update is not confirmed (the next
    getUpdates asks from it again), and it is stored on the next try."""
    stored = {"first": True}
    real = router.handle

    async def flaky(inbound: Inbound, on_stored: Any = None) -> Outcome:
        if stored.pop("first", False):
            raise RuntimeError("the database is away")
        return await real(inbound, on_stored)

    router.handle = flaky  # type: ignore[method-assign]
    fake.push_update(text_update(601, chat_id=43, text="is anyone there", language_code="en"))
    [inbound] = await router.wait_for(1, timeout=30)
    assert inbound.text == "is anyone there"
    await fake.wait_for("sendMessage")
    for _ in range(100):
        if 602 in [int(c.get("offset") or 0) for c in fake.calls("getUpdates")]:
            break
        await asyncio.sleep(0.05)
    offsets = [int(c.get("offset") or 0) for c in fake.calls("getUpdates")]
    # fetched, not stored: fetched again without confirming it; stored: confirmed
    assert offsets[:2] == [0, 0] and 602 in offsets
    assert len(router.inbounds) == 1


async def test_start_greets_and_chinese_users_are_hinted_as_zh(
    fake: FakeTelegram, router: StubRouter, polling: TelegramChannel
) -> None:
    fake.push_update(text_update(502, chat_id=43, text="/start", language_code="zh-hans"))

    [inbound] = await router.wait_for(1)
    assert inbound.text == "hi"
    assert inbound.language == "zh"
    await fake.wait_for("sendMessage")


async def test_a_button_press_is_answered_and_routed_as_its_payload(
    fake: FakeTelegram, router: StubRouter, polling: TelegramChannel
) -> None:
    update = callback_update(503, chat_id=44, data="/track_order")
    fake.push_update(update)

    [inbound] = await router.wait_for(1)
    assert inbound.text == "/track_order"
    assert inbound.external_id == "44"
    [answered] = await fake.wait_for("answerCallbackQuery")
    assert answered["callback_query_id"] == update["callback_query"]["id"]
    [sent] = await fake.wait_for("sendMessage")
    assert sent["chat_id"] == 44


async def test_a_slow_answer_for_one_chat_does_not_hold_up_another(
    fake: FakeTelegram, router: StubRouter, polling: TelegramChannel
) -> None:
    router.hold["45"] = asyncio.Event()
    fake.push_update(text_update(504, chat_id=45, text="first, slow"))
    fake.push_update(text_update(505, chat_id=46, text="second, quick"))

    [sent] = await fake.wait_for("sendMessage")
    assert sent["chat_id"] == 46
    router.hold["45"].set()
    sent_both = await fake.wait_for("sendMessage", count=2)
    assert sent_both[1]["chat_id"] == 45


async def test_one_chats_messages_are_answered_in_order(
    fake: FakeTelegram, router: StubRouter, polling: TelegramChannel
) -> None:
    router.hold["47"] = asyncio.Event()
    fake.push_update(text_update(506, chat_id=47, text="one"))
    await router.wait_for(1)
    fake.push_update(callback_update(507, chat_id=47, data="/two"))
    fake.push_update(text_update(508, chat_id=47, text="three"))
    await asyncio.sleep(0.3)
    assert [i.text for i in router.inbounds] == ["one"]  # the others wait their turn
    router.hold["47"].set()

    await router.wait_for(3)
    assert [i.text for i in router.inbounds] == ["one", "/two", "three"]
    assert len(await fake.wait_for("sendMessage", count=3)) == 3


async def test_a_telegram_unreachable_at_start_is_retried_in_the_background(
    fake: FakeTelegram, router: StubRouter
) -> None:
    fake.fail("getMe", 502, "Bad Gateway")
    channel = channel_for(fake, router, mode="polling")
    await channel.start()  # does not raise: the gateway starts without Telegram
    try:
        assert not channel.running
        fake.push_update(text_update(509, chat_id=48, text="anyone there?"))
        [inbound] = await router.wait_for(1, timeout=10)
        assert inbound.text == "anyone there?"
        assert channel.running
    finally:
        await channel.stop()


async def test_a_wrong_token_fails_at_start(fake: FakeTelegram, router: StubRouter) -> None:
    channel = TelegramChannel(
        "1234:not-the-token", router, base_url=fake.base_url, base_file_url=fake.base_file_url
    )
    with pytest.raises(InvalidToken):
        await channel.start()
    assert not channel.running


# -- webhook ---------------------------------------------------------------------------------


async def test_webhook_mode_sets_the_webhook_with_the_secret_and_never_polls(
    fake: FakeTelegram, webhook: TelegramChannel
) -> None:
    [call] = fake.calls("setWebhook")
    assert call["url"] == WEBHOOK_URL
    assert call["secret_token"] == SECRET
    assert call["allowed_updates"] == ["message", "callback_query"]
    assert not call.get("drop_pending_updates")
    assert fake.calls("getUpdates") == []


async def test_a_webhook_update_with_the_secret_is_processed(
    fake: FakeTelegram, router: StubRouter, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        "/telegram/webhook",
        json=text_update(601, chat_id=51, text="hello"),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200

    [inbound] = await router.wait_for(1)
    assert (inbound.external_id, inbound.text) == ("51", "hello")
    [sent] = await fake.wait_for("sendMessage")
    assert sent["chat_id"] == 51
    assert keyboard_data(sent) == [["/track_order"], ["/return_item"]]


@pytest.mark.parametrize("headers", [{"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}])
async def test_a_webhook_update_without_the_secret_is_refused(
    fake: FakeTelegram, router: StubRouter, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.post(
        "/telegram/webhook", json=text_update(602, chat_id=52, text="hello"), headers=headers
    )
    assert response.status_code == 403

    await asyncio.sleep(0.3)
    assert router.inbounds == []
    assert fake.calls("sendMessage") == []


async def test_an_update_delivered_twice_is_routed_with_one_id_and_answered_once(
    fake: FakeTelegram, router: StubRouter, client: httpx.AsyncClient
) -> None:
    update = text_update(603, chat_id=53, text="where is my order")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for _ in range(2):  # Telegram retries a webhook delivery it thinks failed
        assert (await client.post("/telegram/webhook", json=update, headers=headers)).is_success
    # a later message in the same chat is handled after both deliveries of the first
    later = text_update(604, chat_id=53, text="thanks")
    assert (await client.post("/telegram/webhook", json=later, headers=headers)).is_success

    first, again, third = await router.wait_for(3)
    assert first.message_id == again.message_id
    assert third.message_id != first.message_id
    sent = await fake.wait_for("sendMessage", count=2)
    await asyncio.sleep(0.2)
    assert len(fake.calls("sendMessage")) == len(sent) == 2  # none for the duplicate


async def test_a_button_press_delivered_twice_is_routed_with_one_id(
    router: StubRouter, client: httpx.AsyncClient
) -> None:
    update = callback_update(605, chat_id=54, data="/return_item")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for _ in range(2):
        assert (await client.post("/telegram/webhook", json=update, headers=headers)).is_success
    first, again = await router.wait_for(2)
    assert first.message_id == again.message_id
    assert first.text == "/return_item"


async def test_stopping_leaves_the_webhook_set(fake: FakeTelegram, router: StubRouter) -> None:
    channel = channel_for(
        fake, router, mode="webhook", webhook_url=WEBHOOK_URL, secret_token=SECRET
    )
    await channel.start()
    await channel.stop()
    assert fake.calls("deleteWebhook") == []
    assert fake.webhook["url"] == WEBHOOK_URL


# -- delivering ------------------------------------------------------------------------------


async def test_deliver_sends_images_as_photos_with_the_text_as_caption(
    fake: FakeTelegram, polling: TelegramChannel
) -> None:
    await polling.deliver(
        "42",
        [
            Reply(text="Your parcel", image="https://shop.example.com/parcel.png"),
            Reply(text="An agent here", author="agent"),
        ],
    )
    [photo] = fake.calls("sendPhoto")
    assert photo["photo"] == "https://shop.example.com/parcel.png"
    assert photo["caption"] == "Your parcel"
    [text] = fake.calls("sendMessage")
    assert text["text"] == "An agent here"
    assert "reply_markup" not in text


async def test_an_image_telegram_cannot_fetch_is_sent_as_a_link(
    fake: FakeTelegram, polling: TelegramChannel
) -> None:
    fake.fail("sendPhoto", 400, "Bad Request: failed to get HTTP URL content")
    await polling.deliver("42", [Reply(text="Your parcel", image="https://x.example/p.png")])
    [text] = fake.calls("sendMessage")
    assert text["text"] == "Your parcel\nhttps://x.example/p.png"


async def test_a_customer_who_blocked_the_bot_gets_nothing_more_and_nothing_breaks(
    fake: FakeTelegram, polling: TelegramChannel
) -> None:
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await polling.deliver("42", [Reply(text="one"), Reply(text="two")])
    assert [c["text"] for c in fake.calls("sendMessage")] == ["one"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB 22: int retry_after
async def test_flood_control_is_waited_out(fake: FakeTelegram, polling: TelegramChannel) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    await polling.deliver("42", [Reply(text="hello")])
    assert [c["text"] for c in fake.calls("sendMessage")] == ["hello", "hello"]


async def test_long_text_is_split_and_the_buttons_go_on_the_last_piece(
    fake: FakeTelegram, polling: TelegramChannel
) -> None:
    long = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    await polling.deliver("42", [Reply(text=long, buttons=(Button("OK", "/affirm"),))])
    sent = fake.calls("sendMessage")
    assert len(sent) == 3
    assert "\n".join(c["text"] for c in sent) == long
    assert all(len(c["text"]) <= 4096 for c in sent)
    assert "reply_markup" not in sent[0]
    assert keyboard_data(sent[-1]) == [["/affirm"]]


def test_callback_data_is_cut_to_64_bytes_on_a_character_boundary() -> None:
    assert callback_data("/track_order") == "/track_order"
    cut = callback_data("/inform" + "订单" * 30)
    assert len(cut.encode()) <= 64
    assert ("/inform" + "订单" * 30).startswith(cut)


def test_split_text_keeps_short_text_whole() -> None:
    assert split_text("hello") == ["hello"]
    assert split_text("") == []


def test_a_scale_of_numbers_is_laid_out_in_rows_of_six() -> None:
    nps = keyboard(Reply("How likely…", tuple(Button(str(n), f"/survey:{n}") for n in range(11))))
    assert nps is not None
    assert [len(row) for row in nps.inline_keyboard] == [6, 5]
    words = keyboard(Reply("Solved?", (Button("Yes", "/survey:yes"), Button("No", "/survey:no"))))
    assert words is not None and [len(row) for row in words.inline_keyboard] == [1, 1]


async def test_the_webhook_answers_telegram_once_the_message_is_stored(
    fake: FakeTelegram, router: StubRouter, client: httpx.AsyncClient
) -> None:
    """Telegram is acknowledged when the message is stored, before the customer's answer has
    gone out; an update that could not be stored is refused, so Telegram sends it again."""
    router.hold["61"] = asyncio.Event()  # the answer takes its time
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    response = await asyncio.wait_for(
        client.post(
            "/telegram/webhook", json=text_update(701, chat_id=61, text="hello"), headers=headers
        ),
        timeout=5,
    )
    assert response.status_code == 200
    assert [i.text for i in router.inbounds] == ["hello"]  # stored already
    assert fake.calls("sendMessage") == []  # not answered yet
    router.hold["61"].set()
    await fake.wait_for("sendMessage")

    failed = await client.post(
        "/telegram/webhook", json=text_update(702, chat_id=62, text=FAIL_TO_STORE), headers=headers
    )
    assert failed.status_code == 500  # Telegram retries it
    assert [c for c in fake.calls("sendMessage") if c["chat_id"] == 62] == []  # no "sorry"
