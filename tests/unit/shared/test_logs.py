"""Log lines: JSON, and no SQL parameter value a client sent."""

from __future__ import annotations

import logging
import sys

import asyncpg
import orjson

from shared.logs import JsonFormatter, hide_parameters


def test_a_parameter_value_asyncpg_quotes_is_hidden() -> None:
    message = ("invalid input for query argument $2: '13800138000' (expected str, got int)\n"
               "next line stays")
    assert hide_parameters(message) == ("invalid input for query argument $2: (value hidden)"
                                        "\nnext line stays")


def test_an_exception_in_a_log_line_carries_no_parameter_value() -> None:
    try:
        raise asyncpg.DataError("invalid input for query argument $1: '身份证 110101199003071234'")
    except asyncpg.DataError:
        record = logging.getLogger("probe").makeRecord(
            "probe", logging.ERROR, __file__, 1, "failed", (), exc_info=sys.exc_info())
    line = orjson.loads(JsonFormatter("listings").format(record))
    assert "110101199003071234" not in line["exc"]
    assert "query argument $1: (value hidden)" in line["exc"]
