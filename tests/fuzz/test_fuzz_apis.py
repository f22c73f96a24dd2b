"""Property-based fuzzing of every service's OpenAPI document (schemathesis).

Each operation gets valid and invalid generated requests, sent with valid tokens of several
roles. Checks: never a 5xx, every error is an `application/problem+json` document, and
documented responses conform to their schema. `make fuzz` runs a longer budget
(FUZZ_EXAMPLES).
"""

from __future__ import annotations

import os
import random

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.support.market import Market, auth

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
ROLES = [("operator", "BJ"), ("broker", "BJ"), ("enterprise", "HE"), ("provider", "TJ")]


def errors_are_problems(ctx: object, response: schemathesis.Response,
                        case: schemathesis.Case) -> None:
    if response.status_code >= 400:
        value = response.headers.get("content-type", [""])
        value = value[0] if isinstance(value, list) else value
        assert value.startswith("application/problem+json"), (
            f"{case.method} {case.path} answered {response.status_code} with {value}")


CHECKS = [not_a_server_error, response_schema_conformance, errors_are_problems]


def _fuzz(operation: schemathesis.APIOperation, mode: GenerationMode) -> None:
    picker = random.Random(f"{operation.method} {operation.path} {mode}")

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        role, region = picker.choice(ROLES)
        case.call_and_validate(headers=auth(role, region), checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body has no invalid variant to generate.
        if mode is GenerationMode.POSITIVE:
            raise


@pytest.mark.parametrize("service", ["listings", "matching", "deals", "vouchers"])
def test_fuzz_service(market: Market, service: str) -> None:
    schema = schemathesis.openapi.from_url(f"{market.url(service)}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, f"{service} publishes no operations"
    for operation in operations:
        if operation.path == "/admin/replay":
            continue  # re-publishes the outbox: harmless but slow under fuzzing
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode)
