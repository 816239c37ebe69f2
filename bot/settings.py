"""The gateway's settings: one typed object read from the environment or `.env`."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LERA_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
