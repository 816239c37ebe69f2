"""Agent sign-in: argon2-hashed passwords and signed session cookies."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request, WebSocket
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.models import Agent

_hasher = PasswordHasher()
SESSION_KEY = "agent_id"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def authenticate(
    sessions: async_sessionmaker[AsyncSession], email: str, password: str
) -> Agent | None:
    async with sessions() as session:
        agent = await session.scalar(select(Agent).where(Agent.email == email.strip().lower()))
    if agent is None or not verify_password(agent.password_hash, password):
        return None
    return agent


async def agent_of(connection: Request | WebSocket) -> Agent | None:
    agent_id = connection.session.get(SESSION_KEY)
    if agent_id is None:
        return None
    sessions: async_sessionmaker[AsyncSession] = connection.app.state.sessions
    async with sessions() as session:
        return await session.get(Agent, int(agent_id))


async def current_agent(request: Request) -> Agent:
    agent = await agent_of(request)
    if agent is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return agent
