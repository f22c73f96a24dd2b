"""The deals service application."""

from __future__ import annotations

from services.deals import handlers, routes
from services.deals.use_cases.listings_client import ListingsClient
from shared.app import ServiceSpec, create_app
from shared.events.listings import TOPIC as LISTINGS_TOPIC
from shared.runtime import ConsumerSpec, Runtime


async def connect_listings(runtime: Runtime) -> None:
    """One HTTP client for the read-through, kept for the life of the process."""
    runtime.state["listings"] = ListingsClient(runtime.settings)


SPEC = ServiceSpec(
    name="deals",
    description="Deal lifecycle, technology-contract registration and flow statistics.",
    routers=[routes.router],
    consumers=[ConsumerSpec([LISTINGS_TOPIC], handlers.LISTINGS_HANDLERS)],
    on_start=[connect_listings],
)
app = create_app(SPEC)
