"""Integration events: CloudEvents envelope and the versioned catalogue.

Importing this package registers every catalogued event (one module per producing service).
"""

from shared.events import deals, listings, matching, vouchers  # noqa: F401  (registration)
from shared.events.catalogue import CATALOGUE, IntegrationEvent, lookup
from shared.events.envelope import CloudEvent, new_envelope

__all__ = ["CATALOGUE", "CloudEvent", "IntegrationEvent", "lookup", "new_envelope"]
