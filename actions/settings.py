"""The action server's settings: one typed object read from the environment or `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.wire.customers import VIP_TIERS
from bot.wire.desk_policy import DeskPolicy, read_policy

ROOT = Path(__file__).resolve().parent.parent


class ActionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LERA_", env_file=".env", extra="ignore")

    # the gateway's internal API (its loopback port) and the token it shares with us
    gateway_url: str = "http://127.0.0.1:8001"
    service_token: SecretStr | None = None
    gateway_timeout_seconds: float = 5.0
    shop_file: Path = ROOT / "data" / "shop.yml"
    # business hours, holidays and service levels (edited on the admin pages)
    desk_file: Path = ROOT / "data" / "desk.yml"
    # customers of these tiers get the VIP lane
    vip_tiers: tuple[str, ...] = VIP_TIERS
    # the shop's clock, for the due times told to customers
    timezone: str = "Asia/Shanghai"

    @property
    def policy(self) -> DeskPolicy:
        return read_policy(self.desk_file)


@lru_cache
def get_settings() -> ActionSettings:
    return ActionSettings()
