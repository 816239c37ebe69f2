"""XSS in a real browser (Debian's Chromium via Playwright) against the real stack: markup and
script in every field a customer controls — message texts, a Telegram display name, a button's
title and payload, the ticket subject and description the actions write from the customer's
words — shown by the chat widget and by the agent console (toasts, queue, chat header,
transcript, ticket panel, ticket list and ticket view). No dialog opens, no payload script runs,
no element is made from a payload, the console's CSP reports nothing, and every payload is on the
page as the text it was (so it was rendered, not dropped)."""

from __future__ import annotations

import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect

from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.integration.clients import console_login, web_send
from tests.integration.stack import LiveServer, create_agent
from tests.integration.test_browser import TIMEOUT, ask, browser, open_widget
from tests.integration.test_telegram import _chats, _updates  # one sequence for the fake Bot API

__all__ = ["browser"]  # the browser fixture, shared
PASSWORD = "xss-console-password-1"

# the complaint the actions copy into the ticket's subject and description (and that escalates)
COMPLAINT = (
    "This is unacceptable, my kettle <img src=x onerror=alert(1)> gave me an electric shock, "
    "I want a manager now"
)
COMPLAINT_MARKUP = "<img src=x onerror=alert(1)>"
# typed into the widget, one message each
TYPED = [
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<script>window.__xss=1</script>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    'my order https://shop.example/o/7"><img src=x onerror=alert(1)> never came',
]
# a button press as the widget sends it: the payload, shown as its title
BUTTON_PAYLOAD = '/affirm"><img src=x onerror="window.__xss=1;alert(1)">'
BUTTON_TITLE = '<svg onload="window.__xss=1;alert(1)">Yes, please</svg>'
# a Telegram customer's first and last name: their display name in the console
FIRST_NAME = '<img src=x onerror="window.__xss=1;alert(1)">'
LAST_NAME = "<script>alert(2)</script>"
HOSTILE_NAME = f"{FIRST_NAME} {LAST_NAME}"
TELEGRAM_COMPLAINT = "This is OUTRAGEOUS!!! The heater you sold me caught fire in my bedroom"

# what a payload would have made, had it been parsed as markup
INJECTED = ", ".join(
    [
        "img[src='x']",
        "[onerror]",
        "[onload]",
        "[onclick]",
        "[onmouseover]",
        "[onfocus]",
        "a[href^='javascript:' i]",
        "body script:not([src])",
        "iframe",
        "object",
        "embed",
    ]
)
CSP_REPORT = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)

# Runs in every document before the page's own scripts: reports (through an exposed function, so
# a report survives a reload) every element a payload could have made, every inline handler,
# every CSP violation and every write to window.__xss.
GUARD = r"""
(() => {
  const report = (what) => {
    try {
      window.__leraXssReport(String(what));
    } catch (_) {
      /* not bound yet */
    }
  };
  let xss;
  Object.defineProperty(window, "__xss", {
    configurable: true,
    get: () => xss,
    set: (value) => {
      xss = value;
      report(`window.__xss = ${value}`);
    },
  });
  const inspect = (element) => {
    const tag = element.localName;
    for (const { name } of Array.from(element.attributes || [])) {
      if (/^on/i.test(name)) report(`<${tag} ${name}>`);
    }
    if (tag === "img" && element.getAttribute("src") === "x") report("<img src=x>");
    if (tag === "script" && !element.src && document.readyState !== "loading") {
      report(`inline <script>: ${element.textContent}`);
    }
    if (tag === "a" && /^\s*javascript:/i.test(element.getAttribute("href") || "")) {
      report(`<a href=${element.getAttribute("href")}>`);
    }
    if (["iframe", "object", "embed"].includes(tag)) report(`<${tag}>`);
  };
  const visit = (node) => {
    if (!(node instanceof Element)) return;
    inspect(node);
    for (const child of node.querySelectorAll("*")) inspect(child);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") visit(record.target);
      else record.addedNodes.forEach(visit);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener("securitypolicyviolation", (event) =>
    report(`CSP violation: ${event.violatedDirective} (${event.blockedURI || "inline"})`),
  );
})();
"""


@dataclass
class Watched:
    """A page in its own browser context, with everything suspicious it reported."""

    page: Page
    name: str
    reports: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """Nothing a payload made, ran or was refused, now or earlier on this page."""
        page = self.page
        assert self.reports == [], f"{self.name}: {self.reports}"
        assert page.evaluate("typeof window.__xss") == "undefined", self.name
        made = page.locator(INJECTED)
        assert made.count() == 0, (
            f"{self.name}: {made.evaluate_all('(n) => n.map(e => e.outerHTML)')}"
        )


def watched_page(browser: Browser, name: str) -> Watched:
    context = browser.new_context()
    watched = Watched(context.new_page(), name)
    reports = watched.reports
    context.expose_function("__leraXssReport", lambda what: reports.append(what))
    context.add_init_script(GUARD)

    def on_dialog(dialog: Dialog) -> None:
        reports.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if CSP_REPORT.search(message.text):
            reports.append(f"console {message.type}: {message.text}")

    watched.page.on("dialog", on_dialog)
    watched.page.on("console", on_console)
    watched.page.on("pageerror", lambda error: reports.append(f"page error: {error}"))
    return watched


def sign_in(page: Page, gateway: LiveServer, email: str) -> None:
    page.goto(gateway.url + "/console")
    page.locator('[data-console="email"]').fill(email)
    page.locator('[data-console="password"]').fill(PASSWORD)
    page.locator('[data-console="signin"]').click()
    expect(page.locator('[data-console="connection"]')).to_have_attribute(
        "data-state", "live", timeout=TIMEOUT
    )


def telegram_update(chat_id: int, text: str) -> dict[str, Any]:
    """text_update's Update, from a customer whose names are markup."""
    update = text_update(next(_updates), chat_id, text)
    for person in (update["message"]["from"], update["message"]["chat"]):
        person["first_name"], person["last_name"] = FIRST_NAME, LAST_NAME
    return update


def wait_for_replies(telegram: FakeTelegram, chat_id: int, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + TIMEOUT / 1000
    while True:
        sent = [c for c in telegram.calls("sendMessage") if str(c["chat_id"]) == str(chat_id)]
        if len(sent) >= count:
            return sent
        assert time.monotonic() < deadline, f"chat {chat_id} got {sent}"
        time.sleep(0.1)


def press_button_over_the_socket(page: Page, url: str) -> dict[str, Any]:
    """What the widget sends for a button press, on a socket of the customer's own."""
    event: dict[str, Any] = page.evaluate(
        """async ({ url, message, title, clientId }) => {
            const socket = new WebSocket(url);
            return await new Promise((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error("no answer")), 50000);
              socket.onerror = () => reject(new Error("socket error"));
              socket.onmessage = (e) => {
                const event = JSON.parse(e.data);
                if (event.type === "history") {
                  socket.send(JSON.stringify(
                    { type: "user_uttered", message, title, client_id: clientId }));
                } else if (event.type === "conversation" || event.type === "error") {
                  clearTimeout(timer);
                  socket.close();
                  resolve(event);
                }
              };
            });
        }""",
        {
            "url": url,
            "message": BUTTON_PAYLOAD,
            "title": BUTTON_TITLE,
            "clientId": uuid.uuid4().hex,
        },
    )
    return event


def test_hostile_customer_fields_are_text_in_the_widget_and_the_console(
    browser: Browser, gateway: LiveServer, telegram: FakeTelegram
) -> None:
    tag = uuid.uuid4().hex[:6]
    # an agent at work (escalations go to the queue), and a supervisor at the console page
    create_agent(gateway, f"xss-agent-{tag}@lumenhome.example", PASSWORD, name="Mei")
    desk: httpx.Client = console_login(gateway.url, f"xss-agent-{tag}@lumenhome.example", PASSWORD)
    supervisor = f"xss-wei-{tag}@lumenhome.example"
    create_agent(gateway, supervisor, PASSWORD, name="Wei", role="supervisor")
    console = watched_page(browser, "console")
    sign_in(console.page, gateway, supervisor)
    toasts = console.page.locator('[data-console="toast"][data-kind="escalated"]')

    # -- a Telegram customer whose name is markup escalates: the toast shows the name as text
    chat = next(_chats)
    telegram.push_update(telegram_update(chat, TELEGRAM_COMPLAINT))
    named = toasts.filter(has_text="The heater you sold me").first  # found by its harmless part
    expect(named).to_be_visible(timeout=TIMEOUT)
    console.assert_clean()
    expect(named.locator(".toast-name > span").first).to_have_text(HOSTILE_NAME)
    telegram_chat = int(named.get_attribute("data-conversation-id") or 0)
    wait_for_replies(telegram, chat, 2)  # the safe step, then the case and the wait

    # -- a web customer's complaint with markup: escalated, a ticket opened from its words
    sender = f"xss-{tag}"
    with ThreadPoolExecutor(max_workers=1) as pool:
        sent = pool.submit(web_send, gateway.url, sender, COMPLAINT)
        complaint = toasts.filter(has_text="gave me an electric shock").first
        expect(complaint).to_be_visible(timeout=TIMEOUT)
        console.assert_clean()
        expect(complaint.locator(".toast-text")).to_have_text(COMPLAINT)
        answer = sent.result(timeout=TIMEOUT / 1000)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    web_chat, ticket = body["conversation"]["id"], body["conversation"]["ticket"]
    assert body["conversation"]["status"] == "queued", body
    assert ticket is not None, body
    web_ticket = ticket["number"]
    telegram_ticket = desk.get(f"/api/console/conversations/{telegram_chat}").json()["ticket"]
    assert telegram_ticket is not None
    console.assert_clean()

    # -- the widget, as that web customer: the payloads typed, a button pressed, the history
    widget = watched_page(browser, "widget")
    page = widget.page
    page.goto(gateway.url + "/")
    page.evaluate(
        """([sender, token]) => {
            localStorage.setItem("lera.sender", sender);
            localStorage.setItem("lera.token", token);
            localStorage.setItem("lera.started", "1");
        }""",
        [sender, body["customer_token"]],
    )
    open_widget(page, gateway)
    customer = page.locator('[data-lera="message"][data-author="customer"]')
    # each check waits for the message first, looks for what a payload made, then for its text
    expect(customer).to_have_count(1, timeout=TIMEOUT)
    widget.assert_clean()
    expect(customer).to_have_text([COMPLAINT])
    for n, text in enumerate(TYPED, start=2):
        ask(page, text)
        expect(customer).to_have_count(n, timeout=TIMEOUT)
        expect(customer.last).not_to_have_attribute("data-pending", "true", timeout=TIMEOUT)
        widget.assert_clean()
        expect(customer.last).to_have_text(text)
    link = customer.last.locator("a")
    expect(link).to_have_attribute("href", "https://shop.example/o/7")
    widget.assert_clean()

    socket_url = gateway.url.replace("http", "ws", 1) + "/ws/web?"
    socket_url += urlencode({"sender": sender, "token": body["customer_token"], "lang": "en"})
    pressed = press_button_over_the_socket(page, socket_url)
    assert pressed["type"] == "conversation", pressed
    widget.assert_clean()

    page.reload()
    page.locator('[data-lera="launcher"]').click()
    expect(page.locator('[data-lera="status"]')).to_have_attribute(
        "data-state", "online", timeout=TIMEOUT
    )
    # the history: every payload as the customer wrote it, the press as its title
    expect(customer).to_have_count(len(TYPED) + 2, timeout=TIMEOUT)
    widget.assert_clean()
    expect(customer).to_have_text([COMPLAINT, *TYPED, BUTTON_TITLE])
    bot = page.locator('[data-lera="message"][data-author="bot"]')
    expect(bot.first).to_be_visible()
    expect(
        page.locator('[data-lera="message"]').filter(has_text=f"#{web_ticket}").first
    ).to_be_visible()
    widget.assert_clean()

    # -- the console: the queue, the Telegram chat (header, transcript), the web chat
    cp = console.page
    row = cp.locator(f'[data-console="queue-item"][data-conversation-id="{telegram_chat}"]')
    expect(row).to_be_visible(timeout=TIMEOUT)
    console.assert_clean()
    expect(row.locator(".qi-name")).to_have_text(HOSTILE_NAME)
    row.click()
    transcript = cp.locator('[data-console="transcript"]')
    expect(transcript.locator('[data-author="customer"]').first).to_be_visible(timeout=TIMEOUT)
    console.assert_clean()
    expect(cp.locator("#conversation-title")).to_have_text(HOSTILE_NAME)
    authors = transcript.locator('[data-author="customer"] .msg-author')
    expect(authors.first).to_have_text(HOSTILE_NAME)
    expect(transcript.locator('[data-author="customer"] .msg-text').first).to_have_text(
        TELEGRAM_COMPLAINT
    )
    console.assert_clean()

    row = cp.locator(f'[data-console="queue-item"][data-conversation-id="{web_chat}"]')
    expect(row).to_be_visible(timeout=TIMEOUT)
    console.assert_clean()
    expect(row.locator(".qi-last")).to_have_text(BUTTON_PAYLOAD)
    row.click()
    said = transcript.locator('[data-author="customer"] .msg-text')
    expect(said).to_have_count(len(TYPED) + 2, timeout=TIMEOUT)
    console.assert_clean()
    expect(said).to_have_text([COMPLAINT, *TYPED, BUTTON_TITLE])
    expect(said.last).to_have_attribute("title", BUTTON_PAYLOAD)  # the payload on hover
    panel = cp.locator('[data-console="ticket"]')
    expect(panel.locator(".ticket-description")).to_contain_text(COMPLAINT, timeout=TIMEOUT)
    expect(panel.locator('[data-field="subject"] .tf-value')).to_contain_text(COMPLAINT_MARKUP)
    console.assert_clean()

    # -- the Tickets tab: a search for the markup finds both; each ticket opened
    cp.get_by_test_id("tickets-tab").click()
    cp.get_by_test_id("ticket-search").fill("<img src=x")
    web_row = cp.locator(f'[data-testid="ticket-row"][data-number="{web_ticket}"]')
    telegram_row = cp.locator(
        f'[data-testid="ticket-row"][data-number="{telegram_ticket["number"]}"]'
    )
    expect(web_row).to_be_visible(timeout=TIMEOUT)
    expect(telegram_row).to_be_visible(timeout=TIMEOUT)
    console.assert_clean()
    expect(web_row.locator(".tr-subject")).to_contain_text(COMPLAINT_MARKUP)
    expect(telegram_row.locator(".tr-customer")).to_have_text(HOSTILE_NAME)

    web_row.click()
    detail = cp.get_by_test_id("ticket-detail")
    expect(detail).to_have_attribute("data-number", str(web_ticket), timeout=TIMEOUT)
    said = detail.locator('[data-author="customer"] .msg-text')
    expect(said).to_have_count(len(TYPED) + 2, timeout=TIMEOUT)
    console.assert_clean()
    expect(cp.locator("#ticket-title .td-subject")).to_contain_text(COMPLAINT_MARKUP)
    expect(detail.locator(".td-description")).to_contain_text(COMPLAINT)
    expect(said).to_have_text([COMPLAINT, *TYPED, BUTTON_TITLE])
    console.assert_clean()

    telegram_row.click()
    expect(detail).to_have_attribute("data-number", str(telegram_ticket["number"]), timeout=TIMEOUT)
    expect(detail.locator('[data-author="customer"]').first).to_be_visible(timeout=TIMEOUT)
    console.assert_clean()
    expect(cp.locator("#ticket-meta .td-customer")).to_have_text(HOSTILE_NAME)
    expect(detail.locator('[data-author="customer"] .msg-author').first).to_have_text(HOSTILE_NAME)
    console.assert_clean()
    widget.assert_clean()

    console.page.context.close()
    widget.page.context.close()
    desk.close()
