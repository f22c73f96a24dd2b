"""The deals service application."""

from __future__ import annotations

from services.deals import api, handlers
from shared.app import ServiceSpec, create_app
from shared.events.listings import TOPIC as LISTINGS_TOPIC
from shared.runtime import ConsumerSpec

SPEC = ServiceSpec(
    name="deals",
    description="Deal lifecycle, technology-contract registration and flow statistics.",
    routers=[api.router],
    consumers=[ConsumerSpec([LISTINGS_TOPIC], handlers.LISTINGS_HANDLERS)],
)
app = create_app(SPEC)
