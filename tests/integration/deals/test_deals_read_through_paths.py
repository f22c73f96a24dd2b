"""Every read-through path, made certain: a second deals replica (same database and broker
as the market) talks to a scripted listings API that knows listings no event announced."""

from __future__ import annotations

import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import orjson
import pytest
import uvicorn
from starlette.types import Receive, Scope, Send

from techmarket.processes import free_port
from techmarket.stack import ServiceProcess
from tests.support.deals import (
    Parties,
    broker_event,
    new_parties,
    offer_event,
    produce,
    replicated,
)
from tests.support.market import TEST_JWT_SECRET, Market, auth


class ScriptedListings:
    """Answers GETs with what the test put in `answers` (path → status, body); 404 else."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, Any]] = {}
        self.tokens: list[str] = []
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(self, host="127.0.0.1", port=self.port,
                                                    lifespan="off", log_level="warning"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        self.tokens.append(headers.get(b"authorization", b"").decode())
        status, body = self.answers.get(scope["path"], (404, {"title": "Not found"}))
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": orjson.dumps(body)})

    def offer(self, owner: uuid.UUID, status: str = "published", region: str = "BJ") -> str:
        offer_id = str(uuid.uuid4())
        self.answers[f"/offers/{offer_id}"] = (200, {
            "id": offer_id, "owner_org_id": str(owner), "title": "石墨烯导热膜", "region": region,
            "status": status, "version": 2, "kind": "technology", "trl": 7})
        return offer_id

    def need(self, buyer: uuid.UUID, status: str = "published") -> str:
        need_id = str(uuid.uuid4())
        self.answers[f"/needs/{need_id}"] = (200, {
            "id": need_id, "buyer_org_id": str(buyer), "title": "手机散热方案", "region": "HE",
            "status": status, "version": 2})
        return need_id

    def broker(self, represents: list[uuid.UUID], version: int = 1,
               broker_id: uuid.UUID | None = None, agency: uuid.UUID | None = None) -> dict:
        broker = {"id": str(broker_id or uuid.uuid4()), "name": "赵经纪", "region": "BJ",
                  "certificate_no": "BJ-JSJJ-2024-0007", "version": version,
                  "agency_org_id": str(agency or uuid.uuid4()),
                  "represents": [str(o) for o in represents]}
        self.answers[f"/brokers/{broker['id']}"] = (200, broker)
        return auth("broker", "BJ", org=broker["agency_org_id"], sub=broker["id"])


@pytest.fixture(scope="module")
def scripted() -> Iterator[ScriptedListings]:
    listings = ScriptedListings()
    thread = threading.Thread(target=listings.server.run, daemon=True)
    thread.start()
    while not listings.server.started:
        time.sleep(0.02)
    yield listings
    listings.server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def replica(market: Market, scripted: ScriptedListings) -> Iterator[str]:
    """A second deals process of the market whose listings is the scripted one."""
    port = free_port()
    env = {**market.stack.service_env("deals"), "DEALS_PORT": str(port),
           "LISTINGS_URL": f"http://127.0.0.1:{scripted.port}"}
    run_dir = Path(tempfile.mkdtemp(prefix="deals-replica-"))
    process = ServiceProcess("deals", env, run_dir / "deals.log", run_dir)
    process.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process)
        yield url
    finally:
        process.stop()


def _wait_ready(url: str, process: ServiceProcess) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.proc is not None and process.proc.poll() is None, "replica died"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the second deals replica did not become ready")


async def _open(url: str, headers: dict[str, str], body: dict[str, Any]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        return await client.post("/deals", json=body, headers=headers)


@pytest.fixture
async def parties(market: Market) -> Parties:
    """Parties registered in the real listings: the replica must know them, since this
    module's deals replica reads through the scripted listings, which does not."""
    made = await new_parties(market)
    for org in (made.seller, made.buyer):
        await replicated(market, "organizations", org)
    return made


async def test_an_offer_and_need_unknown_to_the_replica_are_read_through(
        market: Market, scripted: ScriptedListings, replica: str, parties: Parties) -> None:
    offer_id, need_id = scripted.offer(parties.seller), scripted.need(parties.buyer)
    opened = await _open(replica, parties.broker.headers,
                         parties.deal(offer_id=offer_id, need_id=need_id))
    assert opened.status_code == 201, opened.text
    kept = await market.fetch("deals", "SELECT status, version FROM offers WHERE id=$1",
                              uuid.UUID(offer_id))
    assert [tuple(r) for r in kept] == [("published", 2)]
    assert await market.fetchval("deals", "SELECT status FROM needs WHERE id=$1",
                                 uuid.UUID(need_id)) == "published"
    claims = jwt.decode(scripted.tokens[-1].removeprefix("Bearer "), TEST_JWT_SECRET,
                        algorithms=["HS256"], audience="techmarket")
    assert claims["role"] == "service" and claims["exp"] - claims["iat"] <= 60


async def test_a_listing_the_replica_holds_as_not_open_is_asked_again(
        market: Market, scripted: ScriptedListings, replica: str, parties: Parties) -> None:
    """A terminated deal puts the offer back to published; its event may lag."""
    offer_id = scripted.offer(parties.seller)
    await produce(market, offer_event(parties.seller, offer_id=uuid.UUID(offer_id),
                                      status="in_deal", version=1))
    await replicated(market, "offers", uuid.UUID(offer_id))
    opened = await _open(replica, parties.broker.headers, parties.deal(offer_id=offer_id))
    assert opened.status_code == 201, opened.text


@pytest.mark.parametrize(("case", "status", "field"), [
    ("draft", 409, None),
    ("another owner", 422, "seller_org_id"),
    ("unknown", 422, "offer_id"),
])
async def test_offers_that_cannot_carry_a_deal(market: Market, scripted: ScriptedListings,
                                               replica: str, parties: Parties, case: str,
                                               status: int, field: str | None) -> None:
    offer_id = {"draft": lambda: scripted.offer(parties.seller, status="draft"),
                "another owner": lambda: scripted.offer(parties.buyer),
                "unknown": lambda: str(uuid.uuid4())}[case]()
    refused = await _open(replica, parties.broker.headers, parties.deal(offer_id=offer_id))
    assert refused.status_code == status, refused.text
    if field:
        assert refused.json()["errors"][0]["field"] == field
    else:
        assert "draft" in refused.json()["detail"]
    assert await market.fetchval("deals", "SELECT count(*) FROM deals WHERE offer_id=$1",
                                 uuid.UUID(offer_id)) == 0


async def test_a_need_of_another_buyer_is_422(scripted: ScriptedListings, replica: str,
                                              parties: Parties) -> None:
    need_id = scripted.need(parties.seller)
    refused = await _open(replica, parties.broker.headers, parties.deal(need_id=need_id))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "buyer_org_id"


async def test_brokers_and_organizations_are_read_through(
        market: Market, scripted: ScriptedListings, replica: str, parties: Parties) -> None:
    newcomer = uuid.uuid4()  # an organisation no event announced
    scripted.answers[f"/organizations/{newcomer}"] = (200, {
        "id": str(newcomer), "name": "天津新材料研究院", "credit_code": "12120000MB0000001X",
        "region": "TJ", "kind": "institute", "small_firm": False})
    headers = scripted.broker([newcomer, parties.buyer])
    opened = await _open(replica, headers, {**parties.deal(), "seller_org_id": str(newcomer)})
    assert opened.status_code == 201, opened.text
    assert opened.json()["seller_region"] == "TJ"
    await replicated(market, "organizations", newcomer)
    stranger = scripted.broker([uuid.uuid4()])
    assert (await _open(replica, stranger, parties.deal())).status_code == 403
    unknown = auth("broker", "BJ", sub=str(uuid.uuid4()))
    assert (await _open(replica, unknown, parties.deal())).status_code == 403
    nobody = await _open(replica, headers, {**parties.deal(), "seller_org_id": str(uuid.uuid4())})
    assert nobody.status_code == 422
    assert nobody.json()["errors"][0]["code"] == "unknown_organization"


async def test_a_broker_profile_that_grew_is_read_again(
        market: Market, scripted: ScriptedListings, replica: str, parties: Parties) -> None:
    old = broker_event([uuid.uuid4()], version=1)  # the replica: represents someone else
    await produce(market, old)
    await replicated(market, "brokers", uuid.UUID(old.broker_id))
    headers = scripted.broker([parties.buyer, parties.seller], version=2,
                              broker_id=uuid.UUID(old.broker_id),
                              agency=uuid.UUID(old.agency_org_id))
    opened = await _open(replica, headers, parties.deal())
    assert opened.status_code == 201, opened.text
    assert await market.fetchval("deals", "SELECT version FROM brokers WHERE id=$1",
                                 uuid.UUID(old.broker_id)) == 2


@pytest.mark.parametrize("answer", [(500, {"title": "boom"}), (200, {"unexpected": True})])
async def test_a_failing_listings_is_503_and_nothing_is_written(
        market: Market, scripted: ScriptedListings, replica: str, parties: Parties,
        answer: tuple[int, Any]) -> None:
    offer_id = str(uuid.uuid4())
    scripted.answers[f"/offers/{offer_id}"] = answer
    before = await market.fetchval("deals", "SELECT count(*) FROM outbox")
    refused = await _open(replica, parties.broker.headers, parties.deal(offer_id=offer_id))
    assert refused.status_code == 503
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.headers["retry-after"] == "1"
    assert await market.fetchval("deals", "SELECT count(*) FROM deals WHERE offer_id=$1",
                                 uuid.UUID(offer_id)) == 0
    assert await market.fetchval("deals", "SELECT count(*) FROM outbox") == before
