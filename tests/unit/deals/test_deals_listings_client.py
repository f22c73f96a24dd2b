"""The read-through client: what it makes of each answer of the listings API."""

import uuid

import httpx
import jwt
import pytest

from services.deals.use_cases.listings_client import ListingsClient
from shared.errors import Unavailable
from shared.settings import MarketSettings

SECRET = "unit-test-secret-unit-test-secret-unit"
OFFER_ID = uuid.uuid4()
OFFER = {"id": str(OFFER_ID), "owner_org_id": str(uuid.uuid4()), "title": "成果", "region": "BJ",
         "status": "published", "version": 3, "trl": 6, "keywords": []}


def _client(answer: httpx.Response | Exception, seen: list[httpx.Request]) -> ListingsClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(answer, Exception):
            raise answer
        return answer

    settings = MarketSettings(techmarket_jwt_secret=SECRET)
    return ListingsClient(settings, transport=httpx.MockTransport(handle))


async def test_a_listed_offer_is_read_with_a_service_token() -> None:
    seen: list[httpx.Request] = []
    offer = await _client(httpx.Response(200, json=OFFER), seen).offer(OFFER_ID)
    assert offer is not None and offer.status == "published" and offer.version == 3
    assert seen[0].url.path == f"/offers/{OFFER_ID}"
    claims = jwt.decode(seen[0].headers["authorization"].split()[1], SECRET,
                        algorithms=["HS256"], audience="techmarket")
    assert (claims["role"], claims["sub"]) == ("service", "deals")


async def test_an_unknown_listing_is_none() -> None:
    assert await _client(httpx.Response(404, json={}), []).need(uuid.uuid4()) is None


@pytest.mark.parametrize("answer", [
    httpx.Response(500, json={"title": "boom"}),
    httpx.Response(401, json={"title": "who are you"}),
    httpx.Response(200, content=b"<html>"),
    httpx.Response(200, json={**OFFER, "version": "three"}),
    httpx.ConnectError("refused"),
    httpx.ReadTimeout("slow"),
])
async def test_anything_else_is_unavailable(answer: httpx.Response | Exception) -> None:
    with pytest.raises(Unavailable) as raised:
        await _client(answer, []).offer(OFFER_ID)
    assert raised.value.status == 503 and raised.value.headers == {"Retry-After": "1"}
