"""Size limits of listing fields, shared with the HTTP schemas so both refuse the same input."""

from __future__ import annotations

TITLE_MAX_CHARS = 200
SUMMARY_MAX_CHARS = 1_000
DESCRIPTION_MAX_CHARS = 20_000
KEYWORDS_MAX_ITEMS = 30
KEYWORD_MAX_CHARS = 40
IP_MAX_ITEMS = 50
IP_NUMBER_MAX_CHARS = 40
IP_DESCRIPTION_MAX_CHARS = 200

# 10^15 fen is ten trillion yuan: far above any contract, far below Postgres BIGINT.
AMOUNT_MAX_FEN = 10**15

# A listing valid for more than about ten years is almost certainly a typing slip.
VALIDITY_MAX_DAYS = 3_660
