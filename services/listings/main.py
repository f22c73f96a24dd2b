"""The listings service application."""

from __future__ import annotations

from services.listings import handlers, jobs, routes
from services.listings.settings import get_listings_settings
from shared.app import ServiceSpec, create_app
from shared.events.deals import TOPIC as DEALS_TOPIC
from shared.runtime import ConsumerSpec, Job

SPEC = ServiceSpec(
    name="listings",
    description="Participants (organizations, brokers), technology offers and needs.",
    routers=routes.routers,
    consumers=[ConsumerSpec([DEALS_TOPIC], handlers.DEALS_HANDLERS)],
    jobs=[Job("expire-listings", get_listings_settings().expiry_every_seconds,
              jobs.expire_listings)],
)
app = create_app(SPEC)
