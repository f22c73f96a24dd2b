"""HTTP routes of the listings service, one module per resource: thin, each calls one use
case in a unit of work (`shared.transaction.Tx`). `routers` is what the app serves."""

from __future__ import annotations

from fastapi import APIRouter

from services.listings.routes import brokers, needs, offers, organizations

routers: list[APIRouter] = [organizations.router, brokers.router, offers.router, needs.router]
