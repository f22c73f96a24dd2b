"""Tables of the matching database: its own read model of the listings it ranks.

One row per offer or need ever seen on `listings.events`, whatever its status, so an older
event never overwrites a newer one (version) and `GET /needs/{id}/matches` can tell a
listing it has not seen (404) from one that left the market. A status event can arrive
before the listing's snapshot: the row then holds only id, status and version (title NULL)
until a newer snapshot fills it in.

`seq` grows with every snapshot written: the start-up rebuild indexes listings in that
order, the order the live index received them, so ties rank the same after a restart.

Declared for Alembic and for the reader (what migration 0002 creates); nothing at run time
queries through them. The infrastructure tables are shared.tables'.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Sequence,
    SmallInteger,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = MetaData()

# One sequence for offers and needs (migration 0002).
listing_seq = Sequence("listing_seq", metadata=metadata)


def _common(table: str) -> list[Column[object] | Index]:
    """Columns of offers and needs alike, and the index the start-up rebuild pages by."""
    return [
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("status", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("seq", BigInteger, nullable=False,
               server_default=text("nextval('listing_seq')")),
        Column("title", Text),
        Column("description", Text),
        Column("industry", Text),
        Column("keywords", ARRAY(Text)),
        Column("modes", ARRAY(Text)),
        Column("region", Text),
        Column("published_at", DateTime(timezone=True)),
        Column("updated_at", DateTime(timezone=True), nullable=False,
               server_default=func.now()),
        # The start-up rebuild reads published listings in seq order, page by page.
        Index(f"ix_{table}_published_seq", "seq", postgresql_where=text("status = 'published'")),
    ]


offers = Table(
    "offers", metadata,
    *_common("offers"),
    Column("owner_org_id", UUID(as_uuid=True)),
    Column("kind", Text),
    Column("summary", Text),
    Column("trl", SmallInteger),
    Column("asking_price_fen", BigInteger),
    Column("valid_until", Date),
)

needs = Table(
    "needs", metadata,
    *_common("needs"),
    Column("buyer_org_id", UUID(as_uuid=True)),
    Column("min_trl", SmallInteger),
    Column("budget_min_fen", BigInteger),
    Column("budget_max_fen", BigInteger),
    Column("cross_region_ok", Boolean),
    Column("deadline", Date),
)
