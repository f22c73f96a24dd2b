"""Vouchers: innovation-voucher programs and the double-entry ledger."""
