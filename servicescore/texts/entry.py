"""The shape of the catalogue's entries (``servicescore.texts``)."""

from __future__ import annotations

# A count phrase: its text for each plural category of the language (CLDR, through Babel: "one" and "other" in
# Swedish and English), chosen by the field ``n``.
Plural = dict[str, str]
Text = str | Plural
# key ("part.what") -> language ("sv", "en") -> text with ``{name}`` fields
Texts = dict[str, dict[str, Text]]
