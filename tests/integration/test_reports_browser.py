"""The reports page in headless Chromium, on the live gateway with a demo week in it: every
figure shown, the charts drawn, in English and in Chinese (screenshots written to
results/screenshots/), and closed to an agent."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, expect

from bot.demo_history import seed_history
from tests.integration.clients import console_login
from tests.integration.stack import LiveServer, create_agent
from tests.integration.test_browser import TIMEOUT, browser

__all__ = ["browser"]
PASSWORD = "reports-password-1"
SHOTS = Path(__file__).resolve().parents[2] / "results" / "screenshots"
FIGURES = ("containment", "escalation_rate", "first_response", "resolution", "csat", "nps")
CHARTS = ("csat", "categories", "severity", "reasons", "sla", "agents")


def signed_in_context(browser: Browser, gateway: LiveServer, role: str) -> BrowserContext:
    email = f"{role}-{uuid.uuid4().hex[:6]}@lumenhome.example"
    create_agent(gateway, email, PASSWORD, name=role.title(), role=role)
    client = console_login(gateway.url, email, PASSWORD)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    host = gateway.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in client.cookies.items()]
    )
    return context


def test_the_reports_draw_their_charts_in_both_languages(
    browser: Browser, gateway: LiveServer
) -> None:
    context = signed_in_context(browser, gateway, "supervisor")  # the demo week's staff too
    seeded = asyncio.run_coroutine_threadsafe(
        seed_history(gateway.app.state.sessions, only_into_empty=False), gateway.loop
    ).result(timeout=60)
    assert seeded > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(gateway.url + "/console/reports")
    page.evaluate("localStorage.setItem('lera.console.lang', 'en')")
    page.reload()
    for name in FIGURES:  # every figure has a value: the demo week has tickets and surveys
        expect(page.get_by_test_id(f"figure-value-{name}")).to_contain_text(
            re.compile(r"\d"), timeout=TIMEOUT
        )
    for name in CHARTS:
        canvas = page.get_by_test_id(f"chart-{name}")
        expect(canvas).to_be_visible(timeout=TIMEOUT)
        drawn = canvas.evaluate("c => Boolean(window.Chart && window.Chart.getChart(c))")
        assert drawn, name
    page.get_by_test_id("definition-toggle-containment").click()
    expect(page.get_by_test_id("definition-containment")).to_be_visible()
    page.wait_for_timeout(1500)  # Chart.js's animations end
    page.screenshot(path=str(SHOTS / "reports-en.png"), full_page=True)

    page.get_by_test_id("lang-switch").select_option("zh")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("figure-containment")).to_contain_text(
        re.compile(r"[\u4e00-\u9fff]"), timeout=TIMEOUT
    )
    for name in CHARTS:
        drawn = page.get_by_test_id(f"chart-{name}").evaluate(
            "c => Boolean(window.Chart && window.Chart.getChart(c))"
        )
        assert drawn, name
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / "reports-zh.png"), full_page=True)
    assert errors == []
    csv = page.get_by_test_id("csv-agents").get_attribute("href") or ""
    assert "/api/console/reports/agents.csv" in csv


def test_an_agent_is_told_the_reports_are_not_for_them(
    browser: Browser, gateway: LiveServer
) -> None:
    page = signed_in_context(browser, gateway, "agent").new_page()
    page.goto(gateway.url + "/console/reports")
    page.evaluate("localStorage.setItem('lera.console.lang', 'en')")
    page.reload()
    expect(page.get_by_text("supervisors and admins", exact=False).first).to_be_visible(
        timeout=TIMEOUT
    )
