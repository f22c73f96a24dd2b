"""Where each setting comes from: one settings class per concern, no stray environment reads,
and database URLs handled as URLs."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from shared.settings import MarketSettings, asyncpg_url, plain_url, with_database
from techmarket.extras import MissingExtra, require_embedded

ROOT = Path(__file__).resolve().parents[3]
# The one place that hands the environment on as a whole: the service processes'.
PASSES_ENVIRONMENT_ON = {"techmarket/stack.py": 1}


def test_a_service_database_elsewhere_wins_over_the_shared_server() -> None:
    settings = MarketSettings.of_environment({
        "DATABASE_URL": "postgresql://u:pw@db:5432/postgres", "DATABASE_PREFIX": "tm_",
        "DEALS_DATABASE_URL": "postgresql://d@deals-db/deals", "VOUCHERS_PORT": "9004",
        "MATCHING_URL": "http://matching:8002/", "LISTINGS_DATABASE_URL": ""})
    assert settings.service_database_url("deals") == "postgresql://d@deals-db/deals"
    assert settings.admin_database_url("deals") == "postgresql://d@deals-db/deals"
    assert not settings.manages_database_roles("deals")
    # The others connect as their own role (DATABASE_URL's user is the administrator's).
    assert settings.admin_database_url("listings") == "postgresql://u:pw@db:5432/tm_listings"
    assert settings.service_database_url("listings") == \
        "postgresql://tm_listings@db:5432/tm_listings"
    assert settings.manages_database_roles("listings")
    assert settings.service_port("vouchers") == 9004
    assert settings.service_url("vouchers") == "http://127.0.0.1:9004"
    assert settings.service_url("matching") == "http://matching:8002"
    with pytest.raises(ValueError, match="unknown service"):
        settings.service_database_url("ledger")


def test_a_service_connects_with_its_own_role_and_password() -> None:
    settings = MarketSettings.of_environment({
        "DATABASE_URL": "postgresql://admin:secret@db:5432/postgres?sslmode=require",
        "VOUCHERS_DATABASE_PASSWORD": "p@ss/word"})
    assert settings.service_database_url("vouchers") == \
        "postgresql://techmarket_vouchers:p%40ss%2Fword@db:5432/techmarket_vouchers" \
        "?sslmode=require"
    assert "secret" not in settings.service_database_url("deals")
    assert "p%40ss" not in repr(settings)  # a secret, not printed


def test_pool_size_per_service() -> None:
    default = MarketSettings.of_environment({"DB_POOL_SIZE": "12"})
    assert default.pool_size("deals") == 12
    assert default.pool_size("vouchers") == 32
    own = MarketSettings.of_environment({"DEALS_DB_POOL_SIZE": "5", "VOUCHERS_DB_POOL_SIZE": "8"})
    assert (own.pool_size("deals"), own.pool_size("vouchers"), own.pool_size("listings")) == \
        (5, 8, 30)


def test_database_urls_keep_credentials_and_options() -> None:
    url = "postgres://u:p%40ss@h:1/postgres?sslmode=require"
    assert with_database(url, "techmarket_deals") == \
        "postgres://u:p%40ss@h:1/techmarket_deals?sslmode=require"
    assert asyncpg_url(url) == "postgresql+asyncpg://u:p%40ss@h:1/postgres?sslmode=require"
    assert plain_url(asyncpg_url(url)) == "postgresql://u:p%40ss@h:1/postgres?sslmode=require"


def test_the_environment_is_read_by_settings_classes_only() -> None:
    found: dict[str, int] = {}
    for folder in ("shared", "services", "techmarket"):
        for path in (ROOT / folder).rglob("*.py"):
            count = len(re.findall(r"os\.environ|getenv", path.read_text(encoding="utf-8")))
            if count:
                found[str(path.relative_to(ROOT))] = count
    assert found == PASSES_ENVIRONMENT_ON


def test_a_missing_embedded_server_names_the_extra_and_the_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)  # not installed
    with pytest.raises(MissingExtra, match=r"`embedded` extra.*DATABASE_URL"):
        require_embedded("PostgreSQL server")
