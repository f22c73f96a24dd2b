"""Each service's `models.py` says what its migrations create: after migrating, its database
has exactly the tables declared there plus shared.tables' infrastructure tables (Alembic's
own version table aside), with the same columns, types and nullability, and the same
indexes. A revision that changes the schema without its declaration fails here, and so
does a declaration no revision creates."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine

from shared.settings import SERVICES
from shared.tables import infra_metadata
from tests.support.market import Market

# (table, column, type, nullable).
ColumnKey = tuple[str, str, str, bool]
# (table, index name, unique, key columns).
IndexKey = tuple[str, str, bool, tuple[str, ...]]

COLUMNS_SQL = """
SELECT c.table_name, c.column_name, c.is_nullable = 'YES' AS nullable,
       format_type(a.atttypid, a.atttypmod) AS type
  FROM information_schema.columns c
  JOIN pg_attribute a ON a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
                     AND a.attname = c.column_name
 WHERE c.table_schema = 'public' AND c.table_name <> 'alembic_version'
"""

# Indexes of their own, not those behind a primary key, unique or exclusion constraint.
INDEXES_SQL = """
SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS is_unique,
       array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
              ORDER BY k.n) AS columns
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
 WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> 'alembic_version'
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))
"""


def declared(service: str) -> list[MetaData]:
    return [importlib.import_module(f"services.{service}.models").metadata, infra_metadata]


def _type(declared_type: TypeEngine[Any]) -> str:
    """A declared type as PostgreSQL's format_type spells it."""
    compiled = declared_type.compile(dialect=postgresql.dialect())
    return compiled.lower().replace("varchar", "character varying")


def declared_columns(service: str) -> set[ColumnKey]:
    return {(name, c.name, _type(c.type), bool(c.nullable))
            for metadata in declared(service) for name, table in metadata.tables.items()
            for c in table.columns}


def declared_indexes(service: str) -> set[IndexKey]:
    return {(name, str(index.name), index.unique, tuple(c.name for c in index.columns))
            for metadata in declared(service) for name, table in metadata.tables.items()
            for index in table.indexes}


@pytest.mark.parametrize("service", SERVICES)
async def test_the_database_has_what_models_declare(market: Market, service: str) -> None:
    # Sets of tuples: a failure lists exactly the columns and indexes on either side only.
    columns = {(row["table_name"], row["column_name"], row["type"], row["nullable"])
               for row in await market.fetch(service, COLUMNS_SQL)}
    assert columns == declared_columns(service)
    indexes = {(row["table_name"], row["index_name"], row["is_unique"], tuple(row["columns"]))
               for row in await market.fetch(service, INDEXES_SQL)}
    assert indexes == declared_indexes(service)
