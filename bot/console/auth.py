"""Agent sign-in: argon2-hashed passwords checked off the event loop, throttled per account and
per address, with the same answer and the same work for an unknown address as for a wrong
password; and the password change, which ends every other session of the agent."""

from __future__ import annotations

import secrets

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.concurrency import run_in_threadpool

from bot.console.sessions import ConsoleSessions, SignedIn
from bot.contract import storable
from bot.db import utcnow
from bot.errors import Invalid
from bot.limits import Limits
from bot.models import Agent
from bot.passwords import MIN_PASSWORD, hash_password, verify_password

# verified when the e-mail is unknown, so that it costs what a wrong password costs
_NOBODY = hash_password(secrets.token_urlsafe(16))
WRONG_LOGIN = "wrong e-mail or password"


async def _verified(password_hash: str, password: str) -> bool:
    return await run_in_threadpool(verify_password, password_hash, password)


class SignIn:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        console_sessions: ConsoleSessions,
        limits: Limits,
    ) -> None:
        self._sessions = sessions
        self._console = console_sessions
        self._limits = limits

    async def login(self, email: str, password: str, address: str) -> tuple[str, SignedIn]:
        """The cookie's key and the new session; 401 for any wrong login, 429 when throttled."""
        account = storable(email).strip().lower()
        for rule, key in (("login_account", account), ("login_address", address)):
            verdict = await self._limits.allows(rule, key)
            if not verdict.allowed:
                raise HTTPException(
                    status_code=429,
                    detail="too many sign-in attempts; try again later",
                    headers={"Retry-After": str(verdict.retry_after)},
                )
        async with self._sessions() as session:
            agent = await session.scalar(select(Agent).where(Agent.email == account))
        verified = await _verified(agent.password_hash if agent else _NOBODY, password)
        if agent is None or not verified or not agent.active:
            await self._limits.hit("login_account", account)
            await self._limits.hit("login_address", address)
            raise HTTPException(status_code=401, detail=WRONG_LOGIN)
        await self._limits.clear("login_account", account)
        return await self._console.open(agent)

    async def change_password(
        self, signed: SignedIn, current: str, new: str
    ) -> tuple[str, SignedIn]:
        """Checks the current password, sets the new one, ends every session of the agent and
        opens a fresh one for this console."""
        if len(new) < MIN_PASSWORD:
            raise Invalid(f"the new password needs {MIN_PASSWORD} characters at least")
        async with self._sessions() as session:
            agent = await session.get(Agent, signed.agent.id)
            assert agent is not None
            if not await _verified(agent.password_hash, current):
                raise HTTPException(status_code=403, detail="the current password is wrong")
            agent.password_hash = await run_in_threadpool(hash_password, new)
            agent.password_changed_at = utcnow()
            ended = await self._console.end_all_of(session, agent.id)
            await session.commit()
        await self._console.close_sockets(ended)
        return await self._console.open(agent)
