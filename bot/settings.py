"""The gateway's settings: one typed object read from the environment or `.env`."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LERA_", env_file=".env", extra="ignore")

    # where the processes listen
    host: str = "127.0.0.1"
    port: int = 8000
    rasa_port: int = 5005
    actions_port: int = 5055
    # the public address customers and Telegram reach the gateway at
    public_url: str = "http://localhost:8000"

    # SQLite file by default; PostgreSQL with e.g. postgresql+asyncpg://user@host/db
    database_url: str = "sqlite+aiosqlite:///./lera.db"

    # the Rasa server's REST channel; a slower answer gets the customer a holding reply
    rasa_url: str | None = None
    rasa_timeout_seconds: float = 10.0
    # how often messages that waited for Rasa are retried
    retry_interval_seconds: float = 5.0

    # shared with the action server (its LERA_SERVICE_TOKEN): guards the internal API
    service_token: SecretStr = SecretStr("dev-service-token")

    # Telegram: off unless a token is set
    telegram_token: SecretStr | None = None
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_secret: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"

    # when the human team works (shop time); outside these hours a hand-off waits for the morning
    timezone: str = "Asia/Shanghai"
    weekday_hours: tuple[str, str] = ("09:00", "21:00")
    weekend_hours: tuple[str, str] = ("10:00", "18:00")
    # days the team does not work (ISO dates, e.g. ["2027-01-01"]): nothing falls due on them
    holidays: tuple[str, ...] = ()
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
    # the SLA monitor: warn the agent at this share of the time to the due time; how often it
    # looks; a reopened case's promise; a new complaint this soon after a closed one is a repeat
    sla_warning_share: float = 0.75
    monitor_interval_seconds: float = 30.0
    follow_up_hours: int = 24
    repeat_window_days: int = 30

    # console sessions are signed with this key
    session_secret: SecretStr = SecretStr("dev-session-secret-change-me")

    # `make run` creates a demo agent and supervisor (password written to demo_login_file)
    demo_seed: bool = False
    demo_login_file: str = ".cache/demo-login.txt"

    # longest customer message accepted, in characters
    max_message_chars: int = 4000

    @property
    def rasa_base_url(self) -> str:
        return self.rasa_url or f"http://{self.host}:{self.rasa_port}"

    @property
    def telegram_webhook_url(self) -> str:
        return f"{self.public_url.rstrip('/')}/telegram/webhook"


@lru_cache
def get_settings() -> Settings:
    return Settings()
