"""Rasa's endpoints file, written at each start: the action server beside it, where it keeps
its conversations (trackers) and, with several Rasa servers, its lock store.

Conversations are kept in an SQL store — an SQLite file beside the run, or PostgreSQL
(`LERA_RASA_TRACKER_URL`) when several Rasa servers share them — so that a restart or a model
swap (`PUT /model` builds a new agent) keeps every dialogue where it was. With several servers
the per-conversation lock lives in Redis (`LERA_RASA_LOCK_URL`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml


def tracker_store(where: str) -> dict[str, Any]:
    """Rasa's SQL tracker store for an SQLite file or a postgresql:// URL."""
    parts = urlsplit(where)
    if parts.scheme.startswith("postgresql"):
        store: dict[str, Any] = {
            "type": "SQL",
            "dialect": "postgresql",
            "url": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "db": parts.path.lstrip("/"),
        }
        if parts.username:
            store["username"] = unquote(parts.username)
        if parts.password:
            store["password"] = unquote(parts.password)
        return store
    return {"type": "SQL", "dialect": "sqlite", "db": where}


def lock_store(url: str) -> dict[str, Any]:
    """Rasa's Redis lock store for a redis:// URL."""
    parts = urlsplit(url)
    store: dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname or "127.0.0.1",
        "port": parts.port or 6379,
        "db": int(parts.path.lstrip("/") or 0),
    }
    if parts.password:
        store["password"] = unquote(parts.password)
    return store


def write_endpoints(path: Path, actions_port: int, trackers: str, locks: str | None = None) -> Path:
    endpoints: dict[str, Any] = {
        "action_endpoint": {"url": f"http://127.0.0.1:{actions_port}/webhook"},
        "tracker_store": tracker_store(trackers),
    }
    if locks:
        endpoints["lock_store"] = lock_store(locks)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# written at start (bot/rasa_endpoints.py)\n" + yaml.safe_dump(endpoints, sort_keys=False),
        encoding="utf-8",
    )
    return path
