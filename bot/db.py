"""One async engine per process, a session per unit of work, migrations applied on start."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

from alembic import command
from alembic.config import Config
from sqlalchemy import JSON, ColumnElement, DateTime, Enum, event, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncAttrs,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS = Path(__file__).with_name("migrations")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes, which are UTC here."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stored_as_string(kind: type[StrEnum], length: int) -> Enum:
    """An enum column kept as its values in a plain VARCHAR (no database enum type, no CHECK):
    the schema and the data stay as they were when these columns were strings."""
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(AsyncAttrs, DeclarativeBase):
    """Related rows load with the row (many-to-one) or on `await row.awaitable_attrs.name`."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        datetime: DateTime(timezone=True),
    }


async def claim(
    session: AsyncSession, row: Any, values: dict[str, Any], *unless: ColumnElement[bool]
) -> bool:
    """Sets `values` on `row` with one conditional UPDATE, only while `unless` still holds (e.g.
    "the mark is not set yet"): True for the one caller that changed it, even when two gateway
    replicas try at the same moment. The row object is updated to match."""
    kind = type(row)
    result = await session.execute(
        update(kind)
        .where(kind.id == row.id, *unless)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    claimed = bool(getattr(result, "rowcount", 0) == 1)
    if claimed:
        for name, value in values.items():
            setattr(row, name, value)
    return claimed


def make_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    return engine


def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


async def migrate(engine: AsyncEngine) -> None:
    """Brings the database schema to the newest migration."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
