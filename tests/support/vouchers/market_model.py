"""The reference model of the voucher market for the property test: the pure domain's
in-memory Ledger, movements and rules, fed the same ids the running service chose.

Every operation is done twice: against the service (HTTP, or deal events on Kafka) and in
the model, which says what the answer must be and what every balance must then be.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from services.vouchers.domain import (
    ResultCode,
    Transfer,
    TransferCode,
    VoucherRef,
    layout,
    program_balances,
    settlement,
    spendable,
    voucher_balances,
)
from services.vouchers.domain import movements as move
from services.vouchers.domain.terms import Deal, DealStatus, ProgramTerms
from tests.support.vouchers.reference_invariants import invariants
from tests.support.vouchers.reference_ledger import Ledger, total
from tests.support.vouchers.world import DealFacts, VouchersWorld, operator

REGION = "HE"


@dataclass
class Program:
    id: uuid.UUID
    terms: ProgramTerms
    issued_to_enterprise: int = 0


@dataclass
class Voucher:
    ref: VoucherRef
    program: Program
    swept: bool = False


@dataclass
class Reservation:
    id: uuid.UUID
    voucher: Voucher
    deal: DealFacts
    hold: Transfer
    status: str = "pending"
    redeemed: int = 0
    body: dict[str, Any] = field(default_factory=dict)


def program_terms(body: dict[str, Any]) -> ProgramTerms:
    return ProgramTerms(
        issuer_region=body["issuer_region"], name=body["name"], year=body["year"],
        budget_fen=body["budget_fen"], max_share_bp=body["max_share_bp"],
        cap_per_enterprise_fen=body["cap_per_enterprise_fen"],
        eligible_contract_types=tuple(body["eligible_contract_types"]),
        recognized_regions=tuple(body["recognized_regions"]), provider_catalog=None,
        use_by=datetime.fromisoformat(body["use_by"]),
        redeem_by=datetime.fromisoformat(body["redeem_by"]))


class MarketModel:
    def __init__(self, world: VouchersWorld, client: httpx.AsyncClient) -> None:
        self.world, self.client = world, client
        self.ledger = Ledger()
        self.programs: list[Program] = []
        self.vouchers: list[Voucher] = []
        self.reservations: list[Reservation] = []
        self.deals: dict[uuid.UUID, tuple[DealFacts, DealStatus]] = {}
        self.providers: dict[uuid.UUID, str] = {}
        self.enterprise = uuid.uuid4()
        self.ledger.create_account(layout.treasury_account(REGION))

    # -- the model's own bookkeeping ------------------------------------------------------

    def apply(self, transfer: Transfer) -> None:
        result = self.ledger.create_transfer(transfer, datetime.now(UTC))
        assert result.code == ResultCode.OK, (result, transfer)

    def voucher_account(self, voucher: Voucher) -> Any:
        return self.ledger.account(layout.voucher_account_id(voucher.ref.voucher_id))

    def committed(self, program: Program, deal_id: uuid.UUID) -> int:
        return sum(r.hold.amount if r.status == "pending" else r.redeemed
                   for r in self.reservations
                   if r.voucher.program is program and r.deal.deal_id == deal_id)

    def domain_deal(self, deal_id: uuid.UUID) -> Deal | None:
        if deal_id not in self.deals:
            return None
        facts, status = self.deals[deal_id]
        return Deal(deal_id, status, facts.contract_type, facts.tech_amount_fen,
                    facts.seller_org_id, facts.buyer_org_id)

    def sweep_if_due(self, now: datetime) -> None:
        """The use-by sweep, as the service's sweeper will have done (or will do soon)."""
        for voucher in self.vouchers:
            if not voucher.swept and now >= voucher.program.terms.use_by:
                left = spendable(self.voucher_account(voucher))
                if left:
                    self.apply(move.voucher_expiry(voucher.ref, left))
                voucher.swept = True

    def hand_back(self, reservation: Reservation, amount_fen: int, now: datetime) -> None:
        """Money back on a voucher after use-by goes on to its budget."""
        if amount_fen and (reservation.voucher.swept
                           or now >= reservation.voucher.program.terms.use_by):
            self.apply(move.voucher_expiry(reservation.voucher.ref, amount_fen,
                                           reservation.id))

    async def clear_of_use_by(self, program: Program) -> datetime:
        """Wait out the instant around use-by where the service and the model could each
        read the clock on another side of it."""
        use_by = program.terms.use_by
        now = datetime.now(UTC)
        if use_by - timedelta(seconds=0.5) < now < use_by + timedelta(seconds=0.3):
            await asyncio.sleep((use_by + timedelta(seconds=0.3) - now).total_seconds())
            now = datetime.now(UTC)
        self.sweep_if_due(now)
        return now

    # -- what the service must show -------------------------------------------------------

    async def differences(self) -> list[str]:
        found = [f"model invariant: {v}" for v in invariants(self.ledger)]
        for voucher in self.vouchers:
            found += await self._voucher_differs(voucher)
        for program in self.programs:
            found += await self._program_differs(program)
        for provider in self.providers:
            found += await self._settlement_differs(provider)
        for reservation in self.reservations:
            seen = await self.client.get(f"/reservations/{reservation.id}",
                                         headers=operator(REGION))
            got = (seen.json()["status"], seen.json()["redeemed_fen"])
            if got != (reservation.status, reservation.redeemed):
                found.append(f"reservation {reservation.id}: {got} != "
                             f"{(reservation.status, reservation.redeemed)}")
        return found

    async def _voucher_differs(self, voucher: Voucher) -> list[str]:
        expired = total(self.ledger.transfers(), TransferCode.VOUCHER_EXPIRY,
                        voucher_id=voucher.ref.voucher_id)
        want = voucher_balances(self.voucher_account(voucher), expired)
        got = (await self.client.get(f"/vouchers/{voucher.ref.voucher_id}",
                                     headers=operator(REGION))).json()
        names = ("available_fen", "reserved_fen", "redeemed_fen", "expired_fen")
        if tuple(got[n] for n in names) != tuple(getattr(want, n) for n in names):
            return [f"voucher {voucher.ref.voucher_id}: {got} != {want}"]
        return []

    async def _program_differs(self, program: Program) -> list[str]:
        budget = self.ledger.account(layout.budget_account_id(program.id))
        redeemed = total(self.ledger.transfers(), TransferCode.REDEMPTION,
                         program_id=program.id)
        want = program_balances(budget, redeemed)
        got = (await self.client.get(f"/programs/{program.id}",
                                     headers=operator(REGION))).json()
        names = ("available_fen", "issued_fen", "redeemed_fen")
        if tuple(got[n] for n in names) != tuple(getattr(want, n) for n in names):
            return [f"program {program.id}: {got} != {want}"]
        return []

    async def _settlement_differs(self, provider: uuid.UUID) -> list[str]:
        payable = self.ledger.account(layout.payable_account_id(REGION, provider))
        if payable is None:
            return []
        want = settlement(payable)
        items = (await self.client.get("/settlements", headers=operator(REGION), params={
            "provider_org_id": str(provider), "issuer_region": REGION})).json()["items"]
        got = [(i["owed_fen"], i["paid_fen"], i["reserved_fen"]) for i in items]
        expected = [(want.owed_fen, want.paid_fen, want.reserved_fen)] if want.owed_fen else []
        return [] if got == expected else [f"settlement {provider}: {got} != {expected}"]

    async def transfers_differ(self, program: Program) -> list[str]:
        """The program's transfers on the service are exactly the model's."""
        got, cursor = set(), None
        while True:
            params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = (await self.client.get(f"/programs/{program.id}/transfers", params=params,
                                          headers=operator(REGION))).json()
            got |= {(uuid.UUID(t["id"]), t["amount_fen"], t["code"]) for t in page["items"]}
            cursor = page["next_cursor"]
            if cursor is None:
                break
        want = {(t.id, t.amount, int(t.code)) for t in self.ledger.transfers()
                if t.user_data.program_id == program.id}
        return [] if got == want else [f"transfers of {program.id}: only on the service "
                                       f"{got - want}, only in the model {want - got}"]

    async def settle_down(self, timeout: float = 10) -> None:
        """Until the service shows what the model says (events and sweeps are async)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            self.sweep_if_due(datetime.now(UTC))
            found = await self.differences()
            if not found:
                return
            assert asyncio.get_running_loop().time() < deadline, "\n".join(found)
            await asyncio.sleep(0.1)
