"""Starts the stack under a process supervisor (supervisord): the gateway, the Rasa server and
the action server.

`make run` calls this with the trained model. A process that crashes is restarted (with
supervisord's growing delay between failed starts) while the others keep running — with Rasa
away the gateway answers customers with its holding reply and catches up once Rasa is back.
Ctrl-C stops everything. The stack says it is ready only when the gateway, its database, Rasa
and the action server have answered a real message (a warm start: the first customer is not
the one who waits for the model to load).

On first start the stack's secrets are generated into `.cache/secrets.env` (mode 0600, outside
git) and handed to every process; Rasa and the action server listen on 127.0.0.1 only, Rasa's
HTTP API behind its token, and the gateway's internal API on its own loopback port.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from bot.keys import local_secrets
from bot.rasa_endpoints import write_endpoints
from bot.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
READY_TIMEOUT_SECONDS = 300
SECRETS_FILE = ROOT / ".cache" / "secrets.env"
RUN_DIR = ROOT / ".cache" / "run"
PROGRAMS = ("rasa", "actions", "gateway")
WARM_UP = "How long does shipping take?"  # answered by the action server, from the shop's facts


def commands(model: str, settings: Settings, endpoints: Path) -> dict[str, str]:
    # the token is read from the environment by the shell, not written into this command
    rasa = (
        f"exec {shlex.quote(str(RASA))} run --model {shlex.quote(model)} --enable-api"
        ' --auth-token "$LERA_RASA_TOKEN"'
        f" --interface 127.0.0.1 --port {settings.rasa_port}"
        f" --endpoints {shlex.quote(str(endpoints))} --credentials credentials.yml"
    )
    actions = (
        f"exec {shlex.quote(sys.executable)} -m rasa_sdk --actions actions"
        f" --port {settings.actions_port}"
    )
    gateway = (
        f"exec {shlex.quote(sys.executable)} -m uvicorn bot.app:create_app --factory"
        f" --host {settings.host} --port {settings.port} --no-access-log"
        f" --ws-max-size {settings.max_frame_bytes}"
    )
    return {"rasa": rasa, "actions": actions, "gateway": gateway}


def supervisor_config(programs: dict[str, str], run_dir: Path) -> str:
    """supervisord's configuration: every program restarted when it dies, its output on this
    terminal, the whole process group stopped with it."""
    head = f"""[supervisord]
nodaemon=true
logfile={run_dir / "supervisord.log"}
pidfile={run_dir / "supervisord.pid"}
childlogdir={run_dir}
loglevel=warn

[unix_http_server]
file={run_dir / "supervisor.sock"}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{run_dir / "supervisor.sock"}
"""
    blocks = [
        f"""
[program:{name}]
command=/bin/sh -c {shlex.quote(command)}
directory={ROOT}
autorestart=true
startsecs=3
startretries=20
stopasgroup=true
killasgroup=true
stopwaitsecs=20
redirect_stderr=true
stdout_logfile=/dev/fd/1
stdout_logfile_maxbytes=0
"""
        for name, command in programs.items()
    ]
    return head + "".join(blocks)


def banner(settings: Settings) -> str:
    base = f"http://localhost:{settings.port}"
    login_file = ROOT / settings.demo_login_file
    logins = login_file.read_text(encoding="utf-8") if login_file.exists() else ""
    lines = "".join(f"      {line}\n" for line in logins.splitlines())
    return (
        "\n  LERA Desk is ready.\n"
        f"    demo shop with the chat widget:    {base}/\n"
        f"    agent console:                     {base}/console\n"
        f"{lines}"
        f"    API docs (POST /api/web/messages): {base}/docs\n"
        "  Ctrl-C stops everything.\n"
    )


def warm(settings: Settings) -> bool:
    """The gateway and its database, Rasa and the action server answer; one real message has
    been through Rasa and the action server (straight to Rasa: no customer is created)."""
    try:
        ready = httpx.get(f"http://127.0.0.1:{settings.port}/readyz", timeout=3)
        if ready.status_code != 200:
            return False
        answer = httpx.post(
            f"{settings.rasa_base_url}/webhooks/rest/webhook",
            json={"sender": "lera-warm-up", "message": WARM_UP},
            timeout=60,
        )
        texts = [r.get("text") or "" for r in answer.json()] if answer.status_code == 200 else []
    except (httpx.HTTPError, ValueError):
        return False
    return any(texts)


def announce_when_ready(settings: Settings) -> None:
    """Prints where to talk to the assistant once the whole stack has answered."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if warm(settings):
            print(banner(settings), flush=True)
            return
        time.sleep(1)
    print("  LERA Desk did not become ready; see the output above.", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="the trained Rasa model (.tar.gz)")
    parser.add_argument("--run-dir", default=str(RUN_DIR), help="supervisord's files")
    args = parser.parse_args(argv)
    os.environ.update(local_secrets(SECRETS_FILE))
    settings = get_settings()
    run_dir = Path(args.run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    endpoints = write_endpoints(
        run_dir / "endpoints.yml",
        settings.actions_port,
        settings.rasa_tracker_url or str(run_dir / "trackers.db"),
        settings.rasa_lock_url,
    )
    config = run_dir / "supervisord.conf"
    config.write_text(
        supervisor_config(commands(args.model, settings, endpoints), run_dir), encoding="utf-8"
    )
    # the processes inherit this environment (the secrets are never written in a command)
    os.environ.setdefault("LERA_DEMO_SEED", "true")  # the demo agents, on first start
    os.environ.update(
        {
            "PYTHONPATH": str(ROOT),
            "SANIC_HOST": "127.0.0.1",  # the action server (rasa-sdk) binds here
            "LERA_GATEWAY_URL": f"http://127.0.0.1:{settings.internal_port}",
        }
    )
    supervisord = shutil.which("supervisord", path=str(Path(sys.executable).parent))
    if supervisord is None:
        print("supervisord is not installed: run `make install`", file=sys.stderr)
        return 1
    process = subprocess.Popen([supervisord, "-c", str(config)])
    threading.Thread(target=announce_when_ready, args=(settings,), daemon=True).start()

    def stop(signum: int, _frame: object) -> None:
        process.send_signal(signal.SIGTERM)  # supervisord stops every program, then itself

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return process.wait()


if __name__ == "__main__":
    sys.exit(main())
