"""What the matching benchmarks share: producing listing events in bulk, watching the
index fill up (the service's /metrics), the matching process's memory, restarts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable

import httpx
import psutil
from aiokafka import AIOKafkaProducer

from shared.events.catalogue import IntegrationEvent
from shared.events.envelope import new_envelope
from techmarket.stack import Stack

INDEXED = "techmarket_matching_indexed_listings"


async def produce(bootstrap: str, events: Iterable[IntegrationEvent], chunk: int = 2000) -> int:
    """Put events on their topic as the listings relay would; how many."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False,
                                linger_ms=20, max_batch_size=512 * 1024,
                                max_request_size=4 * 1024 * 1024)
    await producer.start()
    sent = 0
    try:
        pending = []
        for event in events:
            envelope = new_envelope(event)
            pending.append(await producer.send(event.topic, value=envelope.to_bytes(),
                                               key=envelope.subject.encode()))
            if len(pending) >= chunk:
                await asyncio.gather(*pending)
                sent, pending = sent + len(pending), []
        await asyncio.gather(*pending)
        return sent + len(pending)
    finally:
        await producer.stop()


def indexed(base_url: str, kind: str, asks: int = 1) -> int | None:
    """Listings of a kind the index ranks, or None while the service does not answer.
    With several worker processes, the least of `asks` answers on fresh connections (each
    may reach another process, and each process has its own index)."""
    counts = []
    for _ in range(asks):
        try:
            text = httpx.get(f"{base_url}/metrics", timeout=5).text
        except httpx.HTTPError:
            return None
        prefix = f'{INDEXED}{{kind="{kind}"}} '
        found = [int(float(line.removeprefix(prefix))) for line in text.splitlines()
                 if line.startswith(prefix)]
        if not found:
            return None
        counts.append(found[0])
    return min(counts)


def ready(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def service_processes(stack: Stack) -> list[psutil.Process]:
    """The matching process and its worker processes, if any."""
    proc = stack.services["matching"].proc
    assert proc is not None
    parent = psutil.Process(proc.pid)
    return [parent, *parent.children(recursive=True)]


def rss_mb(stack: Stack) -> float:
    """Resident memory of the service: all its processes (each worker has its own index)."""
    return sum(p.memory_info().rss for p in service_processes(stack)) / 2**20


def cpu_seconds(stack: Stack) -> float:
    return sum(sum(p.cpu_times()[:2]) for p in service_processes(stack))


class Watch:
    """Waits for a condition on the matching service, sampling its memory meanwhile."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.url = stack.url("matching")
        self.peak_rss_mb = 0.0
        self.workers = 1

    def until(self, done: object, timeout: float, every: float = 0.25) -> float:
        """Seconds until `done()` is true (raises after `timeout`)."""
        started = time.perf_counter()
        while not done():  # type: ignore[operator]
            self.sample()
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"not done after {timeout:.0f}s")
            time.sleep(every)
        self.sample()
        return time.perf_counter() - started

    def until_indexed(self, kind: str, count: int, timeout: float) -> float:
        asks = 1 if self.workers == 1 else 6 * self.workers
        return self.until(lambda: (indexed(self.url, kind, asks) or 0) >= count, timeout)

    def sample(self) -> None:
        try:
            self.peak_rss_mb = max(self.peak_rss_mb, rss_mb(self.stack))
        except psutil.NoSuchProcess:
            pass

    def restart(self, timeout: float = 600) -> float:
        """Stop and start the matching process; seconds until /readyz answers 200."""
        service = self.stack.services["matching"]
        service.stop()
        service.start()
        asks = 1 if self.workers == 1 else 6 * self.workers
        return self.until(lambda: all(ready(self.url) for _ in range(asks)), timeout)
