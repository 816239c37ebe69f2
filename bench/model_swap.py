"""Training from the admin pages and the model swap, on the real stack:

    python -m bench.model_swap --model models/<model>.tar.gz [--full]     (make bench-swap)

1. a one-example edit on the admin API, then "train" until the new model answers ("active"):
   the seconds, split into training, measuring (held-out figures, test stories) and activation;
2. the swap under load: customers write all the while; messages failed (an error or no
   answer), duplicated (Rasa read one message twice) and lost (stored, never answered; or
   sent, never read by Rasa) — all three must be 0; the slowest answer during the swap;
3. with --full: the same for a project with no caches (every component trains from zero).

The project is a copy (the checkout's files are not edited); the copy shares the checkout's
caches in step 1 and has none in step 3.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.databases import throwaway_database
from tests.integration.clients import console_login
from tests.integration.stack import create_agent, full_stack
from tests.integration.swap import Stream, customer_messages, rasa_turns, uid_of, wait_for_run
from tests.project import copy_project, trainable_project

ADMIN, PASSWORD = "bench-admin@example.com", "bench admin password"
EDIT = {
    "intent": "delivery_period",
    "language": "en",
    "text": "how many days until it reaches Lhasa",
}


def timed_run(admin: httpx.Client, label: str) -> dict[str, Any]:
    started = time.perf_counter()
    response = admin.post("/api/console/admin/training")
    response.raise_for_status()
    run = wait_for_run(admin, response.json()["id"], 1800)
    trained = time.perf_counter() - started
    if run["status"] != "ready":
        raise SystemExit(f"{label}: training failed: {run.get('error')}")
    stages = {s["name"]: s["seconds"] or 0.0 for s in run["progress"]["stages"]}
    training = sum(v for k, v in stages.items() if k not in ("measuring", "stories"))
    print(f"{label}.training_seconds: {training:.1f}")
    print(f"{label}.measuring_seconds: {stages.get('measuring', 0) + stages.get('stories', 0):.1f}")
    for path, compared in (run.get("compared") or {}).items():
        flag = " (worse)" if compared["worse"] else ""
        print(f"{label}.{path}: {compared['new']} (active {compared['active']}){flag}")
    run["until_ready"] = trained
    return run


def swap_under_load(
    admin: httpx.Client, gateway: Any, stack: Any, run_id: int, customers: int, label: str
) -> float:
    before_stored, before_handled = customer_messages(gateway)
    with Stream(gateway, customers) as stream:
        time.sleep(3)
        started = time.perf_counter()
        admin.post(f"/api/console/admin/training/{run_id}/activate").raise_for_status()
        activation = time.perf_counter() - started
        time.sleep(3)
    stored, handled = customer_messages(gateway)
    read = {
        s: rasa_turns(stack.rasa_url, stack.rasa_token, uid_of(gateway, s)) for s in stream.senders
    }
    duplicated = sum(max(0, read[s] - stream.sent[s]) for s in stream.senders)
    lost = sum(max(0, stream.sent[s] - read[s]) for s in stream.senders) + (
        (stored - before_stored) - (handled - before_handled)
    )
    print(f"{label}.activation_seconds: {activation:.1f}")
    print(f"{label}.messages_during_swap: {sum(stream.sent.values())}")
    print(f"{label}.slowest_answer_seconds: {max(stream.slowest.values()):.1f}")
    print(f"{label}.failed: {len(stream.failed)}")
    print(f"{label}.duplicated: {duplicated}")
    print(f"{label}.lost: {lost}")
    return activation


def measure(model: str, project: Path, workdir: Path, label: str, edit: bool) -> None:
    loop = asyncio.new_event_loop()
    workdir.mkdir(parents=True, exist_ok=True)
    database = throwaway_database("sqlite", workdir)
    url = loop.run_until_complete(database.__aenter__())
    try:
        with full_stack(model, workdir / "stack", url, project_dir=project) as (stack, gateway):
            create_agent(gateway, ADMIN, PASSWORD, name="Bench", role="admin")
            admin = console_login(gateway.url, ADMIN, PASSWORD)
            if edit:
                admin.post("/api/console/admin/examples", json=EDIT).raise_for_status()
            run = timed_run(admin, label)
            activation = swap_under_load(admin, gateway, stack, run["id"], 6, label)
            print(f"{label}.train_to_active_seconds: {run['until_ready'] + activation:.1f}")
    finally:
        loop.run_until_complete(database.__aexit__(None, None, None))
        loop.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--full", action="store_true", help="also train from zero (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lera-bench-swap-") as folder:
        root = Path(folder)
        measure(
            args.model, trainable_project(root / "edit"), root / "edit-run", "one_example", True
        )
        if args.full:
            measure(args.model, copy_project(root / "full"), root / "full-run", "full_model", False)


if __name__ == "__main__":
    main()
