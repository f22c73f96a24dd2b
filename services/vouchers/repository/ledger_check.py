"""GET /ledger/check: every invariant of the ledger (docs/ledger.md), in SQL, for the whole
ledger or for one issuing region's part of it.

The first six parts are the query of docs/ledger.md §9 (the ledger's own invariants); the
rest check that the market's tables agree with the money (reservations, vouchers, programs,
the per-contract share and the per-enterprise cap). Every row is one violation, with the
issuing region it concerns: an account's region, a transfer's debit account's region, a
program's, voucher's or reservation's issuer region. Every transfer moves money between
accounts of one issuing region (domain/layout.py), so debits equal credits region by region.
A violation whose region cannot be told (a transfer to an account that does not exist, with
no region of its own) is reported to the whole-ledger check only. It runs in a read unit
(REPEATABLE READ READ ONLY, shared.db) so that every part sees the same instant.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.db import Db

EXPECTED = """
    WITH effects (account_id, dp, dpo, cp, cpo, region) AS (
        -- single-phase and pending transfers add to one side of each account
        SELECT debit_account_id, CASE WHEN flags = 2 THEN amount ELSE 0 END,
               CASE WHEN flags = 0 THEN amount ELSE 0 END, 0::bigint, 0::bigint, region
          FROM ledger_transfers WHERE flags IN (0, 2)
        UNION ALL
        SELECT credit_account_id, 0, 0, CASE WHEN flags = 2 THEN amount ELSE 0 END,
               CASE WHEN flags = 0 THEN amount ELSE 0 END, region
          FROM ledger_transfers WHERE flags IN (0, 2)
        UNION ALL
        -- a resolution releases the whole hold from the pending transfer's accounts ...
        SELECT p.debit_account_id, -p.amount, 0, 0, 0, p.region
          FROM ledger_transfers r JOIN ledger_transfers p ON p.id = r.pending_id
        UNION ALL
        SELECT p.credit_account_id, 0, 0, -p.amount, 0, p.region
          FROM ledger_transfers r JOIN ledger_transfers p ON p.id = r.pending_id
        UNION ALL
        -- ... and a post books what was really used
        SELECT debit_account_id, 0, amount, 0, 0, region FROM ledger_transfers WHERE flags = 4
        UNION ALL
        SELECT credit_account_id, 0, 0, 0, amount, region FROM ledger_transfers WHERE flags = 4
    ),
    expected AS (
        SELECT account_id, sum(dp) AS dp, sum(dpo) AS dpo, sum(cp) AS cp, sum(cpo) AS cpo,
               max(region) AS region
          FROM effects GROUP BY account_id
    )"""

LEDGER_CHECK = """
    SELECT 'debits_equal_credits' AS invariant, coalesce(region, '') AS subject,
           format('debits %s/%s, credits %s/%s (pending/posted)', dp, dpo, cp, cpo) AS detail,
           region
      FROM (SELECT region, sum(debits_pending) AS dp, sum(debits_posted) AS dpo,
                   sum(credits_pending) AS cp, sum(credits_posted) AS cpo
              FROM ledger_accounts GROUP BY region) AS totals
     WHERE dp <> cp OR dpo <> cpo
    UNION ALL
    SELECT 'no_negative_balance', id::text, 'a counter is below zero', region
      FROM ledger_accounts
     WHERE least(debits_pending, debits_posted, credits_pending, credits_posted) < 0
    UNION ALL
    SELECT 'no_overdraft', id::text, format('flags %s broken, pending included', flags), region
      FROM ledger_accounts
     WHERE (flags & 2 <> 0 AND debits_pending + debits_posted > credits_posted)
        OR (flags & 4 <> 0 AND credits_pending + credits_posted > debits_posted)
    UNION ALL
    SELECT 'resolved_at_most_once', t.pending_id::text, format('resolved %s times', count(*)),
           min(a.region)
      FROM ledger_transfers t LEFT JOIN ledger_accounts a ON a.id = t.debit_account_id
     WHERE t.pending_id IS NOT NULL
     GROUP BY t.pending_id HAVING count(*) > 1
    UNION ALL
    SELECT 'resolution_matches_pending', r.id::text, format('resolves %s wrongly', r.pending_id),
           a.region
      FROM ledger_transfers r LEFT JOIN ledger_transfers p ON p.id = r.pending_id
      LEFT JOIN ledger_accounts a ON a.id = r.debit_account_id
     WHERE r.pending_id IS NOT NULL
       AND (p.id IS NULL OR p.flags <> 2
            OR (r.debit_account_id, r.credit_account_id)
               <> (p.debit_account_id, p.credit_account_id)
            OR r.amount > p.amount
            OR (r.flags = 8 AND r.amount <> p.amount)
            OR (r.flags = 4 AND p.timeout > 0
                AND r.created_at >= p.created_at + make_interval(secs => p.timeout)))
    UNION ALL
    SELECT 'balance_equals_transfers', coalesce(a.id, e.account_id)::text,
           format('counters %s/%s/%s/%s, transfers say %s/%s/%s/%s',
                  a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted,
                  coalesce(e.dp, 0), coalesce(e.dpo, 0), coalesce(e.cp, 0), coalesce(e.cpo, 0)),
           coalesce(a.region, e.region)
      FROM ledger_accounts a FULL JOIN expected e ON e.account_id = a.id
     WHERE a.id IS NULL
        OR (a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted)
           <> (coalesce(e.dp, 0), coalesce(e.dpo, 0), coalesce(e.cp, 0), coalesce(e.cpo, 0))
"""

MARKET_CHECK = """
    UNION ALL
    -- A reservation's status is its hold's resolution: pending = none, redeemed = a post of
    -- exactly redeemed_fen, released = a void.
    SELECT 'reservation_matches_ledger', r.id::text,
           format('%s (redeemed %s), ledger: hold %s, resolution flags %s amount %s', r.status,
                  r.redeemed_fen, h.amount, t.flags, t.amount), r.issuer_region
      FROM reservations r
      JOIN ledger_transfers h ON h.id = r.hold_transfer_id
      LEFT JOIN ledger_transfers t ON t.pending_id = r.hold_transfer_id AND t.flags IN (4, 8)
     WHERE h.amount <> r.amount_fen
        OR (r.status = 'pending' AND t.id IS NOT NULL)
        OR (r.status = 'redeemed' AND (t.flags IS DISTINCT FROM 4 OR t.amount <> r.redeemed_fen))
        OR (r.status = 'released' AND t.flags IS DISTINCT FROM 8)
    UNION ALL
    -- No money is held for nothing: every hold is a reservation's.
    SELECT 'hold_has_reservation', h.id::text, 'a pending transfer without its reservation',
           a.region
      FROM ledger_transfers h LEFT JOIN reservations r ON r.hold_transfer_id = h.id
      LEFT JOIN ledger_accounts a ON a.id = h.debit_account_id
     WHERE h.code = 3 AND r.id IS NULL
    UNION ALL
    SELECT 'voucher_matches_issue', v.id::text,
           format('voucher of %s fen, issue transfer of %s fen', v.amount_fen, t.amount),
           v.issuer_region
      FROM vouchers v JOIN ledger_transfers t ON t.id = v.issue_transfer_id
     WHERE t.amount <> v.amount_fen OR t.credit_account_id <> v.account_id
    UNION ALL
    SELECT 'program_funded', p.id::text,
           format('budget %s fen, funding transfer %s', p.budget_fen, t.amount), p.issuer_region
      FROM programs p LEFT JOIN ledger_transfers t ON t.program_id = p.id AND t.code = 1
     WHERE t.amount IS DISTINCT FROM p.budget_fen
    UNION ALL
    -- What a program pays towards one contract = held + redeemed, never above its share.
    SELECT 'deal_share_counted', coalesce(s.program_id, c.program_id)::text || '/'
               || coalesce(s.deal_id, c.deal_id)::text,
           format('counted %s of at most %s, reservations say %s', s.committed_fen, s.max_fen,
                  c.committed), p.issuer_region
      FROM deal_shares s
      FULL JOIN (SELECT program_id, deal_id,
                        sum(CASE status WHEN 'pending' THEN amount_fen
                                        WHEN 'redeemed' THEN redeemed_fen ELSE 0 END) AS committed
                   FROM reservations GROUP BY program_id, deal_id) c
        ON (c.program_id, c.deal_id) = (s.program_id, s.deal_id)
      LEFT JOIN programs p ON p.id = coalesce(s.program_id, c.program_id)
     WHERE s.committed_fen IS DISTINCT FROM c.committed OR s.committed_fen > s.max_fen
    UNION ALL
    -- What an enterprise received from a program = its vouchers, never above the cap.
    SELECT 'enterprise_within_cap', coalesce(a.program_id, i.program_id)::text || '/'
               || coalesce(a.enterprise_org_id, i.enterprise_org_id)::text,
           format('counted %s of at most %s, vouchers say %s', a.issued_fen, a.cap_fen, i.issued),
           p.issuer_region
      FROM enterprise_allowances a
      FULL JOIN (SELECT program_id, enterprise_org_id, sum(amount_fen) AS issued
                   FROM vouchers GROUP BY program_id, enterprise_org_id) i
        ON (i.program_id, i.enterprise_org_id) = (a.program_id, a.enterprise_org_id)
      LEFT JOIN programs p ON p.id = coalesce(a.program_id, i.program_id)
     WHERE a.issued_fen IS DISTINCT FROM i.issued OR a.issued_fen > a.cap_fen
"""

# $1: the issuing region whose part is checked; NULL checks the whole ledger.
CHECK = f"""{EXPECTED}
    SELECT invariant, subject, detail FROM ({LEDGER_CHECK}{MARKET_CHECK}) AS found
     WHERE $1::text IS NULL OR region = $1::text"""


@dataclass(frozen=True)
class ViolationRow:
    invariant: str
    subject: str
    detail: str


async def violations(db: Db, region: str | None = None) -> list[ViolationRow]:
    """Every violation concerning `region` (None: the whole ledger), in one statement (one
    snapshot for every part of the check)."""
    return [ViolationRow(r[0], r[1], r[2]) for r in await db.fetch(CHECK, region)]
