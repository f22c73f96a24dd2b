"""The Kafka credentials of the settings reach every aiokafka client the market builds: the
relay's and dead letters' producer, the consumers, the admin client that creates topics.
Read off the built clients; no broker is needed."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from shared.inbox import EventConsumer
from shared.kafka import Broker, make_admin, make_consumer, make_producer
from shared.runtime import Runtime
from shared.settings import MarketSettings


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate (its own CA) and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "deals.techmarket.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "deals.pem", folder / "deals.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def secured(tmp_path: Path) -> MarketSettings:
    cert, key = _self_signed(tmp_path)
    return MarketSettings.of_environment({
        "KAFKA_BOOTSTRAP_SERVERS": "kafka1:9093,kafka2:9093",
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME": "deals", "KAFKA_SASL_PASSWORD": "deals-scram-password",
        "KAFKA_SSL_CAFILE": str(cert), "KAFKA_SSL_CERTFILE": str(cert),
        "KAFKA_SSL_KEYFILE": str(key)})


async def _clients(settings: MarketSettings) -> dict[str, Any]:
    """The connection of each kind of client the market builds, as the services build it."""
    runtime = Runtime("deals", settings, None, None)  # type: ignore[arg-type]
    consumer = EventConsumer("deals", ["listings.events"], {}, None, None,  # type: ignore[arg-type]
                             runtime.broker)
    return {"producer": make_producer(runtime.broker).client,
            "event consumer": consumer._new_client()._client,
            "plain consumer": make_consumer(runtime.broker, None)._client,
            "admin": make_admin(runtime.broker)._client}


async def test_sasl_over_tls_reaches_every_client(secured: MarketSettings) -> None:
    for kind, client in (await _clients(secured)).items():
        assert client._bootstrap_servers == "kafka1:9093,kafka2:9093", kind
        assert client._security_protocol == "SASL_SSL", kind
        assert client._sasl_mechanism == "SCRAM-SHA-512", kind
        assert (client._sasl_plain_username, client._sasl_plain_password) == \
            ("deals", "deals-scram-password"), kind
        context: ssl.SSLContext = client._ssl_context
        assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname, kind
        authorities: list[Any] = context.get_ca_certs()
        names = [pair for ca in authorities for rdn in ca["subject"] for pair in rdn]
        assert ("commonName", "deals.techmarket.test") in names, kind


async def test_without_credentials_the_clients_connect_in_plaintext() -> None:
    for kind, client in (await _clients(MarketSettings.of_environment({}))).items():
        assert client._security_protocol == "PLAINTEXT", kind
        assert client._ssl_context is None and client._sasl_plain_username is None, kind


def test_sasl_without_a_password_is_refused() -> None:
    broker = Broker.of(MarketSettings.of_environment({
        "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME": "deals"}))
    with pytest.raises(ValueError, match="KAFKA_SASL_PASSWORD"):
        broker.client_options()


def test_the_password_is_not_shown_with_the_settings() -> None:
    settings = MarketSettings.of_environment({"KAFKA_SASL_PASSWORD": "deals-scram-password"})
    assert "deals-scram-password" not in repr(settings)
