"""HTTP routes of the vouchers service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
