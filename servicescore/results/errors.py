"""Why a table cannot be made as asked: one error type every caller turns into its own words.

`key` names the problem (``instrument``, ``wave``, ``organisation``, ``unit``, ``column``, ``by_level``, …) and
`values` fill the message: the web pages say it in the user's language (``exports.error.<key>``), the API as a
404 on the parameter of that name.
"""

from __future__ import annotations


class FilterError(Exception):
    """A filter the table cannot follow: `key` names the message, `values` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key}: {values}")
        self.key = key
        self.values = values
