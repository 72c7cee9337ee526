"""The layer rules, read from the source: the pure cores import neither the web framework nor the ORM (not even
through another module of ours), ``db/`` imports no package that imports ``db/``, and the respondent's pages take
the request's language as a dependency instead of working it out again.

Imports are read with ``ast`` (those inside functions too, which run when called), except those under
``if TYPE_CHECKING:``, which never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "servicescore"
PURE = ("scoring", "definitions", "collections", "visits")
FRAMEWORKS = ("litestar", "piccolo")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in (child, *_runtime_nodes(child)))
            continue
        yield node
        yield from _runtime_nodes(node)


def _resolve(name: str) -> str:
    """The module ``name`` refers to: itself, or the package holding ``name`` when it is an object of one."""
    while name and name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


@cache
def imports(module: str) -> frozenset[str]:
    """What a module of ours imports when it runs: our modules by name, other distributions by top-level name."""
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
    ours = {_resolve(name) for name in found if name.split(".")[0] == "servicescore"}
    parents = {name.rsplit(".", depth)[0] for name in ours for depth in range(1, name.count("."))}
    return frozenset({*ours, *(p for p in parents if p in MODULES), *(n.split(".")[0] for n in found)} - {module})


def reached(module: str) -> set[str]:
    """Every module that importing ``module`` runs, itself included."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo += [name for name in imports(current) if name in MODULES]
    return seen


def package_of(module: str) -> str:
    """``servicescore.db.cases`` -> ``db``; a top-level module is its own package (``identity``)."""
    return module.split(".")[1] if "." in module else ""


def modules_in(package: str) -> list[str]:
    return [name for name in MODULES if package_of(name) == package]


@pytest.mark.parametrize("package", PURE)
def test_pure_cores_import_neither_litestar_nor_piccolo(package: str) -> None:
    offenders = {
        (module, framework): sorted(name for name in reached(module) if framework in imports(name))
        for module in modules_in(package)
        for framework in FRAMEWORKS
    }
    assert {key: via for key, via in offenders.items() if via} == {}


def test_db_imports_no_package_that_imports_db() -> None:
    used = {package_of(name) for module in modules_in("db") for name in imports(module) if name in MODULES}
    cycles = {
        package: sorted(module for module in modules_in(package) if any(package_of(n) == "db" for n in imports(module)))
        for package in used - {"db", ""}
    }
    assert {package: via for package, via in cycles.items() if via} == {}


def test_the_respondent_pages_take_the_language_as_a_dependency() -> None:
    respond = [name for name in modules_in("web") if name.startswith("servicescore.web.respond")]
    assert respond
    assert [name for name in respond if _calls(name, "request_language")] == []


def _babel_formatting(module: str) -> bool:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.ImportFrom) and node.module in ("babel.numbers", "babel.dates")
        for node in _runtime_nodes(tree)
    )


def test_one_formatter_below_web_and_reporting() -> None:
    # Numbers and dates are formatted in one module, which imports nothing of ours, so web/, reporting/ and mail/
    # all import it downwards (two formatters disagreed: "December 6, 2026" in reports, "6 December 2026" on pages).
    assert [name for name in MODULES if _babel_formatting(name)] == ["servicescore.formats"]
    assert reached("servicescore.formats") == {"servicescore.formats"}
    assert reached("servicescore.template_filters") - {"servicescore"} == {
        "servicescore.formats",
        "servicescore.template_filters",
    }


# The entry points (the app, the commands, the worker) put the web together with the rest; nothing below them may
# reach up into web/ (mail/ took the brand colour from web/respond/theme, which now lives in servicescore.colours).
ENTRY_POINTS = ("web", "cli", "app", "__main__")


def test_nothing_below_the_entry_points_imports_web() -> None:
    upward = {
        module: sorted(name for name in imports(module) if package_of(name) == "web")
        for module in MODULES
        if package_of(module) not in ENTRY_POINTS and module.rsplit(".", 1)[-1] not in ENTRY_POINTS
    }
    assert {module: via for module, via in upward.items() if via} == {}


def _calls(module: str, function: str) -> bool:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return any(isinstance(node, ast.Name) and node.id == function for node in ast.walk(tree))


def test_the_rules_see_what_they_claim_to() -> None:
    # A rule that reads nothing passes for the wrong reason: the reader finds the imports it must.
    assert {"servicescore.db.tables", "servicescore.identity"} <= imports("servicescore.db.accounts")
    assert "piccolo" in imports("servicescore.db.tables")
    assert "servicescore.db" in reached("servicescore.accounts.users")
    assert "litestar" in imports("servicescore.web.respond.controller")
    assert "servicescore.definitions" in imports("servicescore.collections.pages")
