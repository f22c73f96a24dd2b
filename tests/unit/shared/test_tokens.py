"""Tokens: the claims a service requires, their lifetime, and the keys it verifies with
(a shared HS256 secret, or an identity provider's RS256 / ES256 public key or key set)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from shared.auth import Verifier, mint_token, service_token
from shared.errors import Unauthorized
from shared.settings import DEV_JWT_SECRET, MarketSettings

SECRET = "a-secret-of-the-market-that-is-long-enough"
SETTINGS = MarketSettings(techmarket_jwt_secret=SECRET)


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"sub": "op-1", "role": "operator", "region": "130000", "iat": now,
              "exp": now + 600, "iss": "techmarket", "aud": "techmarket"}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def test_a_minted_token_is_verified_and_its_region_normalised() -> None:
    who = Verifier(SETTINGS).principal(mint_token(SECRET, role="operator", region="130000",
                                                  sub="op", settings=SETTINGS))
    assert (who.sub, who.role, who.region, who.org) == ("op", "operator", "HE", None)


@pytest.mark.parametrize("changes", [
    {"iss": None}, {"aud": None}, {"iat": None}, {"exp": None}, {"sub": None},
    {"iss": "someone-else"}, {"aud": "another-system"}, {"role": "root"},
    {"exp": int(time.time()) - 120},                       # beyond the leeway
    {"exp": int(time.time()) + 2 * 24 * 3600},             # lives longer than the cap
    {"sub": "x" * 201}, {"sub": ""}, {"sub": "bad\nname"}, {"iat": "yesterday"},
])
def test_a_token_missing_or_bending_a_claim_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(Unauthorized):
        Verifier(SETTINGS).principal(jwt.encode(_claims(**changes), SECRET))


def test_a_little_clock_leeway_is_allowed() -> None:
    token = jwt.encode(_claims(exp=int(time.time()) - 5), SECRET)
    assert Verifier(SETTINGS).principal(token).role == "operator"


def test_another_secret_or_the_development_one_is_refused() -> None:
    for secret in ("another-secret-of-enough-length-too!!", DEV_JWT_SECRET):
        with pytest.raises(Unauthorized):
            Verifier(SETTINGS).principal(jwt.encode(_claims(), secret))


def test_a_token_cannot_be_minted_beyond_the_cap_or_for_an_unknown_role() -> None:
    with pytest.raises(ValueError):
        mint_token(SECRET, role="operator", region="BJ", ttl_seconds=2 * 24 * 3600,
                   settings=SETTINGS)
    with pytest.raises(ValueError):
        mint_token(SECRET, role="root", region="BJ", settings=SETTINGS)


def test_a_service_refuses_to_start_without_a_safe_secret() -> None:
    assert MarketSettings(techmarket_jwt_secret=None).security_problems()
    assert MarketSettings(techmarket_jwt_secret="short").security_problems()
    assert MarketSettings(techmarket_jwt_secret=DEV_JWT_SECRET).security_problems()
    assert SETTINGS.security_problems() == []
    development = MarketSettings(techmarket_jwt_secret=None, techmarket_dev_mode=True)
    assert development.security_problems() == []
    assert development.signing_secret() == DEV_JWT_SECRET


def _pem(key: Any) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.mark.parametrize(("algorithm", "key"), [
    ("RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    ("ES256", ec.generate_private_key(ec.SECP256R1())),
])
def test_an_identity_providers_public_key_verifies_and_nothing_can_mint(
        tmp_path: Path, algorithm: str, key: Any) -> None:
    public = tmp_path / "idp.pem"
    public.write_text(_pem(key))
    settings = MarketSettings(jwt_algorithm=algorithm, jwt_public_key_file=public)
    assert settings.security_problems() == []
    who = Verifier(settings).principal(jwt.encode(_claims(), key, algorithm=algorithm))
    assert who.region == "HE"
    with pytest.raises(Unauthorized):  # an HS256 token, even with the public key as secret
        Verifier(settings).principal(jwt.encode(_claims(), "x" * 40))
    with pytest.raises(ValueError):
        settings.signing_secret()


def test_a_key_set_picks_the_key_named_by_kid(tmp_path: Path) -> None:
    old, new = (rsa.generate_private_key(public_exponent=65537, key_size=2048)
                for _ in range(2))
    keys = [json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(k.public_key())) | {"kid": kid}
            for k, kid in ((old, "2025"), (new, "2026"))]
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps({"keys": keys}))
    verifier = Verifier(MarketSettings(jwt_algorithm="RS256", jwt_jwks_file=jwks))
    token = jwt.encode(_claims(), new, algorithm="RS256", headers={"kid": "2026"})
    assert verifier.principal(token).sub == "op-1"
    wrong = jwt.encode(_claims(), old, algorithm="RS256", headers={"kid": "2026"})
    with pytest.raises(Unauthorized):
        verifier.principal(wrong)
    unknown = jwt.encode(_claims(), new, algorithm="RS256", headers={"kid": "1999"})
    with pytest.raises(Unauthorized):
        verifier.principal(unknown)


def test_a_service_sends_the_providers_token_from_its_file(tmp_path: Path) -> None:
    path = tmp_path / "service.token"
    path.write_text("first-token\n")
    settings = MarketSettings(jwt_algorithm="RS256", service_token_file=path)
    assert service_token("deals", ttl_seconds=60, settings=settings) == "first-token"
    path.write_text("second-token\n")
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert service_token("deals", ttl_seconds=60, settings=settings) == "second-token"


def test_without_a_file_a_service_mints_with_the_shared_secret() -> None:
    token = service_token("deals", ttl_seconds=60, settings=SETTINGS)
    assert Verifier(SETTINGS).principal(token).role == "service"
