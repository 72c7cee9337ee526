"""Password hashing, the password rules, session tokens and entry points: pure functions, no database."""

from __future__ import annotations

import hashlib

import pytest
from argon2 import PasswordHasher

from servicescore.accounts.passwords import (
    MAX_LENGTH,
    PasswordRejected,
    check_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from servicescore.identity import ENTRY_POINTS, Account, Role, new_token, token_digest


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first, second = hash_password("kanelbulle"), hash_password("kanelbulle")
    assert first.startswith("$argon2id$")
    assert first != second, "each hash has its own salt"
    assert verify_password(first, "kanelbulle")
    assert not verify_password(first, "Kanelbulle")
    assert not verify_password("not a hash", "kanelbulle")
    assert not verify_password(first, "x" * (MAX_LENGTH + 1))


def test_rehash_is_asked_for_hashes_with_old_parameters() -> None:
    assert not needs_rehash(hash_password("kanelbulle"))
    assert needs_rehash(PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("kanelbulle"))
    assert needs_rehash("garbage")


@pytest.mark.parametrize(("password", "ok"), [("1234567", False), ("12345678", True), ("x" * 1025, False)])
def test_policy(password: str, *, ok: bool) -> None:
    if ok:
        check_policy(password)
    else:
        with pytest.raises(PasswordRejected):
            check_policy(password)


def test_tokens_carry_256_bits_and_only_their_digest_is_kept() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(token) == 43 for token in tokens)  # 32 bytes, URL-safe base64 without padding
    token = next(iter(tokens))
    assert token_digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert len(token_digest(token)) == 64


def test_each_role_has_an_entry_point_and_a_name() -> None:
    assert set(ENTRY_POINTS) == set(Role)
    account = Account(1, "kund", "", Role.client, 7, "sv")
    assert (account.name, account.entry_point) == ("kund", "/portal")
    assert Account(2, "k", "Karin", Role.consultant, None, "en").name == "Karin"
