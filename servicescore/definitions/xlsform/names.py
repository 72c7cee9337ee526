"""XLSForm names → ServiceScore ids. Ids are stable keys in answers and exports, so they are kept plain."""

from __future__ import annotations

import re
import unicodedata


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def item_key(name: str) -> str:
    """``Father.Age`` → ``father_age``; a key must start with a letter (``1st`` → ``q_1st``)."""
    key = re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", _ascii(name))).strip("_")
    if not key:
        return "q"
    return key if key[0].isalpha() else f"q_{key}"


def choice_value(name: str) -> str:
    """``Male`` → ``male``, ``n1-c`` stays; ServiceScore choice values are lowercase letters, digits, _ and -."""
    value = re.sub(r"[^a-z0-9_-]", "_", _ascii(name)).strip("_-")
    return value or "choice"


def instrument_id(name: str) -> str:
    """``My Form`` → ``my-form``: lowercase letters and digits joined by single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", _ascii(name)).strip("-") or "imported-form"


def humanised(name: str) -> str:
    """``family_name`` → ``Family name``: a title when a group has no label."""
    words = re.sub(r"[_\-.]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name
