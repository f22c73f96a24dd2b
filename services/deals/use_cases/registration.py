"""Submitting a signed contract for registration (认定登记), and the operator's review.

The rules are the pure `domain.assess`; this module gathers what they judge, records the
outcome and hands out the registration number in the same transaction, as its last
statement (repository.register).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import NoReturn

from services.deals import repository
from services.deals.domain import (
    ContractSnapshot,
    DealAction,
    Deduction,
    IpItem,
    Party,
    RegionBook,
    RegistrationFailure,
    action_for,
    assess,
    new_verification_code,
    review_action,
)
from services.deals.domain.regions import Region
from services.deals.repository import DealToRegister
from services.deals.repository.records import ContractRecord, DealRecord
from services.deals.schemas import DealOut, ReviewIn
from services.deals.use_cases import access, events, views
from services.deals.use_cases.lifecycle import check_allowed, move, now, registration_day
from services.deals.use_cases.listings_client import ListingsClient
from services.deals.use_cases.regions import REGIONS
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import Conflict, FieldError, Forbidden, NotFound, RecordedRefusal
from shared.events.deals import DealInExpertReview, DealRegistered, DealRegistrationRejected


async def submit(db: Db, who: Principal, deal_id: uuid.UUID,
                 listings: ListingsClient) -> DealOut:
    found = await _deal_to_register(db, deal_id, access.maybe_broker_id(who))
    deal = found.deal
    await access.confirmed_broker(db, listings, who, found.broker, deal.seller_org_id)
    check_allowed(deal, DealAction.REGISTER)
    contract = _contract_of(deal)
    at = now()
    book = await REGIONS.book(db, deal.seller_region, deal.buyer_region)
    assessment = assess(_snapshot(found, contract), registration_day(at), regions=book)
    action = action_for(assessment.outcome)
    if action is DealAction.REFUSE_REGISTRATION:
        await _refuse(db, deal, list(assessment.failures), at)
    if action is DealAction.REFER_TO_EXPERTS:
        move(deal, action, at)
        deal.rejection = None
        await repository.save(db, deal)
        await outbox.record(db, DealInExpertReview(**events.terms(deal, contract)))
    else:
        await _register(db, found, action, at, book)
    return views.deal_out(deal)


async def review(db: Db, who: Principal, deal_id: uuid.UUID,
                 body: ReviewIn) -> DealOut:
    found = await _deal_to_register(db, deal_id, None)
    deal = found.deal
    if who.region != deal.seller_region:
        raise Forbidden(f"only an operator of {deal.seller_region}, the seller's region, "
                        "reviews this contract")
    action = review_action(body.decision)
    check_allowed(deal, action)
    at = now()
    deal.review = {"decision": body.decision, "reason": body.reason, "operator": who.sub,
                   "decided_at": at.isoformat()}
    if action is DealAction.REJECT_REVIEW:
        await _reject_in_review(db, deal, body.reason, at)
    elif found.document_registered:
        raise Conflict("this written contract was registered by another deal meanwhile; "
                       "reject the review")
    else:
        book = await REGIONS.book(db, deal.seller_region, deal.buyer_region)
        await _register(db, found, action, at, book)
    return views.deal_out(deal)


async def _deal_to_register(db: Db, deal_id: uuid.UUID,
                            broker_id: uuid.UUID | None) -> DealToRegister:
    """The deal, locked, with the parties' names, whether its document is registered and
    the acting broker's profile (None for an operator), in one statement."""
    found = await repository.deal_to_register(db, deal_id, broker_id)
    if found is None:
        raise NotFound(f"deal {deal_id} not found")
    return found


async def _reject_in_review(db: Db, deal: DealRecord, reason: str | None,
                            at: datetime) -> None:
    move(deal, DealAction.REJECT_REVIEW, at)
    errors = [{"field": "review", "code": "rejected_in_review",
               "message": reason or "the expert review rejected the contract"}]
    deal.rejection = {"errors": errors, "rejected_at": at.isoformat()}
    await repository.save(db, deal)
    await outbox.record(db, DealRegistrationRejected(deal_id=str(deal.id), errors=errors,
                                                     rejected_at=at))


async def _register(db: Db, found: DealToRegister, action: DealAction,
                    at: datetime, book: RegionBook) -> None:
    """Every check has passed: write the deal, number and registration in one statement,
    then the event. The region's counter row is locked from that statement to the commit,
    so nothing that can be done before it is done after it."""
    deal, contract = found.deal, _contract_of(found.deal)
    move(deal, action, at)
    deal.rejection = None
    registry = _registry_of(book, deal.seller_region)
    certificate = repository.Certificate(
        region_code=registry.code, registered_on=registration_day(at),
        seller_name=found.seller_name or "", buyer_name=found.buyer_name or "",
        verification_code=new_verification_code())
    try:
        deal.registration = await repository.register(db, deal, certificate)
    except repository.NumbersExhausted as exc:
        raise Conflict(f"the {registry.short} registry has no numbers left for "
                       f"{certificate.registered_on.year}") from exc
    except repository.DocumentRegistered as exc:
        # Another deal registered the same written contract an instant ago; everything
        # here rolls back, the counter included: no gap.
        raise Conflict("this written contract was registered by another deal meanwhile; "
                       "submit again to see the reasons") from exc
    await outbox.record(db, DealRegistered(
        **events.terms(deal, contract), registration_no=deal.registration.registration_no,
        registered_on=certificate.registered_on))


async def _refuse(db: Db, deal: DealRecord,
                  failures: list[RegistrationFailure], at: datetime) -> NoReturn:
    """Keep the reasons on the deal (it stays signed), tell the market, answer 422."""
    errors = [failure.as_error() for failure in failures]
    move(deal, DealAction.REFUSE_REGISTRATION, at)
    deal.rejection = {"errors": errors, "rejected_at": at.isoformat()}
    await repository.save(db, deal)
    await outbox.record(db, DealRegistrationRejected(deal_id=str(deal.id), errors=errors,
                                                     rejected_at=at))
    codes = ", ".join(sorted({str(f.code) for f in failures}))
    raise RecordedRefusal(
        f"the contract cannot be registered ({codes}); amend it and submit again",
        [FieldError(f.field, f.message, str(f.code)) for f in failures])


def _contract_of(deal: DealRecord) -> ContractRecord:
    if deal.contract is None:  # a signed deal always has one; the schema guarantees it
        raise Conflict(f"deal {deal.id} has no contract")
    return deal.contract


def _registry_of(book: RegionBook, short_code: str) -> Region:
    region = book.find(short_code)
    if region is None:  # deals store regions from the region table, so this is a bug
        raise Conflict(f"region {short_code} is not in the region table")
    return region


def _snapshot(found: DealToRegister, contract: ContractRecord) -> ContractSnapshot:
    deal = found.deal
    return ContractSnapshot(
        seller=_party(deal.seller_org_id, found.seller_name, deal.seller_region),
        buyer=_party(deal.buyer_org_id, found.buyer_name, deal.buyer_region),
        contract_type=contract.type, signed_on=contract.signed_on,
        valid_from=contract.valid_from, valid_until=contract.valid_until,
        total_fen=contract.total_fen,
        deductions=tuple(Deduction(d["item"], d["kind"], d["amount_fen"])
                         for d in contract.deductions),
        ip_items=tuple(IpItem(i["kind"], i["number"]) for i in contract.ip),
        document_sha256=contract.document_sha256, subject=contract.subject,
        acceptance_criteria=contract.acceptance_criteria,
        already_registered=found.document_registered)


def _party(org_id: uuid.UUID, name: str | None, region: str) -> Party | None:
    return Party(str(org_id), name, region) if name is not None else None
