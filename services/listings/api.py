"""HTTP routes of the listings service: thin, they call one use case each (see routes/).

The application includes these routers directly: nesting them under one more router
costs FastAPI a second round of route matching on every request.
"""

from __future__ import annotations

from fastapi import APIRouter

from services.listings.routes import brokers, needs, offers, organizations

routers: list[APIRouter] = [organizations.router, brokers.router, offers.router, needs.router]
