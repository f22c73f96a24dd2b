"""Reference model of the corporate income-tax relief on technology-transfer income.

Production never computes relief: whether it is granted is the tax office's call, and the
certificate only states the rule, as text (`cit_transfer_income_relief` in
services/deals/domain/tax_benefits.py: "the first 5 million RMB a year exempt, the part
above halved"). This pure model of that rule, never run by the service, is what the tests
check the certificate's statement against (企业所得税法实施条例 第九十条).
"""

from __future__ import annotations

from dataclasses import dataclass

# 5,000,000 RMB of a year's technology-transfer income is CIT-exempt; the part above is halved.
CIT_EXEMPT_LIMIT_FEN = 500_000_000


@dataclass(frozen=True)
class CitReliefEstimate:
    transfer_income_fen: int
    exempt_fen: int  # taxed at nothing
    halved_fen: int  # taxed at half the rate

    def tax_saved_fen(self, rate_bp: int = 2500) -> int:
        """Tax not paid at a CIT rate in basis points (2500 = the standard 25%), rounded down."""
        # Summing before dividing rounds once, so no fen goes missing to two roundings.
        return (2 * self.exempt_fen + self.halved_fen) * rate_bp // 20_000


def estimate_cit_relief(yearly_transfer_income_fen: int) -> CitReliefEstimate:
    """Split one tax year's technology-transfer income (所得: income less its costs, not the
    contract amount) into the exempt and the halved portions. No income, no relief.
    """
    income = yearly_transfer_income_fen
    if isinstance(income, bool) or not isinstance(income, int):
        raise TypeError("transfer income must be integer fen")
    taxable = max(income, 0)
    exempt = min(taxable, CIT_EXEMPT_LIMIT_FEN)
    return CitReliefEstimate(income, exempt, taxable - exempt)
