"""The links a server hands out point at where it serves, unless SERVICESCORE_BASE_URL says otherwise."""

from __future__ import annotations

import pytest

from servicescore.cli.serve import served_at
from servicescore.settings import Settings


@pytest.mark.parametrize(
    ("host", "port", "base_url"),
    [
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("enkat.example.se", 80, "http://enkat.example.se:80"),
        ("::1", 9000, "http://[::1]:9000"),
        ("0.0.0.0", 9000, "http://127.0.0.1:8000"),  # every interface: no one address is the respondents'
        ("::", 9000, "http://127.0.0.1:8000"),
    ],
)
def test_links_follow_the_served_address(monkeypatch: pytest.MonkeyPatch, host: str, port: int, base_url: str) -> None:
    monkeypatch.delenv("SERVICESCORE_BASE_URL", raising=False)
    assert served_at(Settings(), host, port).base_url == base_url


def test_a_base_url_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICESCORE_BASE_URL", "https://enkat.example.se")
    assert served_at(Settings(), "127.0.0.1", 9000).base_url == "https://enkat.example.se"
