"""Demo data for `make run`: a demo agent, supervisor and admin, and the standard replies."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.models import Agent, CannedResponse, Role
from bot.passwords import hash_password

DEMO_AGENTS = (
    ("agent@lumenhome.example", "Anna Li", Role.AGENT),
    ("supervisor@lumenhome.example", "Wei Zhang", Role.SUPERVISOR),
    ("admin@lumenhome.example", "Lin Chen", Role.ADMIN),
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
        known = set(await session.scalars(select(Agent.email)))
        missing = [a for a in DEMO_AGENTS if a[0] not in known]
        if missing:
            logins = [(email, secrets.token_urlsafe(12), role) for email, _, role in missing]
            session.add_all(
                Agent(email=email, name=name, role=role, password_hash=hash_password(password))
                for (email, name, role), (_, password, _) in zip(missing, logins, strict=True)
            )
            login_file.parent.mkdir(parents=True, exist_ok=True)
            # a fresh database starts a fresh file; a new demo role is added to the old one
            mode = os.O_APPEND if known else os.O_TRUNC
            descriptor = os.open(login_file, os.O_WRONLY | os.O_CREAT | mode, 0o600)
            with os.fdopen(descriptor, "a" if known else "w", encoding="utf-8") as out:
                out.writelines(f"{e} / {p}  ({r.value})\n" for e, p, r in logins)
        await session.commit()
