"""Who may act for an organisation: a broker for the organisations it represents, an
enterprise or provider for its own organisation only."""

from __future__ import annotations

import uuid

from services.listings.repository import brokers as broker_repository
from services.listings.use_cases.common import unknown_organization
from shared.auth import Principal
from shared.db import Db
from shared.errors import Forbidden


async def ensure_acts_for(db: Db, who: Principal, org_id: uuid.UUID,
                          roles: tuple[str, ...], *, field: str = "org_id") -> str:
    """Check that `who` may act for the organisation; its region (short code) when so.
    An unregistered organisation is the request's fault: 422 naming `field`."""
    if who.role not in roles:
        raise Forbidden(f"role {who.role} may not do this; allowed: {', '.join(roles)}")
    broker_id = _broker_id(who) if who.role == "broker" else None
    found = await broker_repository.representation(db, org_id, broker_id)
    if found is None:
        raise unknown_organization(field)
    if broker_id is not None:
        _ensure_broker_represents(who, broker_id, org_id, found)
    elif who.org != str(org_id):
        raise Forbidden(f"a {who.role} token acts only for its own organisation")
    return found.owner_region


def _ensure_broker_represents(who: Principal, broker_id: uuid.UUID, org_id: uuid.UUID,
                              found: broker_repository.Representation) -> None:
    if found.broker_agency_id is None:
        raise Forbidden("the token's subject is not a registered broker")
    if who.org is not None and who.org != str(found.broker_agency_id):
        raise Forbidden("the token's organisation is not the broker's agency")
    if not found.represented:
        raise Forbidden(f"broker {broker_id} does not represent organisation {org_id}")


def _broker_id(who: Principal) -> uuid.UUID:
    try:
        return uuid.UUID(who.sub)
    except ValueError:
        raise Forbidden("a broker token's subject must be the broker's id "
                        "(from POST /brokers)") from None
