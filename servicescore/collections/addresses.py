"""Keeping contacts' addresses: sealed at rest, found again by a keyed digest.

The address, name and personal survey link of a contact are needed until the last reminder, so they are stored
encrypted (Fernet: AES-CBC with an HMAC) under a key derived from the installation's secret key with HKDF. Opt-outs
and the frequency rule must outlive the address, so each contact also keeps an HMAC-SHA256 of the lower-cased
address under a second derived key: equal addresses give equal digests, and nobody without the secret key can test
an address against it. Opt-out links carry the contact's id and an HMAC of it, so they need no stored token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from typing import Final

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

OPT_OUT_MAC_CHARACTERS: Final = 32


class Unsealable(ValueError):
    """Sealed details that this key cannot open (another installation's, or changed)."""


@dataclass(frozen=True, slots=True)
class ContactDetails:
    email: str
    name: str
    token: str  # the personal invitation token: the survey link is /i/{token}


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"servicescore contacts", info=purpose).derive(
        secret.encode("utf-8")
    )


class AddressBook:
    """Sealing, opening and digesting contact details with keys derived from one secret key."""

    def __init__(self, secret_key: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret_key, b"address encryption")))
        self._digest_key = _derive(secret_key, b"address digest")
        self._opt_out_key = _derive(secret_key, b"opt-out link")

    def seal(self, details: ContactDetails) -> str:
        return self._fernet.encrypt(json.dumps(asdict(details), ensure_ascii=False).encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> ContactDetails:
        try:
            return ContactDetails(**json.loads(self._fernet.decrypt(sealed.encode("ascii"))))
        except (InvalidToken, ValueError, TypeError) as error:
            raise Unsealable("the contact's details cannot be opened with this secret key") from error

    def digest(self, email: str) -> str:
        return hmac.new(self._digest_key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()

    def opt_out_token(self, contact_id: int) -> str:
        mac = hmac.new(self._opt_out_key, f"contact:{contact_id}".encode(), hashlib.sha256).hexdigest()
        return f"{contact_id}-{mac[:OPT_OUT_MAC_CHARACTERS]}"

    def opt_out_contact(self, token: str) -> int | None:
        """The contact an opt-out token was made for, or None for anything else."""
        number, _, _ = token.partition("-")
        if not number.isdigit() or len(number) > 12:
            return None
        return int(number) if hmac.compare_digest(self.opt_out_token(int(number)), token) else None
