"""The admin page in headless Chromium on the live gateway (editing its copy of the project):
an example added and refused, a new question with its problems shown, an account invited with
its one-time password, the training tab, in English and Chinese (screenshots to
results/screenshots/); closed to an agent."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import yaml
from playwright.sync_api import Browser, Page, expect

from tests.integration.clients import console_login
from tests.integration.stack import LiveServer, create_agent
from tests.integration.test_browser import TIMEOUT, browser
from tests.integration.test_reports_browser import PASSWORD, SHOTS

__all__ = ["browser"]


@contextmanager
def opened(browser: Browser, gateway: LiveServer, role: str) -> Iterator[tuple[Page, list[str]]]:
    """The admin page, signed in with a new account of that role; signed out afterwards (an
    account left online would be given other tests' chats and reopened cases)."""
    email = f"{role}-{uuid.uuid4().hex[:6]}@lumenhome.example"
    create_agent(gateway, email, PASSWORD, name=role.title(), role=role)
    client = console_login(gateway.url, email, PASSWORD)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    host = gateway.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in client.cookies.items()]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(gateway.url + "/console/admin")
    page.evaluate("localStorage.setItem('lera.console.lang', 'en')")
    page.reload()
    try:
        yield page, errors
    finally:
        context.close()
        client.post("/api/console/logout")
        client.close()


def test_an_admin_edits_the_assistant_on_the_page(browser: Browser, gateway: LiveServer) -> None:
    with opened(browser, gateway, "admin") as (page, errors):
        edit_on_the_page(page, errors, gateway)


def edit_on_the_page(page: Page, errors: list[str], gateway: LiveServer) -> None:
    project = gateway.app.state.settings.project_dir
    text = f"how long to Lhasa {uuid.uuid4().hex[:5]}"

    page.get_by_test_id("admin-tab-intents").click()
    page.get_by_test_id("intent-search").fill("delivery_period")
    page.locator('[data-testid="intent-row"][data-name="delivery_period"]').click()
    page.get_by_test_id("example-add-language").select_option("en")
    page.get_by_test_id("example-add-text").fill(text)
    page.get_by_test_id("example-add").click()
    expect(page.get_by_test_id("admin-saved")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function(  # the new example's row, its text in the row's input
        """text => [...document.querySelectorAll('[data-testid="example-text"]')]
            .filter(input => input.value === text).length === 1""",
        arg=text,
        timeout=TIMEOUT,
    )
    shipping = yaml.safe_load((project / "data/nlu/en/shipping.yml").read_text())
    assert any(text in block["examples"] for block in shipping["nlu"])

    # the same example again: refused, every problem shown, what was typed kept
    page.get_by_test_id("example-add-text").fill(text)
    page.get_by_test_id("example-add").click()
    problems = page.get_by_test_id("admin-problems")
    expect(problems).to_be_visible(timeout=TIMEOUT)
    expect(problems).to_contain_text("listed 2 times")
    expect(page.get_by_test_id("example-add-text")).to_have_value(text)

    # a new question with too few examples: its problems, and nothing written
    page.get_by_test_id("faq-new").click()
    page.get_by_test_id("faq-name").fill("gift_wrapping")
    page.get_by_test_id("faq-title-en").fill("Gift wrapping")
    page.get_by_test_id("faq-title-zh").fill("礼品包装")
    page.get_by_test_id("faq-examples-en").fill("do you gift wrap")
    page.get_by_test_id("faq-examples-zh").fill("可以礼品包装吗\n能包成礼物吗")
    page.get_by_test_id("faq-answer-en").fill("Yes, at checkout.")
    page.get_by_test_id("faq-answer-zh").fill("可以，结账时勾选。")
    page.get_by_test_id("faq-save").click()
    expect(page.get_by_test_id("admin-problems")).to_contain_text("2", timeout=TIMEOUT)
    assert not (project / "data/rules/faq.yml").exists()

    # an account invited: its one-time password shown once
    page.get_by_test_id("admin-tab-agents").click()
    page.get_by_test_id("agent-invite-name").fill("Mei")
    page.get_by_test_id("agent-invite-email").fill(f"mei-{uuid.uuid4().hex[:6]}@example.com")
    page.get_by_test_id("agent-invite").click()
    expect(page.get_by_test_id("agent-password")).to_have_text(
        re.compile(r"\S{12,}"), timeout=TIMEOUT
    )

    page.get_by_test_id("admin-tab-changes").click()
    expect(page.get_by_test_id("change-row").first).to_contain_text(text, timeout=TIMEOUT)
    page.get_by_test_id("admin-tab-training").click()
    expect(page.get_by_test_id("train-start")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("run-row").first).to_have_attribute(
        "data-status", "active", timeout=TIMEOUT
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-en.png"), full_page=True)

    page.get_by_test_id("lang-switch").select_option("zh")
    expect(page.get_by_test_id("admin-tab-training")).to_contain_text(
        re.compile(r"[\u4e00-\u9fff]"), timeout=TIMEOUT
    )
    page.get_by_test_id("admin-tab-intents").click()
    page.screenshot(path=str(SHOTS / "admin-zh.png"))
    assert errors == []


def test_the_admin_page_is_closed_to_an_agent(browser: Browser, gateway: LiveServer) -> None:
    with opened(browser, gateway, "agent") as (page, errors):
        expect(page.get_by_test_id("admin-denied")).to_be_visible(timeout=TIMEOUT)
        expect(page.get_by_test_id("admin-tab-intents")).to_be_hidden()
        assert errors == []
