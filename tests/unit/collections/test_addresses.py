"""Contact details sealed with a key from the secret key, digests for opt-outs, opt-out tokens."""

from __future__ import annotations

import pytest

from servicescore.collections.addresses import AddressBook, ContactDetails, Unsealable

SECRET = "x" * 48


def test_details_are_sealed_and_opened_with_the_same_secret_only() -> None:
    book = AddressBook(SECRET)
    details = ContactDetails("anna.berg@example.org", "Anna Berg", "t" * 32)
    sealed = book.seal(details)
    assert "anna" not in sealed.lower()
    assert book.open(sealed) == details
    with pytest.raises(Unsealable):
        AddressBook("y" * 48).open(sealed)


def test_a_digest_is_keyed_and_ignores_case_and_spaces() -> None:
    book = AddressBook(SECRET)
    assert book.digest(" Anna.Berg@Example.org") == book.digest("anna.berg@example.org")
    assert book.digest("anna.berg@example.org") != AddressBook("y" * 48).digest("anna.berg@example.org")
    assert len(book.digest("a@b.se")) == 64


def test_opt_out_tokens_name_their_contact_and_nothing_else() -> None:
    book = AddressBook(SECRET)
    token = book.opt_out_token(17)
    assert book.opt_out_contact(token) == 17
    assert book.opt_out_contact(token.replace("17-", "18-")) is None
    assert book.opt_out_contact(AddressBook("y" * 48).opt_out_token(17)) is None
    assert book.opt_out_contact("abc") is None
