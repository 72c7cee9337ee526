"""The interface catalogue and choosing a language."""

from __future__ import annotations

import re
import string

import pytest

from servicescore.web.i18n import (
    CATALOGUE,
    FRAME_TEXTS,
    LANGUAGES,
    merged_catalogue,
    negotiate,
    parse_accept_language,
    translate,
)


def test_every_key_has_every_language_and_the_same_fields() -> None:
    for key, texts in CATALOGUE.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key
        fields = {
            language: {name for _, name, _, _ in string.Formatter().parse(text) if name}
            for language, text in texts.items()
        }
        assert fields["sv"] == fields["en"], key


def test_keys_are_dotted_lowercase_names() -> None:
    assert all(re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", key) for key in CATALOGUE)


def test_translate_fills_fields() -> None:
    assert translate("login.failed", "en", minutes=15).startswith(
        "Wrong username or password, or the account is locked for 15 minutes"
    )
    assert translate("login.heading", "sv") == "Logga in"
    with pytest.raises(KeyError):
        translate("no.such.key", "sv")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9,sv;q=0.8", ["en-GB", "en", "sv"]),
        ("sv;q=0.2, en;q=0.8", ["en", "sv"]),
        ("en;q=0, sv", ["sv"]),
        ("de;q=bad, fr", ["fr"]),
        ("", []),
    ],
)
def test_parse_accept_language(header: str, expected: list[str]) -> None:
    assert parse_accept_language(header) == expected


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        ({"query": "en", "cookie": "sv", "account": "sv", "accept_language": "sv"}, "en"),
        ({"query": "xx", "cookie": "en", "accept_language": "sv"}, "en"),
        ({"cookie": None, "account": "en", "accept_language": "sv"}, "en"),
        ({"accept_language": "en-US,en;q=0.9"}, "en"),
        ({"accept_language": "fi, de"}, "sv"),
        ({}, "sv"),
    ],
)
def test_negotiation_order(choices: dict[str, str | None], expected: str) -> None:
    assert negotiate(**choices) == expected


def test_parts_merge_and_a_key_defined_twice_stops_the_import() -> None:
    part = {"part.heading": {"sv": "Rubrik", "en": "Heading"}}
    assert merged_catalogue(FRAME_TEXTS, part)["part.heading"]["sv"] == "Rubrik"
    assert set(FRAME_TEXTS) <= set(CATALOGUE)
    with pytest.raises(ValueError, match=r"defined twice: \['site.name'\]"):
        merged_catalogue(FRAME_TEXTS, {"site.name": {"sv": "x", "en": "x"}})
