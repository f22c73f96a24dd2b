"""The vouchers service application."""

from __future__ import annotations

from services.vouchers import handlers, jobs, routes
from services.vouchers.settings import get_vouchers_settings
from shared.app import ServiceSpec, create_app
from shared.events.deals import TOPIC as DEALS_TOPIC
from shared.events.listings import TOPIC as LISTINGS_TOPIC
from shared.runtime import ConsumerSpec, Job

SWEEP_SECONDS = get_vouchers_settings().vouchers_sweep_seconds

SPEC = ServiceSpec(
    name="vouchers",
    description="Innovation-voucher programs, reservations, redemptions and the ledger.",
    routers=[routes.router],
    # One consumer (one group) for both topics: the inbox key is (service, event id).
    consumers=[ConsumerSpec([LISTINGS_TOPIC, DEALS_TOPIC],
                            {**handlers.LISTINGS_HANDLERS, **handlers.DEALS_HANDLERS})],
    jobs=[Job("release-expired-reservations", SWEEP_SECONDS, jobs.release_expired_reservations),
          Job("expire-vouchers-at-use-by", SWEEP_SECONDS, jobs.expire_vouchers_at_use_by)],
)
app = create_app(SPEC)
