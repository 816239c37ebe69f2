"""Server-side console sessions: the cookie holds a random key, the database its hash, the
agent, a CSRF token and the session's times. Logout, deactivation and a password change end
them, and the console WebSockets of an ended session are closed."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import WebSocket
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import as_utc, utcnow
from bot.keys import same_secret
from bot.models import Agent, ConsoleSession
from bot.settings import Settings

COOKIE = "lera_console"
SESSION_ENDED = 4401  # the console WebSocket's close code when its session ends
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class SignedIn:
    agent: Agent
    session_id: str
    csrf_token: str

    def csrf_matches(self, token: str | None) -> bool:
        return same_secret(token, self.csrf_token)


class ConsoleSessions:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self._sessions = sessions
        self._idle = timedelta(minutes=settings.session_idle_minutes)
        self._lifetime = timedelta(hours=settings.session_hours)
        self.secure_cookie = settings.public_url.startswith("https://")
        self._sockets: dict[str, set[WebSocket]] = {}

    @property
    def max_age(self) -> int:
        return int(self._lifetime.total_seconds())

    async def open(self, agent: Agent) -> tuple[str, SignedIn]:
        """A new session for the agent: the cookie's key, and the session."""
        key = secrets.token_urlsafe(32)
        row = ConsoleSession(
            id=_hash(key),
            agent_id=agent.id,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=utcnow() + self._lifetime,
        )
        async with self._sessions() as session:
            session.add(row)
            await session.commit()
        return key, SignedIn(agent, row.id, row.csrf_token)

    async def _live(
        self, session: AsyncSession, session_id: str, now: datetime
    ) -> tuple[ConsoleSession, Agent] | None:
        """The session and its agent, unless it ended, expired, idled out or its account was
        deactivated."""
        row = await session.get(ConsoleSession, session_id)
        if row is None or row.ended_at is not None:
            return None
        agent = await session.get(Agent, row.agent_id)
        if (
            agent is None
            or not agent.active
            or as_utc(row.expires_at) <= now
            or as_utc(row.last_seen_at) + self._idle <= now
        ):
            return None
        return row, agent

    async def find(self, key: str | None) -> SignedIn | None:
        """The live session the cookie names (its last use noted), or None."""
        if not key or len(key) > 100:
            return None
        now = utcnow()
        async with self._sessions() as session:
            live = await self._live(session, _hash(key), now)
            if live is None:
                return None
            row, agent = live
            if as_utc(row.last_seen_at) + TOUCH_EVERY <= now:
                row.last_seen_at = now
                await session.commit()
            return SignedIn(agent, row.id, row.csrf_token)

    async def still_live(self, session_id: str) -> bool:
        """For an open WebSocket: the session still holds (its last use is not noted)."""
        async with self._sessions() as session:
            return await self._live(session, session_id, utcnow()) is not None

    async def end(self, session_id: str) -> None:
        """Logout: this session ends, and its console sockets close."""
        async with self._sessions() as session:
            await session.execute(
                update(ConsoleSession)
                .where(ConsoleSession.id == session_id, ConsoleSession.ended_at.is_(None))
                .values(ended_at=utcnow())
            )
            await session.commit()
        await self.close_sockets([session_id])

    async def end_agent(self, agent_id: int) -> None:
        """Every session of the agent ends now (deactivation), and their sockets close."""
        async with self._sessions() as session:
            ended = await self.end_all_of(session, agent_id)
            await session.commit()
        await self.close_sockets(ended)

    async def end_all_of(self, session: AsyncSession, agent_id: int) -> list[str]:
        """Deactivation or a password change, in the caller's transaction: every session of the
        agent ends; returns their ids for `close_sockets` after the commit."""
        ids = list(
            await session.scalars(
                select(ConsoleSession.id).where(
                    ConsoleSession.agent_id == agent_id, ConsoleSession.ended_at.is_(None)
                )
            )
        )
        await session.execute(
            update(ConsoleSession).where(ConsoleSession.id.in_(ids)).values(ended_at=utcnow())
        )
        return ids

    def attach(self, session_id: str, socket: WebSocket) -> None:
        self._sockets.setdefault(session_id, set()).add(socket)

    def detach(self, session_id: str, socket: WebSocket) -> None:
        sockets = self._sockets.get(session_id, set())
        sockets.discard(socket)
        if not sockets:
            self._sockets.pop(session_id, None)

    async def close_sockets(self, session_ids: list[str]) -> None:
        for session_id in session_ids:
            for socket in list(self._sockets.pop(session_id, ())):
                with contextlib.suppress(RuntimeError):
                    await socket.close(code=SESSION_ENDED, reason="the session has ended")
