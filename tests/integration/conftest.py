from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.stack import Stack, free_port, running_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real Rasa server with the trained model, and the real action server."""
    model = os.environ.get("LERA_MODEL")
    if not model or not Path(model).exists():
        pytest.fail("LERA_MODEL must name a trained model: run the tests with `make test`")
    # nothing listens here: the gateway is not part of this stack
    gateway = f"http://127.0.0.1:{free_port()}"
    with running_stack(model, tmp_path_factory.mktemp("stack"), gateway) as running:
        yield running
