"""Lifecycle of offers and needs.

    draft ──publish──► published ──open_deal──► in_deal ──complete_deal──► transacted | fulfilled
      │                  │  ▲                      │
      │                  │  └────terminate_deal────┘
      └──withdraw/expire─┴──► withdrawn | expired

Only draft and published listings are "open": they can be withdrawn or expire. A listing in
a deal waits for the deal's outcome instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from shared.china_time import china_date


class ListingKind(StrEnum):
    OFFER = "offer"
    NEED = "need"


class ListingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    IN_DEAL = "in_deal"
    TRANSACTED = "transacted"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class ListingAction(StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"
    OPEN_DEAL = "open_deal"
    TERMINATE_DEAL = "terminate_deal"
    COMPLETE_DEAL = "complete_deal"


class TransitionNotAllowed(Exception):
    """The listing's current status does not allow the action (HTTP 409)."""

    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"cannot {action} a listing that is {current}")
        self.current = current
        self.action = action


OPEN_STATUSES = frozenset({ListingStatus.DRAFT, ListingStatus.PUBLISHED})
EDITABLE_STATUSES = OPEN_STATUSES
_DONE = {ListingKind.OFFER: ListingStatus.TRANSACTED, ListingKind.NEED: ListingStatus.FULFILLED}
_COMMON: dict[tuple[ListingStatus, ListingAction], ListingStatus] = {
    (ListingStatus.DRAFT, ListingAction.PUBLISH): ListingStatus.PUBLISHED,
    (ListingStatus.PUBLISHED, ListingAction.OPEN_DEAL): ListingStatus.IN_DEAL,
    (ListingStatus.IN_DEAL, ListingAction.TERMINATE_DEAL): ListingStatus.PUBLISHED,
    **{(s, ListingAction.WITHDRAW): ListingStatus.WITHDRAWN for s in OPEN_STATUSES},
    **{(s, ListingAction.EXPIRE): ListingStatus.EXPIRED for s in OPEN_STATUSES},
}
TERMINAL_STATUSES = frozenset(
    {ListingStatus.TRANSACTED, ListingStatus.FULFILLED}
    | {ListingStatus.WITHDRAWN, ListingStatus.EXPIRED}
)


def next_status(kind: str, current: str, action: str) -> ListingStatus:
    """The status after ``action``; raises TransitionNotAllowed when the status forbids it."""
    try:
        listing_kind = ListingKind(kind)
        status = ListingStatus(current)
        listing_action = ListingAction(action)
    except ValueError:
        raise TransitionNotAllowed(current, action) from None
    if (status, listing_action) == (ListingStatus.IN_DEAL, ListingAction.COMPLETE_DEAL):
        return _DONE[listing_kind]
    following = _COMMON.get((status, listing_action))
    if following is None:
        raise TransitionNotAllowed(current, action)
    return following


def is_editable(status: str) -> bool:
    return status in EDITABLE_STATUSES




def is_expired(until: date | datetime, now: datetime) -> bool:
    """Whether a listing valid until ``until`` (valid_until or deadline) has lapsed at ``now``.

    A date means "through that whole day in Beijing"; a datetime is an exact instant.
    ``now`` must be timezone-aware.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if isinstance(until, datetime):
        # The API speaks UTC, so an instant without a zone is a UTC instant.
        instant = until if until.tzinfo else until.replace(tzinfo=UTC)
        return now >= instant
    return china_date(now) > until
