"""The team's canned responses as an admin keeps them: added, edited, deleted (agents insert
them by shortcut or search, `bot/desk/directory.py`)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import Conflict, Invalid, NotFound
from bot.models import CannedResponse

SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def canned_dict(row: CannedResponse) -> dict[str, Any]:
    return {
        "id": row.id,
        "shortcut": row.shortcut,
        "title": row.title,
        "text_en": row.text_en,
        "text_zh": row.text_zh,
    }


def _checked(shortcut: str, title: str, text_en: str, text_zh: str) -> tuple[str, ...]:
    shortcut = shortcut.strip().lstrip("/").lower()
    if not SHORTCUT.match(shortcut):
        raise Invalid("a shortcut is up to 40 lowercase letters, digits, - and _")
    values = (title.strip(), text_en.strip(), text_zh.strip())
    if not all(values):
        raise Invalid("a canned response needs a title and its English and Chinese text")
    if len(values[0]) > 200 or max(len(v) for v in values[1:]) > 4000:
        raise Invalid("a title is at most 200 characters, a text at most 4000")
    return (shortcut, *values)


class CannedReplies:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def all(self) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            rows = await session.scalars(select(CannedResponse).order_by(CannedResponse.shortcut))
            return [canned_dict(r) for r in rows]

    async def save(
        self, canned_id: int | None, shortcut: str, title: str, text_en: str, text_zh: str
    ) -> dict[str, Any]:
        """Adds a canned response (no id) or changes one."""
        values = _checked(shortcut, title, text_en, text_zh)
        async with self._sessions() as session:
            if canned_id is None:
                row = CannedResponse()
                session.add(row)
            else:
                found = await session.get(CannedResponse, canned_id)
                if found is None:
                    raise NotFound("no such canned response")
                row = found
            row.shortcut, row.title, row.text_en, row.text_zh = values
            try:
                await session.commit()
            except IntegrityError as error:
                raise Conflict(f"the shortcut /{values[0]} is taken") from error
            return canned_dict(row)

    async def delete(self, canned_id: int) -> None:
        async with self._sessions() as session:
            row = await session.get(CannedResponse, canned_id)
            if row is None:
                raise NotFound("no such canned response")
            await session.delete(row)
            await session.commit()
