"""Link and invitation tokens.

Public links are printed on site as QR codes, so their token is stored as is. A personal invitation grants one
response, so only its SHA-256 digest is kept; the response id is derived from the token itself (not the digest),
so reopening the invitation on any device resumes the same response, and a copy of the database cannot tie a
response to an invitee's e-mail address.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from typing import Final

PUBLIC_TOKEN_BYTES: Final = 18  # 144 bits
INVITATION_TOKEN_BYTES: Final = 24  # 192 bits
_TOKEN: Final = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_public_token() -> str:
    return secrets.token_urlsafe(PUBLIC_TOKEN_BYTES)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(INVITATION_TOKEN_BYTES)


def plausible_token(token: str) -> bool:
    """Whether ``token`` could be one of ours; anything else is refused without a database round trip."""
    return bool(_TOKEN.match(token))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def invitation_response_id(token: str) -> uuid.UUID:
    """The one response an invitation can produce: a UUID only the holder of the token can compute."""
    digest = hashlib.sha256(b"servicescore:invitation-response:" + token.encode("ascii")).digest()
    return uuid.UUID(bytes=digest[:16], version=4)
