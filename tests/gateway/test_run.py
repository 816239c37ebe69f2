"""`make run`'s commands: Rasa and the action server on loopback, Rasa's API behind its token,
the secrets generated once into a file only its owner reads."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bot.keys import REQUIRED_SECRETS, local_secrets, weakness
from bot.run import commands
from bot.settings import Settings


def test_rasa_listens_on_loopback_behind_its_token() -> None:
    settings = Settings(host="0.0.0.0")  # even when the gateway itself is public
    rasa = commands("models/m.tar.gz", settings)["rasa"]
    assert "--interface 127.0.0.1" in rasa
    assert '--auth-token "$LERA_RASA_TOKEN"' in rasa  # from the environment, not the repo
    assert "--ws-max-size" in commands("m", settings)["gateway"]


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
