"""Demo data for `make run`: a demo agent and supervisor, and the standard replies."""

from __future__ import annotations

import secrets
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.console.auth import hash_password
from bot.models import Agent, CannedResponse, Role

DEMO_AGENTS = (
    ("agent@lumenhome.example", "Anna Li", Role.AGENT),
    ("supervisor@lumenhome.example", "Wei Zhang", Role.SUPERVISOR),
)
CANNED_FILE = Path(__file__).with_name("canned_responses.yml")


async def seed_demo(sessions: async_sessionmaker[AsyncSession], login_file: Path) -> None:
    """Creates the demo accounts and canned replies once; keeps their login in `login_file`."""
    async with sessions() as session:
        if not await session.scalar(select(func.count()).select_from(CannedResponse)):
            canned = yaml.safe_load(CANNED_FILE.read_text(encoding="utf-8"))
            session.add_all(
                CannedResponse(
                    shortcut=c["shortcut"], title=c["title"], text_en=c["en"], text_zh=c["zh"]
                )
                for c in canned
            )
        if not await session.scalar(select(func.count()).select_from(Agent)):
            password = secrets.token_urlsafe(9)
            session.add_all(
                Agent(email=email, name=name, role=role, password_hash=hash_password(password))
                for email, name, role in DEMO_AGENTS
            )
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(
                "".join(
                    f"{email} / {password}  ({role.value})\n" for email, _, role in DEMO_AGENTS
                ),
                encoding="utf-8",
            )
        await session.commit()
