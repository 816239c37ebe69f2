"""Who is on the team and which standard replies they have."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.models import Agent, CannedResponse
from bot.views import agent_dict


class Directory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def agents(self) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            return [
                agent_dict(a) for a in await session.scalars(select(Agent).order_by(Agent.name))
            ]

    async def canned(self, query: str = "") -> list[dict[str, Any]]:
        """Canned responses whose shortcut, title or text contains the query."""
        async with self._sessions() as session:
            rows = await session.scalars(select(CannedResponse).order_by(CannedResponse.shortcut))
            items = [
                {
                    "shortcut": c.shortcut,
                    "title": c.title,
                    "text_en": c.text_en,
                    "text_zh": c.text_zh,
                }
                for c in rows
            ]
        needle = query.strip().lower()
        return [i for i in items if not needle or any(needle in str(v).lower() for v in i.values())]
