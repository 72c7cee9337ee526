"""ServiceScore prints through WeasyPrint's public API only: what its API reference and its URL fetcher guide document.
Anything else may change in any release (about 25 upstream commits touched the private code reports once used)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[3] / "servicescore"
# Module → the names documented there (docs/api_reference.rst, docs/first_steps.rst "URL Fetchers").
PUBLIC: dict[str, frozenset[str]] = {
    "weasyprint": frozenset({"HTML", "CSS", "Attachment", "default_url_fetcher"}),
    "weasyprint.text.fonts": frozenset({"FontConfiguration"}),
    "weasyprint.urls": frozenset({"URLFetcher", "URLFetcherResponse"}),
}


def _uses(tree: ast.AST) -> list[str]:
    """Every WeasyPrint module or name a module imports or reads, as ``module:name``."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("weasyprint", "cssselect2"):
            found += [f"{node.module}:{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [f"{a.name}:" for a in node.names if a.name.split(".")[0] in ("weasyprint", "cssselect2")]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "weasyprint":
            found.append(f"weasyprint:{node.attr}")
    return found


def _private(uses: list[str]) -> list[str]:
    return [use for use in uses if use.split(":")[1] not in PUBLIC.get(use.split(":")[0], frozenset())]


def test_only_documented_weasyprint_names_are_used() -> None:
    private = [
        f"{path.relative_to(PACKAGE.parent)}: {use}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for use in _private(_uses(ast.parse(path.read_text(encoding="utf-8"))))
    ]
    assert private == [], "print through HTML, CSS, FontConfiguration and URLFetcher only"


def test_the_check_sees_what_it_must_refuse() -> None:
    source = (
        "import weasyprint\nfrom weasyprint import CSS, HTML, _find_base_url\n"
        "from weasyprint.draw.text import draw_first_line\nfrom weasyprint.text.fonts import FontConfiguration\n"
        "import cssselect2\nsource = weasyprint.__file__\n"
    )
    assert _private(_uses(ast.parse(source))) == [
        "weasyprint:",
        "weasyprint:_find_base_url",
        "weasyprint.draw.text:draw_first_line",
        "cssselect2:",
        "weasyprint:__file__",
    ]
