"""Registration rules about the contract's content: IP, type, document, earlier registration."""

import re

from .contract import ContractSnapshot
from .contract_types import ContractType, find_contract_type, types_fitting_ip
from .failures import FailureCode, RegistrationFailure
from .rules import RegistrationContext
from .subject import contradicting_families

_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def check_ip(contract: ContractSnapshot, context: RegistrationContext) -> list[RegistrationFailure]:
    kind = find_contract_type(contract.contract_type)
    if kind is None or not kind.requires_ip:
        return []
    if kind.required_ip_kinds & contract.listed_ip_kinds():
        return []
    needed = " or ".join(sorted(kind.required_ip_kinds))
    return [RegistrationFailure(
        FailureCode.MISSING_IP, "ip",
        f"a {kind.code} contract ({kind.name_zh}) needs an IP item of kind {needed}")]


def check_type_fits_content(
    contract: ContractSnapshot, context: RegistrationContext
) -> list[RegistrationFailure]:
    kind = find_contract_type(contract.contract_type)
    if kind is None:
        return [_mismatch("type", f"{contract.contract_type!r} is not a technology-contract type")]
    return _ip_mismatch(contract, kind) + _subject_mismatch(contract, kind)


def _ip_mismatch(contract: ContractSnapshot, kind: ContractType) -> list[RegistrationFailure]:
    """The listed IP belongs to another transfer/license type: suggest which one."""
    listed = contract.listed_ip_kinds()
    if not kind.requires_ip or not listed or kind.required_ip_kinds & listed:
        return []
    # A license of a patent application does not exist, so fall back to any family.
    fitting = types_fitting_ip(listed, kind.family) or types_fitting_ip(listed)
    return [_mismatch(
        "ip", f"the IP items ({', '.join(sorted(listed))}) do not fit {kind.code}; "
        f"they fit {_codes(fitting)}")]


def _subject_mismatch(contract: ContractSnapshot, kind: ContractType) -> list[RegistrationFailure]:
    """The subject names another kind AND the listed IP supports it: the content is that kind.

    A subject that merely names another kind is unclear_subject; with the IP to back it,
    e.g. a training contract transferring a listed patent, the type itself is wrong.
    """
    listed = contract.listed_ip_kinds()
    fitting = [
        other for family in contradicting_families(contract.subject, kind.family)
        for other in types_fitting_ip(listed, family)
    ]
    if not fitting:
        return []
    return [_mismatch(
        "type", f"the subject and IP items describe {_codes(fitting)}, not {kind.code}")]


def _codes(types: list[ContractType]) -> str:
    return " or ".join(sorted(t.code for t in types))


def _mismatch(field: str, message: str) -> RegistrationFailure:
    return RegistrationFailure(FailureCode.TYPE_MISMATCH, field, message)


def check_documents(
    contract: ContractSnapshot, context: RegistrationContext
) -> list[RegistrationFailure]:
    digest = (contract.document_sha256 or "").strip()
    if not digest:
        return [_documents(
            "no written contract: oral contracts are refused; "
            "give the SHA-256 of the signed document")]
    if not _SHA256.fullmatch(digest):
        return [_documents("document_sha256 must be a SHA-256: 64 hexadecimal characters")]
    return []


def _documents(message: str) -> RegistrationFailure:
    return RegistrationFailure(FailureCode.MISSING_DOCUMENTS, "document_sha256", message)


def check_not_registered(
    contract: ContractSnapshot, context: RegistrationContext
) -> list[RegistrationFailure]:
    if not contract.already_registered:
        return []
    return [RegistrationFailure(
        FailureCode.ALREADY_REGISTERED, "registration_no",
        "this contract is already registered; a contract is registered once")]
