"""Reading listings through its public HTTP API when our replica has not caught up.

The replica (kept from `listings.events`) answers almost every question; it lags the
listings database by the relay + consumer delay (normally milliseconds). A broker may open
a deal the moment a publish call returned, so when the replica does not know a listing, or
says it is not open, we ask listings itself. Everything read here is written to the replica
too, guarded by version so a late event never overwrites a newer read.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.auth import service_token
from shared.errors import Unavailable
from shared.settings import MarketSettings

TOKEN_TTL_SECONDS = 60


class Listed(BaseModel):
    model_config = ConfigDict(extra="ignore")


T = TypeVar("T", bound=Listed)


class ListedOrganization(Listed):
    id: uuid.UUID
    name: str
    credit_code: str
    region: str
    kind: str
    small_firm: bool


class ListedOffer(Listed):
    id: uuid.UUID
    owner_org_id: uuid.UUID
    title: str
    region: str
    status: str
    version: int


class ListedNeed(Listed):
    id: uuid.UUID
    buyer_org_id: uuid.UUID
    title: str
    region: str
    status: str
    version: int


class ListedBroker(Listed):
    id: uuid.UUID
    name: str
    certificate_no: str
    region: str
    agency_org_id: uuid.UUID
    represents: list[uuid.UUID] = Field(default_factory=list)
    version: int = 1


class ListingsClient:
    """GETs on the listings service with a short-lived `service` token."""

    def __init__(self, settings: MarketSettings, *, timeout_seconds: float = 3.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.http = httpx.AsyncClient(base_url=settings.service_url("listings"),
                                      timeout=timeout_seconds, transport=transport)

    async def organization(self, org_id: uuid.UUID) -> ListedOrganization | None:
        return await self._get(f"/organizations/{org_id}", ListedOrganization)

    async def offer(self, offer_id: uuid.UUID) -> ListedOffer | None:
        return await self._get(f"/offers/{offer_id}", ListedOffer)

    async def need(self, need_id: uuid.UUID) -> ListedNeed | None:
        return await self._get(f"/needs/{need_id}", ListedNeed)

    async def broker(self, broker_id: uuid.UUID) -> ListedBroker | None:
        return await self._get(f"/brokers/{broker_id}", ListedBroker)

    async def close(self) -> None:
        await self.http.aclose()

    async def _get(self, path: str, shape: type[T]) -> T | None:
        try:
            response = await self.http.get(path, headers=self._auth())
        except httpx.HTTPError as exc:
            raise _unavailable(f"listings did not answer ({type(exc).__name__})") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _unavailable(f"listings answered {response.status_code} for {path}")
        try:
            return shape.model_validate(_json(response))
        except ValidationError as exc:
            raise _unavailable(f"listings answered an unexpected {shape.__name__}") from exc

    def _auth(self) -> dict[str, str]:
        # A service has no region; listings' GETs accept any authenticated role.
        token = service_token("deals", ttl_seconds=TOKEN_TTL_SECONDS, settings=self.settings)
        return {"Authorization": f"Bearer {token}"}


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _unavailable(detail: str) -> Unavailable:
    return Unavailable(f"{detail}; the deal was not changed, retry shortly",
                       headers={"Retry-After": "1"})
