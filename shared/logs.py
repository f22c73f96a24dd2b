"""JSON logs, one object per line, with the correlation id."""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime

import orjson

from shared.context import correlation_id


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if correlation_id.get():
            entry["correlation_id"] = correlation_id.get()
        audit = getattr(record, "audit", None)
        if audit is not None:
            entry["audit"] = audit
        if record.exc_info:
            entry["exc"] = hide_parameters(self.formatException(record.exc_info))
        return orjson.dumps(entry).decode()


# asyncpg names a parameter it could not encode and quotes its value ("invalid input for
# query argument $2: '13800138000' (...)"): a log line must not carry what a client sent.
_PARAMETER_VALUE = re.compile(r"(query argument \$\d+): .*")


def hide_parameters(text: str) -> str:
    """`text` with the values of SQL parameters that asyncpg quotes in its errors hidden."""
    return _PARAMETER_VALUE.sub(r"\1: (value hidden)", text)


def audit(action: str, **facts: object) -> None:
    """An audit record: who did what privileged thing, as one JSON line of logger
    `techmarket.audit` with the facts under "audit"."""
    logging.getLogger("techmarket.audit").info(action, extra={"audit": {"action": action,
                                                                       **facts}})


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
