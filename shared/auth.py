"""Bearer JWT auth as FastAPI dependencies.

Claims: `sub`, `org`, `role` (broker | enterprise | provider | operator | service | admin),
`region` (short code), and `iat`, `exp`, `iss`, `aud`, all required. A token lives at most
`JWT_MAX_TTL_SECONDS`; clocks may differ by `JWT_LEEWAY_SECONDS`. 401 without or with an
invalid token; 403 when the role does not fit.

Keys (shared.settings, `JWT_ALGORITHM`): HS256 with the shared secret
`TECHMARKET_JWT_SECRET` (every service and `techmarket token` can mint), or RS256 / ES256
against a public key (`JWT_PUBLIC_KEY_FILE`, PEM) or a key set (`JWT_JWKS_FILE`, JWKS,
the key chosen by the token's `kid`) of an identity provider: then the services only
verify, and none can mint.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from fastapi import Depends, Request

from shared.errors import Forbidden, Unauthorized
from shared.settings import MarketSettings, get_settings

ROLES = ("broker", "enterprise", "provider", "operator", "service", "admin")
REGION_CODES = {"BJ": "BJ", "TJ": "TJ", "HE": "HE", "110000": "BJ", "120000": "TJ",
                "130000": "HE"}
MAX_SUB_CHARS = 200
_REQUIRED = ["exp", "iat", "iss", "aud", "sub", "role"]


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    org: str | None
    region: str | None

    @property
    def scope(self) -> str:
        """Who owns an Idempotency-Key: keys of different callers never collide."""
        return f"{self.role}:{self.region or '-'}:{self.sub}:{self.org or '-'}"


def mint_token(secret: str, *, role: str, region: str, org: str | None = None,
               sub: str | None = None, ttl_seconds: int = 3600,
               settings: MarketSettings | None = None) -> str:
    """An HS256 token signed with `secret`, for at most the settings' maximum lifetime."""
    settings = settings or get_settings()
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if not 0 < ttl_seconds <= settings.jwt_max_ttl_seconds:
        raise ValueError(f"a token lives 1 to {settings.jwt_max_ttl_seconds} seconds")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub or f"{role}-{uuid.uuid4().hex[:8]}", "role": role, "region": region,
        "iat": now, "exp": now + ttl_seconds, "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience}
    if org:
        claims["org"] = org
    return jwt.encode(claims, secret, algorithm="HS256")


def service_token(sub: str, *, ttl_seconds: int, settings: MarketSettings | None = None) -> str:
    """The token a service sends when it calls another one: the identity provider's, from
    `SERVICE_TOKEN_FILE` (read again whenever the file changes), or one minted with the
    shared HS256 secret."""
    settings = settings or get_settings()
    if settings.service_token_file is not None:
        return _token_file(settings.service_token_file)
    return mint_token(settings.signing_secret(), role="service", region="", sub=sub,
                      ttl_seconds=ttl_seconds, settings=settings)


_TOKEN_FILES: dict[Path, tuple[float, str]] = {}


def _token_file(path: Path) -> str:
    changed = path.stat().st_mtime
    known = _TOKEN_FILES.get(path)
    if known is None or known[0] != changed:
        known = _TOKEN_FILES[path] = (changed, path.read_text().strip())
    return known[1]


class Verifier:
    """Checks tokens against the configured key; remembers the good ones until they expire,
    so that a client's every request does not pay for the signature and JSON again."""

    _MAX_REMEMBERED = 10_000

    def __init__(self, settings: MarketSettings) -> None:
        self.settings = settings
        self.algorithm = settings.jwt_algorithm
        self._key = settings.jwt_verification_key()
        self._verified: dict[str, tuple[Principal, float]] = {}

    def principal(self, token: str) -> Principal:
        remembered = self._verified.get(token)
        if remembered is not None and remembered[1] > time.time():
            return remembered[0]
        principal, expires = self._verify(token)
        if len(self._verified) >= self._MAX_REMEMBERED:
            self._verified.clear()
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        s = self.settings
        try:
            key = self._key(token) if callable(self._key) else self._key
            claims = jwt.decode(token, key, algorithms=[self.algorithm],
                                audience=s.jwt_audience, issuer=s.jwt_issuer,
                                leeway=s.jwt_leeway_seconds, options={"require": _REQUIRED})
        except jwt.ExpiredSignatureError as exc:
            raise _unauthorized("token expired") from exc
        except jwt.PyJWTError as exc:
            raise _unauthorized("invalid token") from exc
        return _principal_of(claims, s), float(claims["exp"])


def _principal_of(claims: dict[str, Any], settings: MarketSettings) -> Principal:
    if not isinstance(claims["exp"], int | float) or not isinstance(claims["iat"], int | float):
        raise _unauthorized("invalid token times")
    if claims["exp"] - claims["iat"] > settings.jwt_max_ttl_seconds:
        raise _unauthorized(f"token lives longer than {settings.jwt_max_ttl_seconds} s")
    role, sub, region = claims.get("role"), claims.get("sub"), claims.get("region")
    if role not in ROLES:
        raise _unauthorized("unknown role in token")
    if not isinstance(sub, str) or not 0 < len(sub) <= MAX_SUB_CHARS or not sub.isprintable():
        raise _unauthorized(f"the token's sub is 1 to {MAX_SUB_CHARS} printable characters")
    org = claims.get("org")
    return Principal(sub=sub, role=role, org=str(org)[:MAX_SUB_CHARS] if org else None,
                     region=REGION_CODES.get(str(region).upper()) if region else None)


@lru_cache
def verifier() -> Verifier:
    return Verifier(get_settings())


def decode_token(token: str) -> Principal:
    return verifier().principal(token)


def _unauthorized(detail: str) -> Unauthorized:
    return Unauthorized(detail, headers={"WWW-Authenticate": 'Bearer realm="techmarket"'})


async def authenticated(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("bearer token required")
    return decode_token(token.strip())


def require(*roles: str) -> Callable[..., object]:
    """Dependency: an authenticated principal having one of `roles`."""

    async def check(who: Principal = Depends(authenticated)) -> Principal:
        if who.role not in roles:
            raise Forbidden(f"role {who.role} may not do this; allowed: {', '.join(roles)}")
        return who

    return check
