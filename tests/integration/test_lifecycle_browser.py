"""The case after the hand-off, in a real browser against the real stack: the survey in the
widget, a low score back in the supervisor's console, and an agent's reply on a ticket that the
customer sees when they come back to the page."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.integration.clients import console_login
from tests.integration.stack import LiveServer, create_agent
from tests.integration.test_browser import TIMEOUT, ask, browser, open_widget

__all__ = ["browser"]  # the module's browser fixture, shared
PASSWORD = "lifecycle-password-1"


def console_client(gateway: LiveServer, name: str, role: str = "agent") -> tuple[str, httpx.Client]:
    email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@lumenhome.example"
    create_agent(gateway, email, PASSWORD, name=name, role=role)
    return email, console_login(gateway.url, email, PASSWORD)


def sign_in(page: Page, gateway: LiveServer, email: str) -> None:
    page.goto(gateway.url + "/console")
    page.locator('[data-console="email"]').fill(email)
    page.locator('[data-console="password"]').fill(PASSWORD)
    page.locator('[data-console="signin"]').click()
    expect(page.locator('[data-console="connection"]')).to_have_attribute(
        "data-state", "live", timeout=TIMEOUT
    )


def test_a_low_survey_score_reopens_the_case_to_the_supervisor(
    browser: Browser, gateway: LiveServer
) -> None:
    _, anna = console_client(gateway, "Anna")
    supervisor_email, _ = console_client(gateway, "Wei", role="supervisor")
    customer = browser.new_context().new_page()
    open_widget(customer, gateway)
    ask(customer, "This is OUTRAGEOUS!!! The toaster you sold me caught fire in my kitchen")
    system = customer.locator('[data-lera="message"][data-author="system"]')
    bot = customer.locator('[data-lera="message"][data-author="bot"]')
    expect(bot.first).to_contain_text("toaster", timeout=TIMEOUT)

    queued = [c for c in anna.get("/api/console/queue").json() if c["status"] == "queued"]
    chat = queued[-1]["id"]
    anna.post(f"/api/console/conversations/{chat}/claim").raise_for_status()
    anna.post(
        f"/api/console/conversations/{chat}/messages", json={"text": "I'm so sorry."}
    ).raise_for_status()
    anna.post(
        f"/api/console/conversations/{chat}/resolve", json={"solution": "a refund is on its way"}
    ).raise_for_status()
    expect(system.last).to_contain_text("How happy are you", timeout=TIMEOUT)
    chips = customer.locator('[data-lera="button"]:not([disabled])')
    expect(chips).to_have_count(5, timeout=TIMEOUT)
    chips.first.click()  # 1
    expect(system.last).to_contain_text("What went wrong", timeout=TIMEOUT)
    expect(system.nth(-2)).to_contain_text("Wei", timeout=TIMEOUT)
    number = anna.get(f"/api/console/conversations/{chat}").json()["ticket"]["number"]

    console = browser.new_context().new_page()
    sign_in(console, gateway, supervisor_email)
    console.get_by_test_id("tickets-tab").click()
    console.get_by_test_id("ticket-filter-assignee").select_option("me")
    row = console.locator(f'[data-testid="ticket-row"][data-number="{number}"]')
    expect(row).to_be_visible(timeout=TIMEOUT)
    expect(row).to_contain_text("reopened", ignore_case=True)
    row.click()
    detail = console.get_by_test_id("ticket-detail")
    expect(detail).to_have_attribute("data-status", "open", timeout=TIMEOUT)
    console.context.close()
    customer.context.close()
    anna.close()


def test_an_agents_reply_on_a_ticket_is_in_the_widget_after_a_reload(
    browser: Browser, gateway: LiveServer
) -> None:
    _, anna = console_client(gateway, "Lin")
    customer = browser.new_context().new_page()
    open_widget(customer, gateway)
    ask(customer, "The lid of the saucepan arrived with a dent, could you send a new one?")
    bot = customer.locator('[data-lera="message"][data-author="bot"]')
    expect(bot.last).to_contain_text("#", timeout=TIMEOUT)  # the case number
    tickets = anna.get("/api/console/tickets", params={"q": "saucepan"}).json()["items"]
    [ticket] = [t for t in tickets if t["status"] == "open" and t["conversation_status"] == "bot"][
        -1:
    ]
    number = ticket["number"]
    customer.close()  # the customer left the page

    anna.post(f"/api/console/tickets/{number}/take").raise_for_status()
    anna.post(
        f"/api/console/tickets/{number}/messages",
        json={"text": "A new lid goes out today — sorry about the dent."},
    ).raise_for_status()

    # the browser keeps the widget's sender id: the customer comes back to the page
    page = customer.context.new_page()
    open_widget(page, gateway)
    agent = page.locator('[data-lera="message"][data-author="agent"]')
    expect(agent.last).to_have_text(
        "A new lid goes out today — sorry about the dent.", timeout=TIMEOUT
    )
    system = page.locator('[data-lera="message"][data-author="system"]')
    expect(system.last).to_contain_text(f"#{number}", timeout=TIMEOUT)
    # after the resolve, the next question is the assistant's again
    anna.post(
        f"/api/console/tickets/{number}/status",
        json={"status": "resolved", "note": "a new lid is on its way"},
    ).raise_for_status()
    expect(system.last).to_contain_text("How happy are you", timeout=TIMEOUT)
    ask(page, "How long does shipping take?")
    expect(page.locator('[data-lera="message"][data-author="bot"]').last).to_contain_text(
        "2–4", timeout=TIMEOUT
    )
    page.context.close()
    anna.close()
