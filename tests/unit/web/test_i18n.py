"""Choosing a language (the catalogue itself: tests/unit/test_texts.py)."""

from __future__ import annotations

import pytest

from servicescore.web.i18n import negotiate, parse_accept_language


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
