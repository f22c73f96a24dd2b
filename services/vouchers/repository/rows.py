"""The rows the repository hands to use cases.

The hot paths read through asyncpg (`asyncpg.Record`), the others through SQLAlchemy
(`RowMapping`); both are read by column name (`row["name"]`, `row.items()`), and that is
all the use cases and views do with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import asyncpg

Row: TypeAlias = Mapping[str, Any] | asyncpg.Record
