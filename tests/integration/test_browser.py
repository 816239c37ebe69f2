"""The web widget and the agent console in a real browser (Debian's Chromium via Playwright),
against the running gateway, Rasa and action server."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.integration.stack import LiveServer, create_agent

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_widget(page: Page, gateway: LiveServer, path: str = "/") -> None:
    page.goto(gateway.url + path)
    page.locator('[data-lera="launcher"]').click()
    expect(page.locator('[data-lera="status"]')).to_have_attribute(
        "data-state", "online", timeout=TIMEOUT
    )


def ask(page: Page, text: str) -> None:
    page.locator('[data-lera="input"]').fill(text)
    page.keyboard.press("Enter")


def bot_messages(page: Page) -> list[str]:
    return page.locator('[data-lera="message"][data-author="bot"]').all_inner_texts()


def test_widget_answers_in_both_languages_and_keeps_history(
    browser: Browser, gateway: LiveServer
) -> None:
    page = browser.new_page()
    open_widget(page, gateway)
    ask(page, "How long does shipping take?")
    bot = page.locator('[data-lera="message"][data-author="bot"]')
    expect(bot.last).to_contain_text("2–4", timeout=TIMEOUT)
    ask(page, "快递几天到？")
    expect(bot.last).to_contain_text("工作日", timeout=TIMEOUT)
    answers = bot_messages(page)

    page.reload()
    page.locator('[data-lera="launcher"]').click()
    customer = page.locator('[data-lera="message"][data-author="customer"]')
    expect(customer).to_have_count(2, timeout=TIMEOUT)
    expect(customer.first).to_have_text("How long does shipping take?")
    assert bot_messages(page) == answers
    page.close()


def test_widget_buttons_on_a_phone_sized_screen(browser: Browser, gateway: LiveServer) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    open_widget(page, gateway, "/?lang=zh")
    panel = page.locator('[data-lera="panel"]').bounding_box()
    assert panel is not None and panel["width"] == 390
    ask(page, "鬼鬼祟祟嘻嘻哈哈")
    chips = page.locator('[data-lera="button"]:not([disabled])')
    expect(chips.first).to_be_visible(timeout=TIMEOUT)
    title = chips.first.inner_text()
    chips.first.click()
    expect(page.locator('[data-lera="message"][data-author="customer"]').last).to_have_text(title)
    expect(page.locator('[data-lera="message"][data-author="bot"]').last).to_contain_text(
        re.compile(r"[\u4e00-\u9fff]"), timeout=TIMEOUT
    )
    page.close()


def test_angry_customer_is_taken_over_by_an_agent_in_the_console(
    browser: Browser, gateway: LiveServer
) -> None:
    email, password = f"lin-{uuid.uuid4().hex[:6]}@lumenhome.example", "console-password-1"
    create_agent(gateway, email, password, name="Lin")
    console = browser.new_context().new_page()
    console.goto(gateway.url + "/console")
    console.locator('[data-console="email"]').fill(email)
    console.locator('[data-console="password"]').fill(password)
    console.locator('[data-console="signin"]').click()
    expect(console.locator('[data-console="connection"]')).to_have_attribute(
        "data-state", "live", timeout=TIMEOUT
    )

    customer = browser.new_context().new_page()
    open_widget(customer, gateway)
    ask(customer, "This is OUTRAGEOUS!!! The charger you sold me caught fire and burned my desk")
    bot = customer.locator('[data-lera="message"][data-author="bot"]')
    expect(bot.first).to_contain_text("charger", timeout=TIMEOUT)  # Listen: their words

    toast = console.locator('[data-console="toast"]').first
    expect(toast).to_be_visible(timeout=TIMEOUT)
    assert console.evaluate("window.LeraConsole.state.sounds") >= 1
    toast.click()
    console.locator('[data-console="claim"]').click()
    system = customer.locator('[data-lera="message"][data-author="system"]')
    expect(system.last).to_contain_text("Lin", timeout=TIMEOUT)

    console.locator('[data-console="reply"]').fill(
        "I'm so sorry — please unplug it. A refund is on its way."
    )
    console.locator('[data-console="reply"]').press("Enter")
    agent = customer.locator('[data-lera="message"][data-author="agent"]')
    expect(agent.last).to_have_text(
        "I'm so sorry — please unplug it. A refund is on its way.", timeout=TIMEOUT
    )

    console.locator('[data-console="handback"]').click()
    expect(bot.last).to_contain_text("assistant", timeout=TIMEOUT)
    ask(customer, "How long does shipping take?")
    expect(bot.last).to_contain_text("2–4", timeout=TIMEOUT)
    console.context.close()
    customer.context.close()
