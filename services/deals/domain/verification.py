"""The verification code printed on a registration certificate.

Registration numbers are consecutive, so a number alone would let anyone walk every
contract's parties and amounts. The certificate also carries a random code, not derivable
from the number; GET /registrations/{no} answers only to a request that brings both.
"""

import hmac
import secrets

# 20 hex digits, 80 random bits: short enough to print and type, far beyond guessing.
CODE_BYTES = 10


def new_verification_code() -> str:
    return secrets.token_hex(CODE_BYTES)


def code_matches(given: str | None, stored: str | None) -> bool:
    """Compared in constant time, so the answer's timing tells nothing of the code."""
    given_bytes = (given or "").encode()
    matches = hmac.compare_digest(given_bytes, (stored or "").encode())
    return matches and given is not None and stored is not None
