"""Every list endpoint of every service reads `?cursor=` through the one decoder
(shared.pagination.page_params), and answers a malformed cursor of any shape with a 422
problem document naming the cursor, never a 500."""

from __future__ import annotations

import base64
import importlib
import uuid

import orjson
import pytest
from fastapi.routing import APIRoute

from shared.pagination import page_params
from shared.settings import SERVICES
from tests.support.market import Market, auth


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HOSTILE = {
    "not base64": "%%%!!",
    "base64 of non-JSON": _b64(b"not json at all"),
    "base64 of bytes": _b64(b"\xff\xfe\xfd\x00"),
    "JSON of the wrong shape": _b64(orjson.dumps({"created_at": 1, "id": 2})),
    "a pair of numbers": _b64(orjson.dumps([1, 2])),
    "a time without zone": _b64(orjson.dumps(["2026-12-05T08:30:00", str(uuid.uuid4())])),
    "an out-of-range time": _b64(orjson.dumps(["0001-01-01T00:00:00+23:59",
                                               str(uuid.uuid4())])),
    "not a uuid": _b64(orjson.dumps(["2026-12-05T08:30:00+00:00", "x"])),
    "huge": "A" * 5_000,
    "non-ASCII": "不是游标",
    "NUL": "\x00abc",
}

PROGRAM = uuid.uuid4()
# Every list endpoint (its route path) and a caller allowed to list it.
LISTS = {
    "listings": {"/organizations": auth("broker"), "/offers": auth("broker"),
                 "/needs": auth("broker"), "/brokers": auth("broker")},
    "matching": {},
    "deals": {"/deals": auth("operator", "BJ")},
    "vouchers": {"/vouchers": auth("operator", "HE"),
                 "/programs/{program_id}/transfers": auth("operator", "HE"),
                 "/settlements": auth("operator", "HE")},
}


def _list_routes(service: str) -> dict[str, APIRoute]:
    """The service's GET routes that answer a page (`items` and `next_cursor`)."""
    spec = importlib.import_module(f"services.{service}.main").SPEC
    routes = [r for router in spec.routers for r in router.routes if isinstance(r, APIRoute)]
    return {r.path: r for r in routes if "GET" in r.methods and r.response_model is not None
            and "next_cursor" in getattr(r.response_model, "model_fields", {})}


@pytest.mark.parametrize("service", SERVICES)
def test_every_list_endpoint_pages_through_the_one_decoder(service: str) -> None:
    routes = _list_routes(service)
    assert set(routes) == set(LISTS[service])
    for path, route in routes.items():
        calls = {d.call for d in route.dependant.dependencies}
        assert page_params in calls, f"{service} {path} reads its cursor by itself"


@pytest.mark.parametrize("shape", HOSTILE)
async def test_a_malformed_cursor_is_a_422_on_every_list(market: Market, shape: str) -> None:
    for service, lists in LISTS.items():
        async with market.client(service) as client:
            for path, headers in lists.items():
                url = path.format(program_id=PROGRAM)
                answer = await client.get(url, params={"cursor": HOSTILE[shape]},
                                          headers=headers)
                where = (service, path, shape)
                assert answer.status_code == 422, (where, answer.text)
                assert answer.headers["content-type"] == "application/problem+json", where
                assert [e["field"] for e in answer.json()["errors"]] == ["cursor"], where
