"""Whether the CSS of an uploaded SVG logo could fetch anything: read by a real CSS parser, never by pattern.

A browser unescapes CSS before it acts on it (``\\75 rl(`` is ``url(``, ``@\\69mport`` is ``@import``), and strings
fetch inside ``image-set("…")``. tinycss2 (WeasyPrint's own CSS parser) tokenises as browsers do, so the names
checked here are the names a browser sees. Only functions known not to fetch are allowed, and ``url()`` only to a
fragment of the same file (``url(#gradient)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal

import tinycss2
from tinycss2 import ast

# Colours, maths, transforms, gradients, filters, timing: what logos style themselves with. Nothing here takes a URL.
SAFE_FUNCTIONS: Final = frozenset(
    {
        *("rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "color-mix"),
        *("calc", "min", "max", "clamp", "var"),
        *("translate", "translatex", "translatey", "translate3d", "rotate", "scale", "scalex", "scaley", "skew"),
        *("skewx", "skewy", "matrix", "matrix3d", "perspective"),
        *("linear-gradient", "radial-gradient", "conic-gradient", "repeating-linear-gradient"),
        *("repeating-radial-gradient", "repeating-conic-gradient"),
        *("blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity"),
        *("saturate", "sepia", "cubic-bezier", "steps"),
    }
)
# Rules that only group other rules; every other at-rule (@import, @font-face, @namespace, …) is refused.
SAFE_AT_RULES: Final = frozenset({"media", "supports", "keyframes", "-webkit-keyframes"})
# tinycss2's kinds of parse error, as the mistakes a person made: a string or url() left open, a closing bracket
# that closes nothing; every other kind ("invalid", "extra-input", …) is a rule that does not follow CSS syntax.
UnreadableKind = Literal["string", "url", "bracket", "syntax"]
_KINDS: Final[dict[str, UnreadableKind]] = {
    "bad-string": "string",
    "eof-in-string": "string",
    "bad-url": "url",
    "eof-in-url": "url",
    ")": "bracket",
    "]": "bracket",
    "}": "bracket",
}


class UnreadableCss(ValueError):
    """CSS a browser would not read as written. ``kind`` says what is wrong, ``token`` the bracket of a
    "bracket" mistake; ``line`` and ``column`` (both from 1) where, in the CSS text. tinycss2's own message is
    English for developers, so the page words the mistake itself."""

    def __init__(self, kind: UnreadableKind, token: str, line: int, column: int) -> None:
        super().__init__(f"{kind} at line {line}, column {column}")
        self.kind = kind
        self.token = token
        self.line = line
        self.column = column


def stylesheet_problem(css: str) -> str | None:
    """What in a ``<style>`` sheet could fetch or hide something, or None when nothing can; raises
    `UnreadableCss` for CSS that cannot be read."""
    return _first_problem(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def declarations_problem(css: str) -> str | None:
    """The same for a ``style="…"`` attribute (raises `UnreadableCss` too)."""
    return _first_problem(tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True))


def value_problem(value: str) -> str | None:
    """For a presentation attribute (``fill="…"``): only a reference outside the file is a problem."""
    for node in _walk(tinycss2.parse_component_value_list(value, skip_comments=True)):
        if (problem := _url_problem(node)) is not None:
            return problem
    return None


def _first_problem(nodes: Iterable[Any]) -> str | None:
    for node in _walk(nodes):
        if isinstance(node, ast.ParseError):
            kind = _KINDS.get(node.kind, "syntax")
            raise UnreadableCss(kind, node.kind if kind == "bracket" else "", node.source_line, node.source_column)
        if isinstance(node, ast.AtRule) and node.lower_at_keyword not in SAFE_AT_RULES:
            return f"@{node.lower_at_keyword}"
        if (problem := _url_problem(node)) is not None:
            return problem
        if isinstance(node, ast.FunctionBlock) and node.lower_name not in SAFE_FUNCTIONS | {"url"}:
            return f"{node.lower_name}()"
    return None


def _url_problem(node: Any) -> str | None:
    if isinstance(node, ast.URLToken) and not node.value.startswith("#"):
        return f"url({node.value[:60]})"
    if isinstance(node, ast.FunctionBlock) and node.lower_name == "url":
        arguments = [token for token in node.arguments if not isinstance(token, ast.WhitespaceToken)]
        if not (len(arguments) == 1 and isinstance(arguments[0], ast.StringToken) and arguments[0].value[:1] == "#"):
            return f"url({tinycss2.serialize(node.arguments)[:60]})"
    return None


def _walk(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every node and every node inside it: rule preludes and bodies, declaration values, blocks, arguments."""
    for node in nodes:
        yield node
        for attribute in ("prelude", "content", "value", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                yield from _walk(children)
