"""The matching service application."""

from __future__ import annotations

from services.matching import api
from shared.app import ServiceSpec, create_app

SPEC = ServiceSpec(
    name="matching",
    description="Ranks offers for needs and needs for offers across Beijing, Tianjin and Hebei.",
    routers=[api.router],
)
app = create_app(SPEC)
