"""The rows the repository hands to use cases.

asyncpg Records, or dicts built from them (a reservation's state after a change); the
use cases and views read both by column name (`row["name"]`, `row.items()`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import asyncpg

Row: TypeAlias = Mapping[str, Any] | asyncpg.Record
