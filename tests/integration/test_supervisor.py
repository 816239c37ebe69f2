"""`make run`'s supervisor with the real processes: ready only once warm; Rasa killed with
kill -9 is restarted while the gateway and the action server keep running, the customer who
writes meanwhile gets the holding reply and then the answer; Ctrl-C stops everything."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.integration.clients import web_history, web_send
from tests.integration.stack import ROOT, free_port

READY = "LERA Desk is ready"


def supervisorctl(run_dir: Path, *args: str) -> str:
    command = [str(Path(sys.executable).parent / "supervisorctl"), "-c"]
    command += [str(run_dir / "supervisord.conf"), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout


def wait_for(predicate: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} within {seconds} s")


def test_a_killed_rasa_is_restarted_and_the_customer_still_answered(
    model: str, tmp_path: Path
) -> None:
    ports = {name: free_port() for name in ("PORT", "INTERNAL_PORT", "RASA_PORT", "ACTIONS_PORT")}
    env = {
        **os.environ,
        **{f"LERA_{name}": str(port) for name, port in ports.items()},
        "LERA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'desk.db'}",
        "LERA_DEMO_SEED": "false",
        "LERA_RETRY_INTERVAL_SECONDS": "0.5",
    }
    run_dir = tmp_path / "run"
    log = (tmp_path / "run.log").open("w+")
    stack = subprocess.Popen(
        [sys.executable, "-m", "bot.run", "--model", model, "--run-dir", str(run_dir)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    base = f"http://127.0.0.1:{ports['PORT']}"
    try:
        wait_for(lambda: READY in Path(log.name).read_text(), 240, "the stack was ready")
        status = supervisorctl(run_dir, "status")
        assert status.count("RUNNING") == 3, status
        rasa_pid = int(supervisorctl(run_dir, "pid", "rasa").strip())
        gateway_pid = int(supervisorctl(run_dir, "pid", "gateway").strip())

        os.kill(rasa_pid, signal.SIGKILL)
        held = web_send(base, "kill-1", "How long does shipping take?").json()
        assert [r["author"] for r in held["replies"]] == ["system"]  # the holding reply
        wait_for(
            lambda: (
                "RUNNING" in supervisorctl(run_dir, "status", "rasa")
                and int(supervisorctl(run_dir, "pid", "rasa").strip()) != rasa_pid
            ),
            60,
            "Rasa was restarted",
        )
        assert int(supervisorctl(run_dir, "pid", "gateway").strip()) == gateway_pid

        def answered() -> bool:
            messages = web_history(base, "kill-1")["messages"]
            return any(m["author"] == "bot" and "2–4" in (m["text"] or "") for m in messages)

        wait_for(answered, 180, "the held message was answered once Rasa was back")
        authors = [m["author"] for m in web_history(base, "kill-1")["messages"]]
        assert authors == ["customer", "system", "bot"]  # answered exactly once
    finally:
        os.killpg(stack.pid, signal.SIGINT)  # Ctrl-C
        stack.wait(timeout=60)
        log.close()
    for port in ports.values():
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            raise AssertionError(f"port {port} still answers after Ctrl-C")
        except httpx.ConnectError:
            pass
