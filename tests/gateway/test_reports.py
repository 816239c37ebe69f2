"""The supervisors' reports against figures worked out by hand on a seeded week (shop time
Asia/Shanghai, weekdays 09:00–21:00, weekends 10:00–18:00): business-hour edges, a breach, a
reopened ticket, a repeat, surveys; and the Prometheus endpoint, scraped and parsed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.models import (
    QA_PARTS,
    Author,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    Role,
    Survey,
    SurveyKind,
    SurveyStatus,
    SurveyStep,
    Ticket,
    TicketStatus,
)
from tests.gateway.conftest import Gateway

SHOP = ZoneInfo("Asia/Shanghai")
WEEK = {"start": "2026-11-23", "end": "2026-11-29"}  # Monday to Sunday


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026, shop time (stored in UTC, as the gateway stores time)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SHOP).astimezone(UTC)


async def seed(gateway: Gateway) -> dict[str, int]:
    anna = await gateway.add_agent("anna@example.com", "Anna Li")
    async with gateway.sessions() as session:
        people = {
            name: Customer(channel=channel, external_id=name, language=language)
            for name, channel, language in (
                ("c1", "web", "en"),
                ("c2", "web", "en"),
                ("c3", "telegram", "zh"),
                ("c4", "web", "zh"),
                ("c5", "web", "en"),
            )
        }
        session.add_all(people.values())
        await session.flush()

        def chat(who: str, created: datetime, **fields: Any) -> Conversation:
            conversation = Conversation(
                customer_id=people[who].id,
                channel=people[who].channel,
                created_at=created,
                status=ConversationStatus.CLOSED,
                closed_at=created.replace(hour=23),
                **fields,
            )
            session.add(conversation)
            return conversation

        a = chat("c1", at(23, 10))  # the assistant alone, and it helped
        b = chat(
            "c2", at(23, 20, 30), queued_at=at(23, 20, 31), escalation_reason="asked_for_human"
        )
        c = chat("c3", at(28, 17), queued_at=at(28, 17, 1), escalation_reason="severe_complaint")
        d = chat("c4", at(25, 12))  # the assistant alone, but it did not help
        e = chat("c1", at(26, 15))  # a ticket the bot kept
        chat("c5", at(30, 9))  # after the period
        await session.flush()
        t1 = Ticket(
            conversation_id=b.id, customer_id=people["c2"].id, category="logistics",
            severity="medium", subject="late", description="late", language="en",
            created_at=at(23, 20, 30), first_response_due_at=at(23, 21, 30),
            first_response_at=at(24, 9, 30), due_at=at(24, 20, 30), resolved_at=at(24, 12, 30),
            status=TicketStatus.CLOSED, assignee_id=anna,
            analysis={"product": "parcel", "problem": "late_delivery"},
        )  # fmt: skip
        t2 = Ticket(
            conversation_id=c.id, customer_id=people["c3"].id, category="product_quality",
            severity="severe", subject="电水壶漏电", description="漏电", language="zh",
            created_at=at(28, 17), first_response_due_at=at(28, 17, 15),
            first_response_at=at(28, 17, 10), due_at=at(29, 10, 30), resolved_at=at(29, 11),
            sla_breached_at=at(29, 10, 30), reopen_count=1, status=TicketStatus.RESOLVED,
            assignee_id=anna, analysis={"product": "kettle", "problem": "electric_shock"},
        )  # fmt: skip
        session.add_all([t1, t2])
        await session.flush()
        t3 = Ticket(
            conversation_id=e.id, customer_id=people["c1"].id, category="logistics",
            severity="light", subject="sofa late", description="sofa", language="en",
            created_at=at(26, 15), first_response_due_at=at(26, 17), due_at=at(27, 15),
            status=TicketStatus.OPEN, repeat_of_id=t1.id,
            analysis={"product": "sofa", "problem": "late_delivery"},
        )  # fmt: skip
        session.add(t3)
        for conversation in (b, c):
            session.add(
                Message(
                    conversation_id=conversation.id, channel=conversation.channel,
                    author=Author.AGENT, text="Hello, Anna here.", agent_id=anna,
                    created_at=conversation.created_at,
                )
            )  # fmt: skip

        def survey(kind: SurveyKind, conversation: Conversation, asked: datetime, **f: Any) -> None:
            session.add(
                Survey(
                    kind=kind, customer_id=conversation.customer_id,
                    conversation_id=conversation.id, asked_at=asked, expires_at=asked,
                    step=SurveyStep.DONE, **f,
                )
            )  # fmt: skip

        answered = SurveyStatus.ANSWERED
        survey(SurveyKind.CASE, b, at(24, 12, 31), ticket_id=t1.id, csat=2, nps=6, status=answered)
        survey(SurveyKind.CASE, c, at(29, 11, 1), ticket_id=t2.id, csat=5, nps=10, status=answered,
               language="zh")  # fmt: skip
        survey(SurveyKind.CASE, b, at(25, 9), ticket_id=t1.id, status=SurveyStatus.EXPIRED)
        survey(SurveyKind.BOT, a, at(23, 10, 5), solved=True, status=answered)
        survey(SurveyKind.BOT, d, at(25, 12, 5), solved=False, status=answered, language="zh")
        await session.commit()
        return {"anna": anna, "a": a.id, "b": b.id, "c": c.id, "d": d.id, "e": e.id}


async def supervisor(gateway: Gateway) -> Any:
    await gateway.add_agent("sue@example.com", "Sue", role=Role.SUPERVISOR)
    return await gateway.console("sue@example.com")


async def test_every_figure_of_a_seeded_week(gateway: Gateway) -> None:
    ids = await seed(gateway)
    sue = await supervisor(gateway)
    review = dict.fromkeys(QA_PARTS, 2)
    saved = await sue.post(f"/api/console/reports/qa/conversations/{ids['b']}/reviews", json=review)
    assert saved.status_code == 200 and saved.json()["score"] == 100.0
    assert saved.json()["agent_id"] == ids["anna"]
    halves = dict.fromkeys(review, 1)
    await sue.post(f"/api/console/reports/qa/conversations/{ids['a']}/reviews", json=halves)

    report = (await sue.get("/api/console/reports/summary", params=WEEK)).json()
    f = report["figures"]
    assert f["containment"] == {"value": 0.2, "bot_alone": 1, "conversations": 5}
    assert f["escalation_rate"]["value"] == 0.4
    assert f["escalation_rate"]["by_reason"] == {"asked_for_human": 1, "severe_complaint": 1}
    # Monday 20:30 → Tuesday 09:30: 780 minutes, of which 30 + 30 in business hours
    assert f["first_response"] == {
        "count": 2,
        "median_minutes": 395.0,
        "p90_minutes": 703.0,
        "median_business_minutes": 35.0,
        "p90_business_minutes": 55.0,
    }
    # Saturday 17:00 → Sunday 11:00: 1080 minutes, 60 + 60 of them while the team works
    assert f["resolution"] == {
        "count": 2,
        "median_minutes": 1020.0,
        "p90_minutes": 1068.0,
        "median_business_minutes": 180.0,
        "p90_business_minutes": 228.0,
    }
    assert f["sla"]["first_response"] == {"value": 0.3333, "met": 1, "due": 3}
    assert f["sla"]["resolution"] == {"value": 0.3333, "met": 1, "due": 3}
    assert f["sla"]["breaches_by_severity"] == {"light": 0, "medium": 0, "severe": 1, "critical": 0}
    assert f["csat"] == {
        "mean": 3.5,
        "count": 2,
        "distribution": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1},
    }
    assert f["nps"] == {"value": 0.0, "promoters": 1, "passives": 0, "detractors": 1, "count": 2}
    assert f["survey_response_rate"] == {"value": 0.6667, "answered": 2, "asked": 3}
    assert f["reopen_rate"] == {"value": 0.5, "reopened": 1, "resolved": 2}
    assert f["repeat_rate"] == {"value": 0.3333, "repeats": 1, "tickets": 3}

    voice = report["voice"]
    assert voice["days"][0] == "2026-11-23" and len(voice["days"]) == 7
    assert voice["by_category"] == {
        "logistics": [1, 0, 0, 1, 0, 0, 0],
        "product_quality": [0, 0, 0, 0, 0, 1, 0],
    }
    assert voice["by_severity"]["severe"] == [0, 0, 0, 0, 0, 1, 0]
    assert voice["problems"] == [["late_delivery", 2], ["electric_shock", 1]]

    [anna, assistant] = report["agents"]
    assert anna == {
        "agent_id": ids["anna"],
        "name": "Anna Li",
        "chats": 2,
        "tickets": 2,
        "first_response_median_minutes": 395.0,
        "resolution_median_minutes": 1020.0,
        "csat_mean": 3.5,
        "reopen_rate": 0.5,
        "qa_score": 100.0,
        "qa_reviews": 1,
    }
    assert (assistant["name"], assistant["chats"], assistant["qa_score"]) == ("Assistant", 1, 50.0)


async def test_filters_by_channel_and_language(gateway: Gateway) -> None:
    await seed(gateway)
    sue = await supervisor(gateway)
    summary = "/api/console/reports/summary"
    telegram = (await sue.get(summary, params={**WEEK, "channel": "telegram"})).json()["figures"]
    assert telegram["containment"] == {"value": 0.0, "bot_alone": 0, "conversations": 1}
    assert telegram["repeat_rate"]["tickets"] == 1 and telegram["csat"]["mean"] == 5.0
    chinese = (await sue.get(summary, params={**WEEK, "language": "zh"})).json()["figures"]
    assert chinese["containment"]["conversations"] == 2  # c3 and c4 write Chinese
    assert chinese["resolution"]["count"] == 1
    bad = await sue.get(summary, params={"start": "2026-11-29", "end": "2026-11-23"})
    assert bad.status_code == 422


async def test_every_table_downloads_as_csv(gateway: Gateway) -> None:
    await seed(gateway)
    sue = await supervisor(gateway)
    for table in ("figures", "voice", "agents", "escalations"):
        response = await sue.get(f"/api/console/reports/{table}.csv", params=WEEK)
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/csv"
        )
        assert "attachment" in response.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
        assert len(rows) > 1
    figures = (await sue.get("/api/console/reports/figures.csv", params=WEEK)).text
    assert "containment.value,0.2" in figures
    missing = await sue.get("/api/console/reports/nothing.csv", params=WEEK)
    assert missing.status_code == 404


async def test_a_qa_sample_is_stratified_and_reviews_are_checked(gateway: Gateway) -> None:
    ids = await seed(gateway)
    sue = await supervisor(gateway)
    sample = await sue.post("/api/console/reports/qa/sample", json={**WEEK, "size": 3})
    items = sample.json()["items"]
    assert len(items) == 3
    # one from each stratum first: (web, bot, assistant), (web, human, Anna), (telegram, human,
    # Anna), (web, ticket, assistant) — so three picks never come from one stratum twice
    strata = {(i["channel"], i["outcome"], i["agent_id"]) for i in items}
    assert len(strata) == 3
    everything = await sue.post("/api/console/reports/qa/sample", json={**WEEK, "size": 50})
    outcomes = {i["conversation_id"]: i["outcome"] for i in everything.json()["items"]}
    assert outcomes == {
        ids["a"]: "bot",
        ids["b"]: "human",
        ids["c"]: "human",
        ids["d"]: "bot",
        ids["e"]: "ticket",
    }
    incomplete = await sue.post(
        f"/api/console/reports/qa/conversations/{ids['a']}/reviews", json={"listen": 2}
    )
    assert incomplete.status_code == 422
    transcript = await sue.get(f"/api/console/reports/qa/conversations/{ids['b']}")
    assert transcript.json()["reviews"] == []
    assert [m["text"] for m in transcript.json()["messages"]] == ["Hello, Anna here."]


async def test_an_agent_cannot_open_the_reports(gateway: Gateway) -> None:
    await gateway.add_agent("anna@example.com", "Anna Li")
    anna = await gateway.console("anna@example.com")
    assert (await anna.get("/api/console/reports/summary", params=WEEK)).status_code == 403
    sue = await supervisor(gateway)
    assert (await sue.get("/api/console/reports/summary", params=WEEK)).status_code == 200


def scrape(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_move_when_a_message_comes_and_a_chat_is_escalated(
    gateway: Gateway,
) -> None:
    before = scrape((await gateway.http.get("/metrics")).text)
    from tests.gateway.test_desk import escalated_chat

    await escalated_chat(gateway, "m1")
    after = scrape((await gateway.http.get("/metrics")).text)

    def moved(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert moved("lera_messages_in_total", channel="web") == 2
    assert moved("lera_escalations_total", reason="severe_complaint") == 1
    assert moved("lera_messages_out_total", channel="web", author="bot") >= 2
    assert after[("lera_queue_length", ())] == 1
    assert after[("lera_queue_oldest_wait_seconds", ())] >= 0
    assert any(name == "lera_rasa_seconds_count" for name, _ in after)
    assert any(
        name == "lera_http_request_duration_seconds_count"
        and ("handler", "/api/web/messages") in labels
        for name, labels in after
    )


async def test_readiness_checks_the_database_and_rasa(gateway: Gateway) -> None:
    assert (await gateway.http.get("/healthz")).json() == {"status": "ok"}
    ready = await gateway.http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["rasa"] == "ok"
    gateway.rasa.down = True
    down = await gateway.http.get("/readyz")
    assert down.status_code == 503 and down.json()["rasa"] == "unavailable"


@pytest.mark.parametrize("host", ["203.0.113.9"])
async def test_metrics_are_not_for_the_public(gateway: Gateway, host: str) -> None:
    import httpx

    transport = httpx.ASGITransport(app=gateway.app, client=(host, 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as outside:
        assert (await outside.get("/metrics")).status_code == 403


async def test_the_demo_week_fills_every_chart_once(gateway: Gateway) -> None:
    from datetime import date, timedelta

    from bot.demo_history import seed_history

    await gateway.add_agent("anna@example.com", "Anna Li")
    assert await seed_history(gateway.sessions) == 56
    assert await seed_history(gateway.sessions) == 0  # only into an empty desk
    sue = await supervisor(gateway)
    today = date.today()  # the machine's day; the shop's may be a day on
    week = {
        "start": (today - timedelta(days=8)).isoformat(),
        "end": (today + timedelta(days=1)).isoformat(),
    }
    report = (await sue.get("/api/console/reports/summary", params=week)).json()
    f = report["figures"]
    assert f["containment"]["conversations"] == 56
    assert 0 < f["containment"]["value"] < 1 and f["csat"]["count"] > 0
    assert f["escalation_rate"]["by_reason"] and report["voice"]["by_category"]
    assert report["agents"][0]["name"] == "Anna Li" and report["agents"][0]["tickets"] > 0
