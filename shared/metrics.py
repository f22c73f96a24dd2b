"""Prometheus metrics shared by every service."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Histogram(
    "techmarket_http_request_seconds",
    "HTTP request latency",
    ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
OUTBOX_PUBLISHED = Counter("techmarket_outbox_published_total", "Outbox rows published")
EVENTS_CONSUMED = Counter(
    "techmarket_events_consumed_total", "Events applied by consumers", ["consumer", "type"]
)
EVENTS_DEAD_LETTERED = Counter(
    "techmarket_events_dead_lettered_total", "Events sent to a DLQ", ["consumer", "topic"]
)
EVENTS_DUPLICATE = Counter(
    "techmarket_events_duplicate_total", "Redelivered events skipped by the inbox", ["consumer"]
)
