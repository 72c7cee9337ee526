"""JSON placed inside HTML (a ``<script>`` element or an attribute), the one way every page does it."""

from __future__ import annotations

from markupsafe import Markup

# JSON inside HTML must not be able to end its element: a comment holding "</script><img …>" would otherwise become
# markup. The escaped text is the same JSON to every JSON parser.
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def embedded_json(text: str) -> Markup:
    """``{{ payload_json | embedded_json }}``: JSON text made safe to place in HTML."""
    return Markup(text.translate(_JSON_IN_HTML))  # noqa: S704 - every character that can end an element is escaped
