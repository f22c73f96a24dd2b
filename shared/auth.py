"""Bearer JWT (HS256) auth as FastAPI dependencies.

Claims: `sub`, `org`, `role` (broker | enterprise | provider | operator | service), `region`
(short code), `exp`. 401 without or with an invalid token; 403 when the role does not fit.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import jwt
from fastapi import Depends, Request

from shared.errors import Forbidden, Unauthorized
from shared.settings import get_settings

ROLES = ("broker", "enterprise", "provider", "operator", "service", "admin")
REGION_CODES = {"BJ": "BJ", "TJ": "TJ", "HE": "HE", "110000": "BJ", "120000": "TJ",
                "130000": "HE"}


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    org: str | None
    region: str | None

    @property
    def scope(self) -> str:
        """Who owns an Idempotency-Key: keys of different callers never collide."""
        return f"{self.role}:{self.sub}:{self.org or '-'}"


def mint_token(secret: str, *, role: str, region: str, org: str | None = None,
               sub: str | None = None, ttl_seconds: int = 86400) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    now = int(time.time())
    claims = {"sub": sub or f"{role}-{uuid.uuid4().hex[:8]}", "role": role,
              "region": region, "iat": now, "exp": now + ttl_seconds}
    if org:
        claims["org"] = org
    return jwt.encode(claims, secret, algorithm="HS256")


# Verified tokens, so that a client's every request does not pay for HMAC and JSON again.
# Keyed by token and secret; an entry is used only until the token's own expiry.
_VERIFIED: dict[tuple[str, str], tuple[Principal, float]] = {}
_VERIFIED_MAX = 10_000


def decode_token(token: str, secret: str) -> Principal:
    cached = _VERIFIED.get((token, secret))
    if cached is not None and cached[1] > time.time():
        return cached[0]
    principal, expires = _verify(token, secret)
    if len(_VERIFIED) >= _VERIFIED_MAX:
        _VERIFIED.clear()
    _VERIFIED[(token, secret)] = (principal, expires)
    return principal


def _verify(token: str, secret: str) -> tuple[Principal, float]:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"],
                            options={"require": ["exp", "sub", "role"]})
    except jwt.ExpiredSignatureError as exc:
        raise _unauthorized("token expired") from exc
    except jwt.PyJWTError as exc:
        raise _unauthorized("invalid token") from exc
    role = claims.get("role")
    if role not in ROLES:
        raise _unauthorized("unknown role in token")
    region = claims.get("region")
    return Principal(sub=str(claims["sub"]), role=role,
                     org=str(claims["org"]) if claims.get("org") else None,
                     region=REGION_CODES.get(str(region).upper()) if region else None
                     ), float(claims["exp"])


def _unauthorized(detail: str) -> Unauthorized:
    return Unauthorized(detail, headers={"WWW-Authenticate": 'Bearer realm="techmarket"'})


async def authenticated(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("bearer token required")
    return decode_token(token.strip(), get_settings().techmarket_jwt_secret)


def require(*roles: str) -> Callable[..., object]:
    """Dependency: an authenticated principal having one of `roles`."""

    async def check(who: Principal = Depends(authenticated)) -> Principal:
        if who.role not in roles:
            raise Forbidden(f"role {who.role} may not do this; allowed: {', '.join(roles)}")
        return who

    return check
