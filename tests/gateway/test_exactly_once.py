"""A message reaches Rasa's understanding at most once: when a call timed out the gateway cannot
tell whether Rasa handled it, and asks Rasa's tracker (which holds the message id) before
sending it again."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.gateway.conftest import Gateway


async def test_a_message_rasa_handled_after_the_timeout_is_not_sent_again(
    gateway: Gateway,
) -> None:
    slow = {"first": True}

    async def script(sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        if slow.pop("first", False):
            await asyncio.sleep(3)  # longer than the gateway waits (2 s in these tests)
        return [{"text": f"answer to {text}", "buttons": [{"title": "Yes", "payload": "/affirm"}]}]

    gateway.rasa.script = script
    first = await gateway.say("late-1", "my parcel never came")
    assert first["replies"][0]["author"] == "system"  # the holding reply
    await asyncio.sleep(1.5)  # Rasa finishes the message it was given
    assert await gateway.app.state.retry.once() == 1
    # Rasa was asked once; the answer it gave after the timeout reached the customer
    assert gateway.rasa.texts() == ["my parcel never came"]
    assert gateway.web.texts("late-1") == ["answer to my parcel never came"]
    [(_, reply)] = gateway.web.delivered
    assert [b.title for b in reply.buttons] == ["Yes"]
    await gateway.say("late-1", "thanks")
    assert gateway.rasa.texts() == ["my parcel never came", "thanks"]


async def test_a_message_rasa_never_got_is_sent_when_it_is_back(gateway: Gateway) -> None:
    gateway.rasa.down = True
    await gateway.say("late-2", "hello?")
    gateway.rasa.down = False
    assert await gateway.app.state.retry.once() == 1
    assert gateway.rasa.texts() == ["hello?"]
    assert gateway.web.texts("late-2") == ["you said: hello?"]


async def test_a_message_the_assistant_keeps_failing_on_is_set_aside_and_others_go_on(
    gateway: Gateway,
) -> None:
    def script(sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        if text == "poison":
            raise RuntimeError("an answer Rasa cannot make")
        return [{"text": f"answer to {text}"}]

    gateway.rasa.script = script
    first = await gateway.say("stuck", "poison")
    assert first["replies"][0]["author"] == "system"  # one moment
    other = await gateway.say("fine", "hello")
    assert other["replies"][0]["text"] == "answer to hello"
    retry = gateway.app.state.retry
    assert await retry.once() == 0  # tried again, failed again: the others are not held up
    assert await retry.once() == 1  # the third failure sets it aside
    told = gateway.web.texts("stuck")
    assert told and "passed it on" in str(told[-1])
    history = await gateway.history("stuck")
    assert history["conversation"]["status"] == "queued"  # the team sees it in the queue
    assert await retry.once() == 0  # nothing left waiting
    assert gateway.rasa.texts().count("poison") == 3
