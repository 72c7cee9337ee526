"""Pure rules of the web layer: where ``next`` may lead, and which Host headers name us."""

from __future__ import annotations

import pytest

from servicescore.web.hosts import host_name, is_allowed
from servicescore.web.login import safe_next


@pytest.mark.parametrize("target", ["/", "/console", "/portal?wave=2026-Q3&unit=a", "/visits/3#section-2"])
def test_local_paths_are_kept(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "evil.example",
        "/\r\nx",
        "",
        None,
        "/" + "a" * 2001,
    ],
)
def test_anything_else_is_refused(target: str | None) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("example.org", "example.org"),
        ("Example.org:8000", "example.org"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("127.0.0.1:80", "127.0.0.1"),
    ],
)
def test_host_name_drops_the_port(header: str, name: str) -> None:
    assert host_name(header) == name


def test_allowed_host_patterns() -> None:
    allowed = ["scores.example", "*.kund.example"]
    assert is_allowed("scores.example", allowed)
    assert is_allowed("zorn.kund.example", allowed)
    assert not is_allowed("kund.example.evil", allowed)
    assert not is_allowed("evilscores.example", allowed)
    assert is_allowed("anything", ["*"])
