"""Per-client-address limits on the requests that come without proof of who sends them:
requests without credentials, and failed authentications (a password-guessing or
token-forging client). Token buckets in the process's memory: each service process limits
on its own, which bounds a client to (limit × processes) at worst.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


@dataclass
class Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimit:
    """At most `per_minute` events per client address, in bursts of up to `burst`."""

    per_minute: float
    burst: float
    max_clients: int = 100_000
    _buckets: dict[str, Bucket] = field(default_factory=dict)

    def wait(self, client: str, now: float | None = None) -> int:
        """0 when `client` has a token left, else the seconds until it has one."""
        bucket = self._refilled(client, time.monotonic() if now is None else now)
        if bucket.tokens >= 1:
            return 0
        return max(1, math.ceil((1 - bucket.tokens) * 60 / self.per_minute))

    def take(self, client: str, now: float | None = None) -> int:
        """`wait`, and a token is spent when there was one: for counting every request."""
        waiting = self.wait(client, now)
        if not waiting:
            self.spend(client, now)
        return waiting

    def spend(self, client: str, now: float | None = None) -> None:
        """Spends a token whatever is left: for counting only failures, after the fact."""
        self._refilled(client, time.monotonic() if now is None else now).tokens -= 1

    def _refilled(self, client: str, now: float) -> Bucket:
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= self.max_clients:
                self._buckets.clear()  # a flood of addresses: start over, never grow unbounded
            bucket = self._buckets[client] = Bucket(self.burst, now)
        bucket.tokens = min(self.burst,
                            bucket.tokens + (now - bucket.updated) * self.per_minute / 60)
        bucket.updated = now
        return bucket
