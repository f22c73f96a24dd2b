"""HTTP routes of the deals service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
