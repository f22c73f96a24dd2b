"""The vouchers service application."""

from __future__ import annotations

from services.vouchers import api, handlers
from shared.app import ServiceSpec, create_app
from shared.events.listings import TOPIC as LISTINGS_TOPIC
from shared.runtime import ConsumerSpec

SPEC = ServiceSpec(
    name="vouchers",
    description="Innovation-voucher programs, reservations, redemptions and the ledger.",
    routers=[api.router],
    consumers=[ConsumerSpec([LISTINGS_TOPIC], handlers.LISTINGS_HANDLERS)],
)
app = create_app(SPEC)
