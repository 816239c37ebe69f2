"""The gateway's settings: one typed object read from the environment or `.env`.

Secrets have no usable default. `make run` generates them on first start into a local file
outside git (`bot/keys.py`) and hands them to every process; in production a missing or weak
secret stops the gateway at start.
"""

from __future__ import annotations

import logging
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.keys import REQUIRED_SECRETS, weakness
from bot.wire.desk_policy import DeskPolicy, read_policy

logger = logging.getLogger(__name__)

PROJECT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LERA_", env_file=".env", extra="ignore")

    # development fills a missing secret with a random one for this process; production refuses
    environment: Literal["development", "production"] = "development"

    # where the processes listen; the internal API (for the action server) only on loopback
    host: str = "127.0.0.1"
    port: int = 8000
    internal_port: int = 8001  # 0: not served (tests call the internal app in-process)
    rasa_port: int = 5005
    actions_port: int = 5055
    # the public address customers and Telegram reach the gateway at
    public_url: str = "http://localhost:8000"

    # SQLite file by default; PostgreSQL with e.g. postgresql+asyncpg://user@host/db
    database_url: str = "sqlite+aiosqlite:///./lera.db"

    # the Rasa server's REST channel; a slower answer gets the customer a holding reply
    rasa_url: str | None = None
    rasa_timeout_seconds: float = 10.0
    # where Rasa keeps its conversations: an SQLite file of the run by default, or PostgreSQL
    # (postgresql://user:password@host:port/db) when several Rasa servers share them; and, with
    # several, their per-conversation lock in Redis (redis://host:port/db)
    rasa_tracker_url: str | None = None
    rasa_lock_url: str | None = None
    # when several Rasa servers serve behind rasa_url: each one's own address, so that a model
    # activated on the admin pages is loaded by every one
    rasa_replicas: tuple[str, ...] = ()
    # how often messages that waited for Rasa are retried
    retry_interval_seconds: float = 5.0

    # shared with the action server (its LERA_SERVICE_TOKEN): guards the internal API
    service_token: SecretStr | None = None
    # Rasa's HTTP API token (`rasa run --auth-token`): tracker events, model parse and loads
    rasa_token: SecretStr | None = None
    # signs the widget customers' tokens
    customer_secret: SecretStr | None = None
    # optional: the shop's backend calls the web endpoint for any sender with this key
    integrator_key: SecretStr | None = None
    # optional: the shop signs its signed-in customers' identity (HS256 JWT) with this key
    identity_secret: SecretStr | None = None
    # Prometheus scrapes /metrics with this bearer token (without one: from loopback only)
    metrics_token: SecretStr | None = None
    # shop origins that may embed the widget (CORS, WebSocket origin, framing of the demo page)
    allowed_origins: tuple[str, ...] = ()

    # Telegram: off unless a token is set
    telegram_token: SecretStr | None = None
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_secret: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"

    # the shop's time zone; business hours, holidays and service levels are the desk policy
    # (data/desk.yml under project_dir, edited on the admin pages)
    timezone: str = "Asia/Shanghai"
    # the assistant's Rasa project (data/, domain.yml, config.yml): what the admin pages edit
    project_dir: Path = PROJECT
    # Rasa's own environment (the trainer and the validator run its programs)
    rasa_venv: Path = PROJECT / ".venv-rasa"
    # training runs from the admin pages skip the figures and the test stories (tests)
    training_fast: bool = False
    # every admin change to the Rasa project passes `rasa data validate` (about 20 s) before
    # it is written; off only in tests that check the other checks
    validate_with_rasa: bool = True
    # minutes an agent needs per chat, for the wait told to a queued customer
    average_handle_minutes: float = 6.0
    # assign queued chats to online agents with free capacity, in turn
    auto_assign: bool = False

    # the case lifecycle: a queued customer is offered the ticket follow-up after this long;
    # a conversation nobody wrote in for this long closes (an agent's chat is freed)
    queue_timeout_minutes: float = 15.0
    idle_close_minutes: float = 30.0
    # the survey after a resolved ticket, question by question, and the bot's "did that help?"
    survey_csat: bool = True
    survey_solved: bool = True
    survey_nps: bool = True
    survey_comment: bool = True
    survey_bot_helped: bool = True
    survey_reminder_hours: float = 24.0
    survey_lifetime_hours: float = 72.0
    # the SLA monitor: how often it looks; a reopened case's promise; a new complaint this soon
    # after a closed one is a repeat
    monitor_interval_seconds: float = 30.0
    follow_up_hours: int = 24
    repeat_window_days: int = 30

    # console sessions (kept in the database): idle and absolute lifetime; how often an open
    # console WebSocket checks that its session still holds
    session_idle_minutes: float = 120.0
    session_hours: float = 12.0
    session_check_seconds: float = 30.0

    # several gateway replicas: the consoles' live events carried between them by Redis
    # pub/sub (e.g. redis://127.0.0.1:6379/0); one gateway needs none
    events_url: str | None = None

    # rate limits ("N/period", the `limits` library's notation), kept in memory or in Redis
    # (e.g. redis://127.0.0.1:6379) so that several gateways share them
    rate_limit_storage: str = "memory://"
    login_limit_per_account: str = "5/15 minutes"
    login_limit_per_address: str = "30/15 minutes"
    message_limit_per_customer: str = "20/minute"
    message_limit_per_address: str = "120/minute"
    connect_limit_per_address: str = "30/minute"
    identity_limit_per_address: str = "30/minute"

    # `make run` creates a demo agent, supervisor and admin (logins written to demo_login_file)
    demo_seed: bool = False
    demo_login_file: str = ".cache/demo-login.txt"

    # longest customer message read, in characters; largest request body and WebSocket frame
    max_message_chars: int = 4000
    max_body_bytes: int = 256 * 1024
    max_frame_bytes: int = 64 * 1024
    # closed conversations older than this are deleted with their messages (0: kept)
    retention_days: int = 0

    @model_validator(mode="after")
    def _secrets_hold(self) -> Self:
        """Production refuses a missing or weak secret; development makes up what is missing."""
        for name in REQUIRED_SECRETS:
            value: SecretStr | None = getattr(self, name)
            problem = weakness(value.get_secret_value() if value is not None else None)
            if problem is None:
                continue
            if self.environment == "production":
                raise ValueError(f"LERA_{name.upper()} {problem}")
            if value is None:
                setattr(self, name, SecretStr(secrets.token_urlsafe(32)))
        for name in ("integrator_key", "identity_secret", "telegram_secret", "metrics_token"):
            value = getattr(self, name)
            problem = weakness(value.get_secret_value()) if value is not None else None
            if problem is not None and self.environment == "production":
                raise ValueError(f"LERA_{name.upper()} {problem}")
        if (
            self.environment == "production"
            and self.telegram_token is not None
            and self.telegram_mode == "webhook"
            and self.telegram_secret is None
        ):
            raise ValueError("LERA_TELEGRAM_SECRET is needed for the Telegram webhook")
        return self

    def secret(self, name: str) -> str:
        """A required secret's value (always set once the settings are made)."""
        value: SecretStr | None = getattr(self, name)
        assert value is not None
        return value.get_secret_value()

    @property
    def policy(self) -> DeskPolicy:
        """Business hours, holidays and service levels, as the desk policy file says now."""
        return read_policy(self.project_dir / "data" / "desk.yml")

    @property
    def rasa_base_url(self) -> str:
        return self.rasa_url or f"http://{self.host}:{self.rasa_port}"

    @property
    def telegram_webhook_url(self) -> str:
        return f"{self.public_url.rstrip('/')}/telegram/webhook"


@lru_cache
def get_settings() -> Settings:
    return Settings()
