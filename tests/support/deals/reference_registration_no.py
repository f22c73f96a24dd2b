"""Reference model of registration-number formatting: region (6) + year (4) + sequence (6).

Production makes the number in SQL alone, in the statement that registers the contract
(`lpad` of the year and of the sequence taken from the counter row, in
services/deals/repository/registrations.py): that is the source of truth. This pure
version, never run by the service, is what the tests check every number the SQL made
against; the parts a number may have are production's own rule (`domain.registration_no`,
which recognises numbers at GET /registrations/{no}).
"""

from __future__ import annotations

from datetime import date

from services.deals.domain.regions import Region
from services.deals.domain.registration_no import RegistrationNo, check_parts


def format_registration_no(region_code: str, year: int, sequence: int) -> str:
    check_parts(region_code, year, sequence)
    return f"{region_code}{year:04d}{sequence:06d}"


def registration_no_for(seller_region: Region, registered_on: date, sequence: int) -> str:
    """The number of a contract registered in the seller's region on the given day."""
    return format_registration_no(seller_region.code, registered_on.year, sequence)


def formatted(number: RegistrationNo) -> str:
    return format_registration_no(number.region_code, number.year, number.sequence)
