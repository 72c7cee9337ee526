"""The one catalogue of ServiceScore's words, in Swedish and English: web pages, report and dashboard labels,
report sentences, chart names and e-mails. One module a part, merged here; a key defined twice stops the import.

An entry is keyed ``part.what`` and holds a text per language with ``{name}`` fields the caller fills (numbers
formatted by the caller, as `formats` writes them), or, for a count phrase, a text per plural category
of the language, chosen by Babel's plural rule for the field ``n`` (``translate("cases.overdue_count", "sv", n=1)``
gives "1 ärende …", never "1 ärenden …"). Unit tests hold every key to both languages and the same fields.

Templates read the catalogue as ``t`` (a `Words`): ``t("page.what", name=...)``, and ``t.index`` for the words of
report and dashboard tables (``label.index``), so a dashboard partial and its PDF twin read the same keys.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from babel import Locale

from servicescore.texts import (
    api,
    cases,
    charts,
    console,
    dashboards,
    email,
    exports,
    frame,
    jobs,
    labels,
    mail,
    report,
    reports,
    sentences,
    visits,
)
from servicescore.texts.entry import Texts

LANGUAGES: Final = ("sv", "en")


def merged_catalogue(*parts: Texts) -> Texts:
    """One catalogue of every part's texts; a key two parts define is a programming error."""
    catalogue: Texts = {}
    for part in parts:
        if twice := catalogue.keys() & part.keys():
            raise ValueError(f"text keys defined twice: {sorted(twice)}")
        catalogue.update(part)
    return catalogue


CATALOGUE: Final = merged_catalogue(
    frame.TEXTS,
    console.TEXTS,
    dashboards.TEXTS,
    exports.TEXTS,
    cases.TEXTS,
    reports.TEXTS,
    api.TEXTS,
    visits.TEXTS,
    jobs.TEXTS,
    mail.TEXTS,
    email.TEXTS,
    labels.TEXTS,
    report.TEXTS,
    sentences.TEXTS,
    charts.TEXTS,
)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def plural_categories(language: str) -> frozenset[str]:
    """The plural categories a count phrase has in ``language`` (CLDR: "one" and "other" in sv and en)."""
    return _locale(language).plural_form.tags | {"other"}


def plural_category(n: int, language: str) -> str:
    """The CLDR plural category of ``n`` in ``language``: "one" for 1 in Swedish and English, else "other"."""
    return _locale(language).plural_form(n)


def translate(key: str, language: str, **values: object) -> str:
    """The catalogue text in the language, with ``{name}`` fields filled; a count phrase chosen by the field ``n``.
    An unknown key, or a count phrase without an integer ``n``, is a programming error."""
    text = CATALOGUE[key][language]
    if not isinstance(text, str):
        n = values["n"]
        if not isinstance(n, int):
            raise TypeError(f"{key}: a count phrase needs an integer n (got {n!r})")
        text = text[plural_category(n, language)]
    return text.format(**values) if values else text


class Words:
    """The catalogue in one language, as templates read it (``t``): ``t("page.what", name=...)`` for any text,
    ``t.index`` (or ``t["index"]``) for the table word ``label.index`` of reports and dashboards. It has no public
    attribute, so every ``t.name`` in a template is a word."""

    __slots__ = ("_language",)

    def __init__(self, language: str) -> None:
        self._language = language

    def __call__(self, key: str, /, **values: object) -> str:
        return translate(key, self._language, **values)

    def __getitem__(self, name: str) -> str:
        return translate(f"label.{name}", self._language)
