"""The listings service application."""

from __future__ import annotations

from services.listings import api
from shared.app import ServiceSpec, create_app

SPEC = ServiceSpec(
    name="listings",
    description="Participants (organisations, brokers), technology offers and needs.",
    routers=[api.router],
)
app = create_app(SPEC)
