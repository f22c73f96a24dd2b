"""HTTP routes of the listings service: thin, they call one use case each (see routes/)."""

from __future__ import annotations

from fastapi import APIRouter

from services.listings.routes import brokers, needs, offers, organizations

routers: list[APIRouter] = [organizations.router, brokers.router, offers.router, needs.router]
