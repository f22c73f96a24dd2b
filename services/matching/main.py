"""The matching service application."""

from __future__ import annotations

from services.matching import api
from services.matching.feed import ListingFeed
from services.matching.index import MarketIndex
from services.matching.replicas import FeedSlot, claim_slot
from services.matching.settings import get_matching_settings
from shared.app import ServiceSpec, create_app
from shared.runtime import Runtime


async def start_index(runtime: Runtime) -> None:
    """Rebuild the index from the read model in the background (/readyz answers 503 until
    it is done), then follow `listings.events` from where this replica's consumer group
    left off.

    The feed starts only after the rebuild, so a rebuilt row never overwrites a newer one
    the feed already applied; the supervisor re-runs a crashed feed without rebuilding.
    """
    settings = get_matching_settings()
    index = MarketIndex()
    runtime.state["index"] = index
    runtime.readiness["index"] = lambda: index.ready
    slots: list[FeedSlot] = []

    async def rebuild_then_follow() -> None:
        if not slots:
            slots.append(await claim_slot(runtime.settings.service_database_url("matching")))
            runtime.on_stop.append(slots[0].release)
        if not index.ready:
            await index.rebuild(runtime.sessionmaker, settings.rebuild_page_size)
        group = slots[0].consumer_group(settings.consumer_group)
        await ListingFeed(runtime, index, settings, group).run()

    runtime.spawn("matching-index", rebuild_then_follow)


SPEC = ServiceSpec(
    name="matching",
    description="Ranks offers for needs and needs for offers across Beijing, Tianjin and Hebei.",
    routers=[api.router],
    on_start=[start_index],
)
app = create_app(SPEC)
