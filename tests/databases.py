"""Throwaway databases for tests: a SQLite file, or a fresh database on the real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

# the admin connection used to create and drop test databases (trust auth on this machine)
POSTGRES_ADMIN = os.environ.get("LERA_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
KINDS = ("sqlite", "postgresql")


@asynccontextmanager
async def throwaway_database(kind: str, directory: Path) -> AsyncIterator[str]:
    """Yields a SQLAlchemy URL of an empty database of that kind; drops it afterwards."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / f'lera-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"lera_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        admin = await asyncpg.connect(POSTGRES_ADMIN)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
