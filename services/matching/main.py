"""The matching service application."""

from __future__ import annotations

from services.matching import routes
from services.matching.domain.market_index import MarketIndex
from services.matching.handlers.feed import ListingFeed
from services.matching.settings import get_matching_settings
from services.matching.use_cases import market_index
from services.matching.use_cases.replicas import FeedSlot, claim_slot
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
    market_index.count_indexed(index)
    runtime.state["index"] = index
    runtime.readiness["index"] = lambda: index.ready
    slots: list[FeedSlot] = []

    async def rebuild_then_follow() -> None:
        if not slots:
            slots.append(await claim_slot(runtime.settings.service_database_url("matching")))
            runtime.on_stop.append(slots[0].release)
        if not index.ready:
            await market_index.rebuild(runtime.database, index, settings.rebuild_page_size)
        group = slots[0].consumer_group(settings.consumer_group)
        await ListingFeed(runtime, index, settings, group).run()

    runtime.spawn("matching-index", rebuild_then_follow)


SPEC = ServiceSpec(
    name="matching",
    description="Ranks offers for needs and needs for offers across Beijing, Tianjin and Hebei.",
    routers=[routes.router],
    on_start=[start_index],
)
app = create_app(SPEC)
