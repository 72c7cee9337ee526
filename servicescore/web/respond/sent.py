"""A survey page sent with errors (or with follow-up questions it revealed), kept for the GET it is redirected to.

The POST answers with a redirect, so Back and reload never post again (see `web.refused_form`); the page it leads
to reads what was sent once more, against the same stored answers, and shows the same errors and the values typed.
Nothing of it is saved as an answer. It applies only to the response, page and version of the answers it was sent
from: once the answers changed (a save, another browser), the page shows what is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from servicescore.collections.answers import Answers
from servicescore.collections.contact import ContactReading, read_contact
from servicescore.collections.reading import RESERVED, PageReading, TamperedForm, read_page
from servicescore.definitions import Instrument


@dataclass(frozen=True)
class SentPage:
    page: int
    lenient: bool  # sent going back: required answers were not asked for
    fields: list[tuple[str, str]]
    seen: list[str]
    contact: dict[str, list[str]]

    def kept(self) -> dict[str, Any]:
        """What the cookie holds: the answers' fields (no CSRF token, no hidden bookkeeping) and the contact's."""
        return {**asdict(self), "fields": [(name, value) for name, value in self.fields if name not in RESERVED]}

    @staticmethod
    def bound(response_id: uuid.UUID | str, page: int, version: str) -> tuple[str, int, str]:
        """What a kept page is bound to (`web.refused_form`): the response, its page, and the answers' version."""
        return str(response_id), page, version

    @classmethod
    def of(cls, kept: object) -> SentPage | None:
        """The page ``kept`` holds (None when it holds none)."""
        if not isinstance(kept, Mapping):
            return None
        try:
            return cls(
                page=int(kept["page"]), lenient=bool(kept["lenient"]),
                fields=[(str(n), str(v)) for n, v in kept["fields"]], seen=[str(s) for s in kept["seen"]],
                contact={str(k): [str(v) for v in values] for k, values in kept["contact"].items()},
            )  # fmt: skip
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def read(self, instrument: Instrument, stored: Answers) -> tuple[PageReading, ContactReading] | tuple[None, None]:
        """The page read again as when it was sent; nothing when it no longer reads (an instrument changed)."""
        try:
            reading = read_page(instrument, self.page, stored, self.fields, seen=self.seen, lenient=self.lenient)
            return reading, read_contact(instrument, self.page, self.contact)
        except TamperedForm:
            return None, None
