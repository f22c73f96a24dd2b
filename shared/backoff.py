"""The one retry pacing of the market: delays that double from a first one up to a cap.

Every loop that waits before trying again (a broker not up yet, a crashed background task,
a failed relay batch, an event handler that failed, a service process that died) takes its
delays from a `Backoff`, so the pacing is read and tuned in one place.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class Backoff:
    first: float
    cap: float
    _next: float = field(init=False)

    def __post_init__(self) -> None:
        self._next = self.first

    def delay(self) -> float:
        """The delay to wait now; the next one doubles, up to `cap`."""
        delay, self._next = self._next, min(self._next * 2, self.cap)
        return delay

    def reset(self) -> None:
        """After a success: the next failure waits `first` again."""
        self._next = self.first

    async def wait(self) -> float:
        delay = self.delay()
        await asyncio.sleep(delay)
        return delay

    def wait_blocking(self) -> float:
        delay = self.delay()
        time.sleep(delay)
        return delay
