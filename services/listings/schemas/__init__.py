"""HTTP models of the listings API."""

from services.listings.schemas.brokers import BrokerIn, BrokerOut, BrokerPage, BrokerPatch
from services.listings.schemas.common import RegionCode, Strict
from services.listings.schemas.listings import (
    NeedIn,
    NeedOut,
    NeedPage,
    NeedPatch,
    OfferIn,
    OfferOut,
    OfferPage,
    OfferPatch,
)
from services.listings.schemas.organizations import (
    HighTechCertIn,
    HighTechCertOut,
    OrganizationIn,
    OrganizationOut,
    OrganizationPage,
    OrgKind,
)

__all__ = [
    "BrokerIn",
    "BrokerOut",
    "BrokerPage",
    "BrokerPatch",
    "HighTechCertIn",
    "HighTechCertOut",
    "NeedIn",
    "NeedOut",
    "NeedPage",
    "NeedPatch",
    "OfferIn",
    "OfferOut",
    "OfferPage",
    "OfferPatch",
    "OrgKind",
    "OrganizationIn",
    "OrganizationOut",
    "OrganizationPage",
    "RegionCode",
    "Strict",
]
