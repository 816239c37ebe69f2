"""Starts the stack under one supervisor: the gateway, the Rasa server and the action server.

`make run` calls this with the trained model. Ctrl-C stops every process; if one process
dies, the supervisor stops the others, so nothing is left half-running. On first start the
stack's secrets are generated into `.cache/secrets.env` (mode 0600, outside git) and handed to
every process; Rasa and the action server listen on 127.0.0.1 only, Rasa's HTTP API behind its
token, and the gateway's internal API on its own loopback port.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import threading
import time
from pathlib import Path

import httpx
from honcho.manager import Manager

from bot.keys import local_secrets
from bot.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parent.parent
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
READY_TIMEOUT_SECONDS = 300
SECRETS_FILE = ROOT / ".cache" / "secrets.env"


def commands(model: str, settings: Settings) -> dict[str, str]:
    # the token is read from the environment by the shell, not written into this command
    rasa = (
        f"{shlex.quote(str(RASA))} run --model {shlex.quote(model)} --enable-api"
        ' --auth-token "$LERA_RASA_TOKEN"'
        f" --interface 127.0.0.1 --port {settings.rasa_port}"
        " --endpoints endpoints.yml --credentials credentials.yml"
    )
    actions = (
        f"{shlex.quote(sys.executable)} -m rasa_sdk --actions actions"
        f" --port {settings.actions_port}"
    )
    gateway = (
        f"{shlex.quote(sys.executable)} -m uvicorn bot.app:create_app --factory"
        f" --host {settings.host} --port {settings.port} --no-access-log"
        f" --ws-max-size {settings.max_frame_bytes}"
    )
    return {"rasa": rasa, "actions": actions, "gateway": gateway}


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


def announce_when_ready(settings: Settings) -> None:
    """Prints where to talk to the assistant once the gateway and Rasa answer."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            rasa = httpx.get(
                f"{settings.rasa_base_url}/status",
                params={"token": settings.secret("rasa_token")},
                timeout=2,
            )
            gateway = httpx.get(f"http://{settings.host}:{settings.port}/healthz", timeout=2)
            if rasa.status_code == 200 and gateway.status_code == 200:
                print(banner(settings), flush=True)
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="the trained Rasa model (.tar.gz)")
    args = parser.parse_args(argv)
    os.environ.update(local_secrets(SECRETS_FILE))
    settings = get_settings()
    # the demo agent, supervisor and admin are created on first start unless turned off
    env = {
        "LERA_DEMO_SEED": "true",
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SANIC_HOST": "127.0.0.1",  # the action server (rasa-sdk) binds here
        "LERA_GATEWAY_URL": f"http://127.0.0.1:{settings.internal_port}",
    }
    manager = Manager()
    for name, command in commands(args.model, settings).items():
        manager.add_process(name, command, env=env, cwd=str(ROOT))
    threading.Thread(target=announce_when_ready, args=(settings,), daemon=True).start()
    manager.loop()
    return int(manager.returncode or 0)


if __name__ == "__main__":
    sys.exit(main())
