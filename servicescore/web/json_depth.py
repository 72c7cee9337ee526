"""How deeply a JSON text nests, measured on its bytes before any parser recurses into it.

A JSON parser recurses once per level: 100,000 opening brackets end in RecursionError inside the parser, which
no handler can turn into a clear answer. Counting brackets outside strings costs one pass and no recursion.
"""

from __future__ import annotations

import re

# A string, escapes included; possessive and with an optional closing quote, so an unterminated string is consumed
# to the end in one linear pass instead of being retried from every later quote.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+"?', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_OPENING = frozenset({b"[", b"{"})


def nests_deeper_than(text: bytes, limit: int) -> bool:
    """Whether arrays and objects in ``text`` nest more than ``limit`` levels deep (brackets in strings ignored)."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b'""', text)):
        depth += 1 if bracket.group() in _OPENING else -1
        if depth > limit:
            return True
    return False
