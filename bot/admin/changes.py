"""Changes to the project files: staged, checked (ours, then Rasa's validator), written, and
recorded with who made them and when; any change can be reverted while no later change has
touched its files."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.admin.checks import project_problems
from bot.admin.draft import Draft
from bot.admin.problems import InvalidChange
from bot.admin.rasa_check import needs_rasa, rasa_problems
from bot.db import utcnow
from bot.errors import Conflict, Invalid, NotFound
from bot.models import Agent, KnowledgeChange

T = TypeVar("T")


def person(agent: Agent | None) -> dict[str, Any] | None:
    return {"id": agent.id, "name": agent.name} if agent is not None else None


class ChangeLog:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], root: Path, rasa: Path | None
    ) -> None:
        """`rasa`: Rasa's program, for its validator (None: our checks only)."""
        self._sessions = sessions
        self.root = root
        self._rasa = rasa
        # one change at a time: each is checked against the files as the last one left them
        self._lock = asyncio.Lock()

    def draft(self) -> Draft:
        """A read-only view of the files as they are."""
        return Draft(self.root)

    async def apply(
        self, by: Agent, kind: str, summary: str, edit: Callable[[Draft], T]
    ) -> tuple[dict[str, Any], T]:
        """Runs `edit` on a draft; writes it if every check passes, and records it."""
        async with self._lock:
            draft = Draft(self.root)
            result = edit(draft)
            return await self._commit(draft, by, kind, summary), result

    async def _commit(
        self, draft: Draft, by: Agent, kind: str, summary: str, reverts: int | None = None
    ) -> dict[str, Any]:
        changed = draft.changed()
        if not changed:
            raise Invalid("nothing would change")
        problems = project_problems(draft)
        if problems:  # only what the change brings: the files may have had problems before
            before = set(project_problems(Draft(self.root)))
            problems = [p for p in problems if p not in before]
        if not problems and self._rasa is not None and needs_rasa(draft):
            problems = await rasa_problems(draft, self._rasa)
        if problems:
            raise InvalidChange(problems)
        async with self._sessions() as session:
            row = KnowledgeChange(
                agent_id=by.id,
                kind=kind,
                summary=summary,
                before={path: old for path, (old, _) in changed.items()},
                after={path: new for path, (_, new) in changed.items()},
                reverts=reverts,
            )
            session.add(row)
            if reverts is not None:
                undone = await session.get(KnowledgeChange, reverts)
                assert undone is not None
                undone.reverted_at = utcnow()
                undone.reverted_by = by.id
            await session.flush()
            draft.write()
            await session.commit()
            return await self._as_dict(session, row)

    async def revert(self, change_id: int, by: Agent) -> dict[str, Any]:
        async with self._lock:
            async with self._sessions() as session:
                change = await session.get(KnowledgeChange, change_id)
                if change is None:
                    raise NotFound("no such change")
                if change.reverted_at is not None:
                    raise Conflict("this change was reverted already")
            draft = Draft(self.root)
            for path, text in change.after.items():
                if draft.original(path) != text:
                    raise Conflict(f"a later change touched {path}: revert that one first")
                draft.set_text(path, change.before.get(path))
            return await self._commit(
                draft, by, "revert", f"Reverted: {change.summary}", reverts=change.id
            )

    async def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(KnowledgeChange).order_by(KnowledgeChange.id.desc()).limit(limit)
            )
            return [await self._as_dict(session, row) for row in rows]

    async def newest_id(self) -> int | None:
        async with self._sessions() as session:
            newest: int | None = await session.scalar(
                select(KnowledgeChange.id).order_by(KnowledgeChange.id.desc()).limit(1)
            )
            return newest

    async def _as_dict(self, session: AsyncSession, row: KnowledgeChange) -> dict[str, Any]:
        author = await session.get(Agent, row.agent_id) if row.agent_id else None
        undoer = await session.get(Agent, row.reverted_by) if row.reverted_by else None
        current = Draft(self.root)
        return {
            "id": row.id,
            "at": row.created_at.isoformat(),
            "by": person(author),
            "kind": row.kind,
            "summary": row.summary,
            "files": sorted(row.after),
            "reverted_at": row.reverted_at.isoformat() if row.reverted_at else None,
            "reverted_by": person(undoer),
            "revertible": row.reverted_at is None
            and row.kind != "revert"
            and all(current.original(p) == text for p, text in row.after.items()),
        }
