"""`make run`'s commands: Rasa and the action server on loopback, Rasa's API behind its token,
the secrets generated once into a file only its owner reads."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.keys import REQUIRED_SECRETS, local_secrets, weakness
from bot.run import commands, supervisor_config
from bot.settings import Settings


def test_rasa_listens_on_loopback_behind_its_token(tmp_path: Path) -> None:
    settings = Settings(host="0.0.0.0")  # even when the gateway itself is public
    programs = commands("models/m.tar.gz", settings, tmp_path / "endpoints.yml")
    assert "--interface 127.0.0.1" in programs["rasa"]
    assert '--auth-token "$LERA_RASA_TOKEN"' in programs["rasa"]  # from the environment
    assert "--ws-max-size" in programs["gateway"]
    config = supervisor_config(programs, tmp_path)
    assert config.count("autorestart=true") == 3 and "$LERA_RASA_TOKEN" in config
    assert settings.secret("rasa_token") not in config  # no secret is written down


def test_the_secrets_file_is_made_once_strong_and_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in REQUIRED_SECRETS:
        monkeypatch.delenv(f"LERA_{name.upper()}", raising=False)
    path = tmp_path / ".cache" / "secrets.env"
    first = local_secrets(path)
    assert set(first) == {f"LERA_{n.upper()}" for n in REQUIRED_SECRETS}
    assert all(weakness(v) is None for v in first.values())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert local_secrets(path) == first  # kept across starts
    monkeypatch.setenv("LERA_RASA_TOKEN", "set-by-the-operator-0123456789abcdef")
    assert "LERA_RASA_TOKEN" not in local_secrets(path)  # the environment wins
