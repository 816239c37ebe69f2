"""Rate limits, by the `limits` library (moving windows in memory or in Redis, so that several
gateways count together): sign-in attempts, customer messages, widget connections."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.requests import HTTPConnection

from bot.settings import Settings


def address_of(connection: HTTPConnection) -> str:
    """The address a request or WebSocket came from (the key of per-address limits)."""
    return connection.client.host if connection.client else "unknown"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the next attempt may pass (0 when allowed)


class Limits:
    def __init__(self, settings: Settings) -> None:
        uri = settings.rate_limit_storage
        storage = storage_from_string(f"async+{uri}")
        self._limiter = MovingWindowRateLimiter(storage)
        self.rules: dict[str, RateLimitItem] = {
            "login_account": parse(settings.login_limit_per_account),
            "login_address": parse(settings.login_limit_per_address),
            "message_customer": parse(settings.message_limit_per_customer),
            "message_address": parse(settings.message_limit_per_address),
            "connect_address": parse(settings.connect_limit_per_address),
            "identity_address": parse(settings.identity_limit_per_address),
            # the polite "slow down" note, at most once a minute per customer
            "slow_down_note": parse("1/minute"),
        }

    async def hit(self, rule: str, *key: str) -> Verdict:
        """Counts one attempt; refused when the window is full."""
        item = self.rules[rule]
        if await self._limiter.hit(item, *key):
            return Verdict(True, 0)
        return Verdict(False, await self._retry_after(item, key))

    async def allows(self, rule: str, *key: str) -> Verdict:
        """Whether one more attempt would pass, without counting it."""
        item = self.rules[rule]
        if await self._limiter.test(item, *key):
            return Verdict(True, 0)
        return Verdict(False, await self._retry_after(item, key))

    async def clear(self, rule: str, *key: str) -> None:
        await self._limiter.clear(self.rules[rule], *key)

    async def _retry_after(self, item: RateLimitItem, key: tuple[str, ...]) -> int:
        stats = await self._limiter.get_window_stats(item, *key)
        return max(1, math.ceil(stats.reset_time - time.time()))
