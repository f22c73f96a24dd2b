"""The privileges each service's role gets (shared/db_roles.py), the role names, and the
SCRAM verifier its password is stored as."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from shared.db_roles import ORDINARY, ServiceRoles, privileges_of, scram_verifier
from shared.settings import MarketSettings


def test_the_ledger_is_append_only_for_the_vouchers_role() -> None:
    for table in ("ledger_accounts", "ledger_transfers"):
        assert privileges_of("vouchers", table) == ("SELECT", "INSERT")
    assert privileges_of("vouchers", "enterprise_allowances") == ("SELECT",)
    assert privileges_of("vouchers", "reservations") == ORDINARY
    assert "DELETE" not in ORDINARY and "TRUNCATE" not in ORDINARY
    assert privileges_of("deals", "alembic_version") == ()
    assert "DELETE" in privileges_of("listings", "broker_clients")


def test_role_names_carry_the_database_prefix() -> None:
    roles = ServiceRoles.of(MarketSettings.of_environment(
        {"DATABASE_PREFIX": "tm_", "DEALS_DATABASE_PASSWORD": "pw"}), "deals")
    assert (roles.database, roles.login, roles.owner, roles.group, roles.password) == \
        ("tm_deals", "tm_deals", "tm_deals_owner", "tm_services", "pw")


def test_the_verifier_proves_the_password() -> None:
    verifier = scram_verifier("correct horse", iterations=4096)
    method, rest = verifier.split("$", 1)
    counts, keys = rest.split("$")
    iterations, salt = counts.split(":")
    stored, server = (base64.b64decode(k) for k in keys.split(":"))
    assert (method, iterations) == ("SCRAM-SHA-256", "4096")
    salted = hashlib.pbkdf2_hmac("sha256", b"correct horse", base64.b64decode(salt), 4096)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    assert stored == hashlib.sha256(client_key).digest()
    assert server == hmac.digest(salted, b"Server Key", "sha256")
    assert scram_verifier("correct horse") != verifier  # a new salt each time


@pytest.mark.parametrize("password", ["", "密码", "tab\there"])
def test_a_password_that_would_need_saslprep_is_refused(password: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        scram_verifier(password)
