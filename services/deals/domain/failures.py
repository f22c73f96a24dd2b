"""Reasons a contract is refused registration, mapped to the official refusal list."""

from dataclasses import dataclass
from enum import StrEnum


class FailureCode(StrEnum):
    UNCLEAR_PARTIES = "unclear_parties"
    UNCLEAR_SUBJECT = "unclear_subject"
    UNCLEAR_PRICE = "unclear_price"
    NOT_IN_FORCE = "not_in_force"
    MISSING_IP = "missing_ip"
    TYPE_MISMATCH = "type_mismatch"
    MISSING_DOCUMENTS = "missing_documents"
    ALREADY_REGISTERED = "already_registered"


@dataclass(frozen=True)
class RegistrationFailure:
    code: FailureCode
    field: str  # names the request field to amend, as in problem+json `errors`
    message: str

    def as_error(self) -> dict[str, str]:
        return {"field": self.field, "code": str(self.code), "message": self.message}
