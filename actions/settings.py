"""The action server's settings: one typed object read from the environment or `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.wire.customers import VIP_TIERS

ROOT = Path(__file__).resolve().parent.parent


class SlaPolicy(BaseModel):
    """Service levels, from the complaint-handling standard the shop follows.

    Major (severe or critical) complaints get an answer with a plan within 12 hours; general
    issues are solved within 24 hours and complex ones within 48. The chat's first human
    response has its own target per severity.
    """

    first_response_minutes: dict[str, int] = {
        "critical": 5,
        "severe": 15,
        "medium": 60,
        "light": 120,
    }
    major_hours: int = 12
    general_hours: int = 24
    complex_hours: int = 48


class ActionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LERA_", env_file=".env", extra="ignore")

    # the gateway's internal API (its loopback port) and the token it shares with us
    gateway_url: str = "http://127.0.0.1:8001"
    service_token: SecretStr | None = None
    gateway_timeout_seconds: float = 5.0
    shop_file: Path = ROOT / "data" / "shop.yml"
    sla: SlaPolicy = SlaPolicy()
    # customers of these tiers get the VIP lane
    vip_tiers: tuple[str, ...] = VIP_TIERS
    # the shop's clock, for the due times told to customers
    timezone: str = "Asia/Shanghai"


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
