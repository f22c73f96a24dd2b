"""Every query of the vouchers service, one module per kind of row.

The ledger and the market tables are created by hand-written migrations (0002, 0003) and
queried with SQL text here: the statements are the ones docs/ledger.md designs and checks.
"""

from services.vouchers.repository.organizations import organization_by_id, upsert_organization

__all__ = ["organization_by_id", "upsert_organization"]
