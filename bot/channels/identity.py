"""Who a widget customer is: the server gives each a random sender id and an unguessable token
(an HMAC of the sender under the gateway's customer secret); a shop can vouch for its signed-in
customers with a token it signs itself (HS256 JWT: `sub` = the shop's customer id, `name`,
`tier`, `exp`), so that one customer keeps one history across devices."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import jwt

from bot.errors import Forbidden, Invalid
from bot.keys import same_secret
from bot.settings import Settings

TOKEN_PREFIX = "ct1."
SHOP_PREFIX = "shop:"
SHOP_ID = re.compile(r"^[A-Za-z0-9._@-]{1,100}$")
TIER = re.compile(r"^[a-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class ShopCustomer:
    sender: str
    name: str | None
    tier: str | None


def bearer(authorization: str | None) -> str | None:
    """The credential of an `Authorization: Bearer …` header."""
    if authorization is None:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


class CustomerKeys:
    def __init__(self, settings: Settings) -> None:
        self._secret = settings.secret("customer_secret").encode()
        key = settings.integrator_key
        self._integrator = key.get_secret_value() if key is not None else None
        signing = settings.identity_secret
        self._identity_secret = signing.get_secret_value() if signing is not None else None

    @staticmethod
    def new_sender() -> str:
        return f"w-{secrets.token_urlsafe(18)}"

    def token_for(self, sender: str) -> str:
        digest = hmac.new(self._secret, f"web:{sender}".encode(), hashlib.sha256).digest()
        return TOKEN_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def opens(self, sender: str, credential: str | None) -> bool:
        """The credential is this sender's token, or the shop's integrator key."""
        if not credential or len(credential) > 200:
            return False
        if self._integrator is not None and same_secret(credential, self._integrator):
            return True
        return same_secret(credential, self.token_for(sender))

    def shop_customer(self, signed: str) -> ShopCustomer:
        """The shop's signed identity, checked (signature, expiry, fields)."""
        if self._identity_secret is None:
            raise Forbidden("this shop does not sign customer identities")
        try:
            claims = jwt.decode(
                signed,
                self._identity_secret,
                algorithms=["HS256"],
                options={"require": ["sub", "exp"]},
            )
        except jwt.PyJWTError as error:
            raise Forbidden(f"the customer identity is not valid: {error}") from error
        subject, name, tier = claims.get("sub"), claims.get("name"), claims.get("tier")
        if not isinstance(subject, str) or not SHOP_ID.match(subject):
            raise Invalid("the identity's sub is a customer id of 1 to 100 letters or digits")
        if name is not None and (not isinstance(name, str) or len(name) > 200):
            raise Invalid("the identity's name is text of at most 200 characters")
        if tier is not None and (not isinstance(tier, str) or not TIER.match(tier)):
            raise Invalid("the identity's tier is a short lower-case word")
        return ShopCustomer(SHOP_PREFIX + subject, name, tier)
