"""How offers and needs move through their lives."""

from datetime import UTC, date, datetime

import pytest

from services.listings.domain.lifecycle import (
    TransitionNotAllowed,
    is_editable,
    is_expired,
    next_status,
)


def walk(kind: str, *actions: str) -> str:
    status = "draft"
    for action in actions:
        status = next_status(kind, status, action)
    return status


def test_an_offer_is_transacted_and_a_need_fulfilled_when_the_deal_completes() -> None:
    assert walk("offer", "publish", "open_deal", "complete_deal") == "transacted"
    assert walk("need", "publish", "open_deal", "complete_deal") == "fulfilled"


def test_a_terminated_deal_puts_the_listing_back_on_the_market() -> None:
    assert walk("offer", "publish", "open_deal", "terminate_deal") == "published"
    assert walk("need", "publish", "open_deal", "terminate_deal", "open_deal") == "in_deal"


@pytest.mark.parametrize("kind", ["offer", "need"])
@pytest.mark.parametrize("opening", [(), ("publish",)])
@pytest.mark.parametrize(("action", "end"), [("withdraw", "withdrawn"), ("expire", "expired")])
def test_open_listings_can_be_withdrawn_or_expire(
    kind: str, opening: tuple[str, ...], action: str, end: str
) -> None:
    assert walk(kind, *opening, action) == end


@pytest.mark.parametrize(
    ("kind", "current", "action"),
    [
        ("offer", "draft", "open_deal"),  # a deal needs a published listing
        ("offer", "published", "publish"),
        ("offer", "in_deal", "withdraw"),  # the deal decides
        ("need", "in_deal", "expire"),
        ("offer", "published", "complete_deal"),
        ("offer", "transacted", "terminate_deal"),
        ("need", "fulfilled", "publish"),
        ("offer", "withdrawn", "publish"),
        ("need", "expired", "withdraw"),
        ("offer", "fulfilled", "publish"),  # not an offer status
        ("offer", "draft", "approve"),  # not an action
        ("contract", "draft", "publish"),  # not a listing kind
    ],
)
def test_forbidden_transitions_raise_with_the_current_status(
    kind: str, current: str, action: str
) -> None:
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status(kind, current, action)
    assert caught.value.current == current
    assert caught.value.action == action
    assert current in str(caught.value)


def test_only_open_listings_are_editable() -> None:
    assert is_editable("draft") and is_editable("published")
    assert not any(is_editable(s) for s in ("in_deal", "transacted", "withdrawn", "expired"))


def test_a_valid_until_date_lasts_through_that_day_in_beijing() -> None:
    until = date(2025, 6, 30)
    last_second = datetime(2025, 6, 30, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Beijing
    assert not is_expired(until, last_second)
    assert is_expired(until, datetime(2025, 6, 30, 16, 0, tzinfo=UTC))


def test_a_deadline_instant_is_exact() -> None:
    deadline = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
    assert not is_expired(deadline, datetime(2025, 6, 30, 11, 59, tzinfo=UTC))
    assert is_expired(deadline, datetime(2025, 6, 30, 12, 0, tzinfo=UTC))
    assert is_expired(datetime(2025, 6, 30, 12, 0), datetime(2025, 6, 30, 12, 0, tzinfo=UTC))


def test_now_must_carry_a_time_zone() -> None:
    with pytest.raises(ValueError):
        is_expired(date(2025, 6, 30), datetime(2025, 6, 30, 12, 0))
