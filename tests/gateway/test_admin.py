"""The admin pages' API on a copy of the project: every change checked before anything is
written, written with the files' layout and comments kept, recorded, revertible; the team's
accounts, canned responses and the desk policy (in effect at once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bot.admin.nlu_data import example_id
from bot.admin.round_trip import dumps, loads
from bot.models import Role
from bot.settings import Settings
from tests.gateway.conftest import PASSWORD, Gateway
from tests.project import ROOT, snapshot

ADMIN = "root@example.com"


async def admin(gateway: Gateway) -> httpx.AsyncClient:
    await gateway.add_agent(ADMIN, "Root", role=Role.ADMIN)
    return await gateway.console(ADMIN)


def project(gateway: Gateway) -> Path:
    settings: Settings = gateway.app.state.settings
    return settings.project_dir


def refused(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 422, response.text
    body: dict[str, Any] = response.json()
    assert body["detail"].startswith("Nothing was saved")
    problems: list[dict[str, str]] = body["problems"]
    return problems


def test_every_project_file_reads_and_writes_back_unchanged() -> None:
    """The round trip the admin pages edit with keeps each file byte for byte."""
    files = [
        *sorted((ROOT / "data").rglob("*.yml")),
        ROOT / "domain.yml",
        ROOT / "actions" / "lera_phrases.yml",
        ROOT / "actions" / "intent_titles.yml",
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert dumps(loads(text)) == text, path


async def test_an_example_is_added_moved_deleted_and_each_change_reverted(
    gateway: Gateway,
) -> None:
    client = await admin(gateway)
    root = project(gateway)
    before = snapshot(root)
    added = await client.post(
        "/api/console/admin/examples",
        json={"intent": "delivery_period", "language": "en", "text": "how many days to Lhasa"},
    )
    assert added.status_code == 200, added.text
    example = added.json()["example"]
    assert example["id"] == example_id("en", "how many days to Lhasa")
    shipping = (root / "data/nlu/en/shipping.yml").read_text(encoding="utf-8")
    assert "    - how many days to Lhasa\n" in shipping
    # only that file changed, and only by that line
    after = snapshot(root)
    assert {p for p in after if after[p] != before.get(p)} == {"data/nlu/en/shipping.yml"}
    intent = (await client.get("/api/console/admin/intents/delivery_period")).json()
    assert "how many days to Lhasa" in [e["text"] for e in intent["examples"]]

    moved = await client.put(
        f"/api/console/admin/examples/{example['id']}",
        json={"intent": "delivery_options", "language": "en", "text": "how many days to Lhasa"},
    )
    assert moved.status_code == 200, moved.text
    options = (await client.get("/api/console/admin/intents/delivery_options")).json()
    assert "how many days to Lhasa" in [e["text"] for e in options["examples"]]

    deleted = await client.delete(f"/api/console/admin/examples/{example['id']}")
    assert deleted.status_code == 200, deleted.text
    assert snapshot(root) == before

    history = (await client.get("/api/console/admin/changes")).json()
    assert [c["kind"] for c in history] == ["example_deleted", "example_edited", "example_added"]
    assert history[0]["by"]["name"] == "Root" and history[0]["revertible"]
    # an older change cannot be reverted past a newer one on the same file
    assert (
        await client.post(f"/api/console/admin/changes/{history[1]['id']}/revert")
    ).status_code == 409
    for change in history:
        response = await client.post(f"/api/console/admin/changes/{change['id']}/revert")
        assert response.status_code == 200, response.text
        if change["kind"] == "example_deleted":
            assert "how many days to Lhasa" in (root / "data/nlu/en/shipping.yml").read_text()
    assert snapshot(root) == before


async def test_an_invalid_edit_changes_no_file(gateway: Gateway) -> None:
    client = await admin(gateway)
    root = project(gateway)
    before = snapshot(root)
    # the same example under two intents
    taken = yaml.safe_load((root / "data/nlu/en/shipping.yml").read_text())["nlu"][0]
    text = taken["examples"].splitlines()[0][2:]
    problems = refused(
        await client.post(
            "/api/console/admin/examples",
            json={"intent": "cancel_order", "language": "en", "text": text.upper()},
        )
    )
    assert "is an example of both" in problems[0]["message"]
    # an entity the domain does not have; an empty example
    problems = refused(
        await client.post(
            "/api/console/admin/examples",
            json={"intent": "track_order", "language": "en", "text": "where is [42](parcel_id)"},
        )
    )
    assert "parcel_id" in problems[0]["message"]
    refused(
        await client.post(
            "/api/console/admin/examples",
            json={"intent": "track_order", "language": "en", "text": " "},
        )
    )
    # an emptied response, one without Chinese, a placeholder nothing fills, a broken brace
    for variations in (
        [{"language": "en", "text": ""}, {"language": "zh", "text": "好的"}],
        [{"language": "en", "text": "Fine."}],
        [{"language": "en", "text": "See {nowhere_url}"}, {"language": "zh", "text": "好"}],
        [{"language": "en", "text": "See {orders_url"}, {"language": "zh", "text": "好"}],
    ):
        refused(
            await client.put(
                "/api/console/admin/responses/utter_delivery_period",
                json={"variations": variations},
            )
        )
    # a new question with too few examples, and one whose name is taken
    faq = {
        "name": "gift_wrapping",
        "title": {"en": "Gift wrapping", "zh": "礼品包装"},
        "examples": {"en": ["do you gift wrap"], "zh": ["可以礼品包装吗", "有礼盒吗"]},
        "response": {"en": ["Yes."], "zh": ["可以。"]},
    }
    fields = {
        p["field"] for p in refused(await client.post("/api/console/admin/intents", json=faq))
    }
    assert "examples.en" in fields
    refused(await client.post("/api/console/admin/intents", json={**faq, "name": "greet"}))
    # a desk policy that cannot be, a shop fact of the wrong shape, a broken phrase
    policy = (await client.get("/api/console/admin/policy")).json()
    refused(
        await client.put(
            "/api/console/admin/policy", json={**policy, "weekday_hours": ["25:00", "21:00"]}
        )
    )
    refused(
        await client.put("/api/console/admin/policy", json={**policy, "holidays": ["2027-13-45"]})
    )
    refused(await client.put("/api/console/admin/shop/shop_name", json={"value": "Only English"}))
    entry = (await client.get("/api/console/admin/phrases")).json()["entries"][0]
    refused(
        await client.put(
            "/api/console/admin/phrases",
            json={"path": entry["path"], "en": ["So {clause"], "zh": entry["zh"]},
        )
    )
    assert snapshot(root) == before
    assert (await client.get("/api/console/admin/changes")).json() == []


async def test_a_new_question_is_written_where_rasa_reads_it(gateway: Gateway) -> None:
    client = await admin(gateway)
    root = project(gateway)
    domain_before = (root / "domain.yml").read_text(encoding="utf-8")
    response = await client.post(
        "/api/console/admin/intents",
        json={
            "name": "gift_wrapping",
            "title": {"en": "Gift wrapping", "zh": "礼品包装"},
            "examples": {
                "en": ["do you gift wrap", "can you wrap it as a present"],
                "zh": ["可以礼品包装吗", "能包成礼物吗"],
            },
            "response": {
                "en": ["Yes: tick “gift wrap” at checkout ({express_fee} for express)."],
                "zh": ["可以，结账时勾选“礼品包装”即可。"],
            },
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["intent"]["faq"] is True
    domain = yaml.safe_load((root / "domain.yml").read_text())
    assert "gift_wrapping" in domain["intents"]
    variations = domain["responses"]["utter_gift_wrapping"]
    assert variations[1]["condition"] == [{"type": "slot", "name": "language", "value": "zh"}]
    rules = yaml.safe_load((root / "data/rules/faq.yml").read_text())["rules"]
    assert rules == [
        {
            "rule": "answer gift_wrapping",
            "steps": [{"intent": "gift_wrapping"}, {"action": "action_answer"}],
            "wait_for_user_input": False,
        }
    ]
    zh = yaml.safe_load((root / "data/nlu/zh/faq.yml").read_text())["nlu"]
    assert zh == [{"intent": "gift_wrapping", "examples": "- 可以礼品包装吗\n- 能包成礼物吗\n"}]
    titles = yaml.safe_load((root / "actions/intent_titles.yml").read_text())
    assert titles["gift_wrapping"] == {"en": "Gift wrapping", "zh": "礼品包装"}
    # the rest of domain.yml is as it was: its comments, its order
    text = (root / "domain.yml").read_text(encoding="utf-8")
    assert [line for line in domain_before.splitlines() if line.lstrip().startswith("#")] == [
        line for line in text.splitlines() if line.lstrip().startswith("#")
    ]
    deleted = await client.delete("/api/console/admin/intents/gift_wrapping")
    assert deleted.status_code == 200, deleted.text
    assert (root / "domain.yml").read_text(encoding="utf-8") == domain_before
    # an intent that came with the project is not deleted from the admin pages
    assert (await client.delete("/api/console/admin/intents/greet")).status_code == 409


async def test_a_response_edit_keeps_the_language_conditions(gateway: Gateway) -> None:
    client = await admin(gateway)
    response = await client.put(
        "/api/console/admin/responses/utter_delivery_period",
        json={
            "variations": [
                {"language": "zh", "text": "标准快递 {standard_shipping_days} 个工作日。"},
                {
                    "language": "en",
                    "text": "Standard delivery takes {standard_shipping_days} working days.",
                    "buttons": [{"title": "Track my order", "payload": "/track_order"}],
                },
            ]
        },
    )
    assert response.status_code == 200, response.text
    found = yaml.safe_load((project(gateway) / "domain.yml").read_text())["responses"]
    assert found["utter_delivery_period"] == [
        {
            "text": "Standard delivery takes {standard_shipping_days} working days.",
            "buttons": [{"title": "Track my order", "payload": "/track_order"}],
        },
        {
            "text": "标准快递 {standard_shipping_days} 个工作日。",
            "condition": [{"type": "slot", "name": "language", "value": "zh"}],
        },
    ]


async def test_facts_phrases_and_the_desk_policy_take_effect_at_once(gateway: Gateway) -> None:
    client = await admin(gateway)
    settings: Settings = gateway.app.state.settings
    response = await client.put("/api/console/admin/shop/express_fee", json={"value": "¥20"})
    assert response.status_code == 200, response.text
    shop = yaml.safe_load((project(gateway) / "data/shop.yml").read_text())
    assert shop["express_fee"] == "¥20"
    entry = next(
        e
        for e in (await client.get("/api/console/admin/phrases")).json()["entries"]
        if e["path"] == "listen.problem"
    )
    changed = await client.put(
        "/api/console/admin/phrases",
        json={"path": "listen.problem", "en": ["So {clause}{cost}."], "zh": entry["zh"]},
    )
    assert changed.status_code == 200, changed.text
    phrases = yaml.safe_load((project(gateway) / "actions/lera_phrases.yml").read_text())
    assert phrases["listen"]["problem"]["en"] == ["So {clause}{cost}."]

    policy = (await client.get("/api/console/admin/policy")).json()
    assert settings.policy.holidays == ()
    updated = await client.put(
        "/api/console/admin/policy",
        json={**policy, "holidays": ["2027-01-01"], "weekday_hours": ["08:30", "20:00"]},
    )
    assert updated.status_code == 200, updated.text
    assert settings.policy.holidays == ("2027-01-01",)
    assert settings.policy.weekday_hours == ("08:30", "20:00")
    text = (project(gateway) / "data/desk.yml").read_text(encoding="utf-8")
    assert "# when the human team works" in text  # the file's comments stay


async def test_accounts_are_invited_changed_and_reset(gateway: Gateway) -> None:
    client = await admin(gateway)
    invited = await client.post(
        "/api/console/admin/agents",
        json={"name": "Mei", "email": "Mei@Example.com", "role": "supervisor", "capacity": 4},
    )
    assert invited.status_code == 200, invited.text
    body = invited.json()
    assert body["agent"]["email"] == "mei@example.com" and body["agent"]["role"] == "supervisor"
    mei = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway.app), base_url="http://gateway"
    )
    signed = await mei.post(
        "/api/console/login", json={"email": "mei@example.com", "password": body["password"]}
    )
    assert signed.status_code == 200, signed.text
    assert (
        await client.post(
            "/api/console/admin/agents", json={"name": "Mei 2", "email": "mei@example.com"}
        )
    ).status_code == 409
    agent_id = body["agent"]["id"]
    changed = await client.put(
        f"/api/console/admin/agents/{agent_id}",
        json={"name": "Mei Lin", "role": "agent", "capacity": 2},
    )
    assert changed.json()["agent"] == {**changed.json()["agent"], "name": "Mei Lin", "capacity": 2}
    reset = await client.post(f"/api/console/admin/agents/{agent_id}/password")
    assert reset.status_code == 200
    # the old session ended with the reset; the old password no longer opens anything
    assert (await mei.get("/api/console/me")).status_code == 401
    old = await mei.post(
        "/api/console/login", json={"email": "mei@example.com", "password": body["password"]}
    )
    assert old.status_code == 401
    new = await mei.post(
        "/api/console/login",
        json={"email": "mei@example.com", "password": reset.json()["password"]},
    )
    assert new.status_code == 200
    everyone = (await client.get("/api/console/admin/agents")).json()
    assert {a["name"] for a in everyone} == {"Root", "Mei Lin"}
    assert PASSWORD not in str(everyone)
    await mei.aclose()


async def test_canned_responses_are_kept_by_the_admin_and_found_by_agents(
    gateway: Gateway,
) -> None:
    client = await admin(gateway)
    made = await client.post(
        "/api/console/admin/canned",
        json={
            "shortcut": "wrap",
            "title": "Gift wrap",
            "text_en": "We wrap it.",
            "text_zh": "我们包装。",
        },
    )
    assert made.status_code == 200, made.text
    again = await client.post(
        "/api/console/admin/canned",
        json={"shortcut": "wrap", "title": "Again", "text_en": "x", "text_zh": "y"},
    )
    assert again.status_code == 409
    edited = await client.put(
        f"/api/console/admin/canned/{made.json()['id']}",
        json={
            "shortcut": "wrap",
            "title": "Gift wrapping",
            "text_en": "We wrap it for free.",
            "text_zh": "免费包装。",
        },
    )
    assert edited.json()["title"] == "Gift wrapping"
    await gateway.add_agent("ann@example.com", "Ann")
    agent = await gateway.console("ann@example.com")
    found = (await agent.get("/api/console/canned", params={"q": "wrap"})).json()
    assert [c["title"] for c in found] == ["Gift wrapping"]
    assert (
        await client.delete(f"/api/console/admin/canned/{made.json()['id']}")
    ).status_code == 200
    assert (await agent.get("/api/console/canned", params={"q": "wrap"})).json() == []
    await agent.aclose()


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_a_training_run_that_fails_says_why_and_the_next_may_start(
    gateway: Gateway,
) -> None:
    """(This gateway has no Rasa to train with: the run fails, and says so.)"""
    import asyncio

    client = await admin(gateway)
    started = await client.post("/api/console/admin/training")
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    for _ in range(100):
        run = (await client.get(f"/api/console/admin/training/{run_id}")).json()
        if run["status"] == "failed":
            break
        await asyncio.sleep(0.05)
    assert run["status"] == "failed" and run["error"]
    assert (await client.post(f"/api/console/admin/training/{run_id}/activate")).status_code == 409
    assert (await client.post("/api/console/admin/training")).status_code == 202


async def ready_run(gateway: Gateway, name: str) -> int:
    """A trained run waiting to be activated (its model file is all a fake Rasa needs)."""
    from bot.models import RunStatus, TrainingRun

    models = project(gateway) / "models"
    models.mkdir(exist_ok=True)
    (models / name).write_bytes(b"a model")
    async with gateway.sessions() as session:
        run = TrainingRun(status=RunStatus.READY, model=name, progress={})
        session.add(run)
        await session.commit()
        return run.id


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_messages_written_during_a_swap_wait_for_the_new_model_and_none_is_lost(
    gateway: Gateway,
) -> None:
    import asyncio

    client = await admin(gateway)
    gateway.rasa.load_seconds = 1.0
    run_id = await ready_run(gateway, "lera-new.tar.gz")
    senders = [f"during-{i}" for i in range(6)]
    for sender in senders:
        await gateway.say(sender, "hello")

    async def keep_writing(sender: str) -> int:
        sent = 0
        for _ in range(4):
            await gateway.say(sender, f"message {sent}")
            sent += 1
            await asyncio.sleep(0.2)
        return sent

    writers = [asyncio.create_task(keep_writing(s)) for s in senders]
    await asyncio.sleep(0.1)
    activated = await client.post(f"/api/console/admin/training/{run_id}/activate")
    sent = await asyncio.gather(*writers)
    assert activated.status_code == 200, activated.text
    assert activated.json()["status"] == "active"
    assert gateway.rasa.model_file == "lera-new.tar.gz"
    # nothing reached Rasa while it loaded the model; every message reached it once
    ((began, ended, _),) = gateway.rasa.loads
    assert not [t for t in gateway.rasa.arrivals if began <= t <= ended]
    assert len(gateway.rasa.received) == len(senders) + sum(sent)
    texts = [(r["sender"], r["message"]) for r in gateway.rasa.received]
    assert len(texts) == len(set(texts))
    # the run before it (none here) would now be retired; this one is the active model
    overview = (await client.get("/api/console/admin/training")).json()
    assert overview["active"]["id"] == run_id


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_every_rasa_replica_loads_the_model_and_a_rollback_is_one_click(
    gateway: Gateway,
) -> None:
    from tests.fakes.rasa import running_fake_rasa

    async with running_fake_rasa() as second:
        second.token = gateway.rasa.token
        gateway.app.state.rasa.servers = (gateway.rasa.url, second.url)
        client = await admin(gateway)
        first_run = await ready_run(gateway, "lera-one.tar.gz")
        second_run = await ready_run(gateway, "lera-two.tar.gz")
        for run_id in (first_run, second_run):
            response = await client.post(f"/api/console/admin/training/{run_id}/activate")
            assert response.status_code == 200, response.text
        assert gateway.rasa.model_file == second.model_file == "lera-two.tar.gz"
        runs = {
            r["id"]: r["status"]
            for r in (await client.get("/api/console/admin/training")).json()["runs"]
        }
        assert runs == {first_run: "retired", second_run: "active"}
        back = await client.post(f"/api/console/admin/training/{first_run}/activate")
        assert back.status_code == 200, back.text
        assert gateway.rasa.model_file == second.model_file == "lera-one.tar.gz"
