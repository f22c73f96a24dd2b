"""Delivery audit: every published event reached every service that consumes its type,
and none was applied twice (the inbox's primary key makes a second application impossible;
this checks the first one happened)."""

from __future__ import annotations

from tests.support.market import Market, eventually

SERVICES = ("listings", "matching", "deals", "vouchers")


async def _missing(market: Market) -> list[str]:
    missing: list[str] = []
    handled: dict[str, set[str]] = {}
    for consumer in SERVICES:
        rows = await market.fetch(consumer, "SELECT DISTINCT type FROM inbox")
        handled[consumer] = {r["type"] for r in rows}
    for producer in SERVICES:
        events = await market.fetch(producer, "SELECT event_id, type FROM outbox")
        for consumer in SERVICES:
            if consumer == producer:
                continue
            wanted = [e["event_id"] for e in events if e["type"] in handled[consumer]]
            if not wanted:
                continue
            got = await market.fetch(consumer, "SELECT event_id FROM inbox WHERE consumer=$1 "
                                     "AND event_id = ANY($2::uuid[])", consumer, wanted)
            lost = len(wanted) - len(got)
            if lost:
                missing.append(f"{lost} events of {producer} not applied by {consumer}")
    return missing


async def audit_delivery(market: Market, timeout: float = 120) -> None:
    async def complete() -> bool:
        return not await _missing(market)

    try:
        await eventually(complete, timeout=timeout, interval=1.0)
    except AssertionError as exc:
        raise AssertionError(f"events lost: {await _missing(market)}") from exc
