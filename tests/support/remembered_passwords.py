"""argon2id with the product's own parameters, each password hashed and each (hash, password) verified once per test
process: the integration tests make accounts and log in thousands of times with the same few passwords, and one
hash or verification costs 0.2-0.3 s of CPU (64 MiB, 3 passes, 4 lanes), most of a typical test's set-up.

The stored hashes are real argon2id hashes made with `PasswordHasher()`'s parameters (a hash says
`$argon2id$v=19$m=65536,t=3,p=4$`, `needs_rehash` answers as in production) and a verification's verdict is the one
argon2 gave for that very hash and password; only the salt is shared by the accounts of a process that have the
same password. Tests of hashing itself (`tests/unit/accounts`) use the real hasher.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError


class RememberingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__()
        self._hashes: dict[str | bytes, str] = {}
        self._verdicts: dict[tuple[str | bytes, str | bytes], bool] = {}

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        if salt is not None:
            return super().hash(password, salt=salt)
        if password not in self._hashes:
            self._hashes[password] = super().hash(password)
        return self._hashes[password]

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        key = (hash, password)
        if key not in self._verdicts:
            try:
                self._verdicts[key] = super().verify(hash, password)
            except VerifyMismatchError:
                self._verdicts[key] = False
        if not self._verdicts[key]:
            raise VerifyMismatchError("The password does not match the supplied hash")
        return True


HASHER = RememberingHasher()
