"""The one catalogue (``servicescore.texts``): every key in both languages with the same fields, count phrases in
the plural forms Babel's rules ask for, and every key that code and templates name is there."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from servicescore.texts import (
    CATALOGUE,
    LANGUAGES,
    Words,
    merged_catalogue,
    plural_categories,
    plural_category,
    translate,
)
from servicescore.texts.entry import Text, Texts

ROOT = Path(__file__).resolve().parents[2]


def _fields(text: Text) -> set[str]:
    """The ``{name}`` fields of a text, or of all forms of a count phrase."""
    forms = [text] if isinstance(text, str) else list(text.values())
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


def test_every_key_has_both_languages_and_the_same_fields() -> None:
    one_language = {key: sorted(texts) for key, texts in CATALOGUE.items() if set(texts) != set(LANGUAGES)}
    assert one_language == {}
    empty = [key for key, texts in CATALOGUE.items() for text in texts.values()
             if not all(form.strip() for form in ([text] if isinstance(text, str) else text.values()))]  # fmt: skip
    assert empty == []
    differ = {key: (_fields(texts["sv"]), _fields(texts["en"]))
              for key, texts in CATALOGUE.items() if _fields(texts["sv"]) != _fields(texts["en"])}  # fmt: skip
    assert differ == {}


def test_count_phrases_have_exactly_the_plural_forms_of_their_language() -> None:
    wrong = {
        (key, language): sorted(text)
        for key, texts in CATALOGUE.items()
        for language, text in texts.items()
        if not isinstance(text, str) and set(text) != plural_categories(language)
    }
    assert wrong == {}
    assert plural_categories("sv") == plural_categories("en") == {"one", "other"}


def test_keys_are_dotted_lowercase_names() -> None:
    assert [key for key in CATALOGUE if not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", key)] == []


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("sv", 0, "0 ärenden har passerat sin tidsgräns utan kontakt."),
        ("sv", 1, "1 ärende har passerat sin tidsgräns utan kontakt."),
        ("sv", 2, "2 ärenden har passerat sin tidsgräns utan kontakt."),
        ("sv", 5, "5 ärenden har passerat sin tidsgräns utan kontakt."),
        ("en", 0, "0 cases are past their due time without contact."),
        ("en", 1, "1 case is past its due time without contact."),
        ("en", 2, "2 cases are past their due time without contact."),
        ("en", 5, "5 cases are past their due time without contact."),
    ],
)
def test_a_count_phrase_takes_the_form_of_its_number(language: str, n: int, expected: str) -> None:
    assert translate("cases.overdue_count", language, n=n) == expected


@pytest.mark.parametrize(
    ("key", "language", "forms"),
    [
        ("console.in_use.collections", "sv", ("0 insamlingar", "1 insamling", "2 insamlingar", "5 insamlingar")),
        ("console.in_use.collections", "en", ("0 collections", "1 collection", "2 collections", "5 collections")),
        ("dashboard.mirror.units", "sv", ("0 enheter", "1 enhet", "2 enheter", "5 enheter")),
        ("dashboard.mirror.units", "en", ("0 units", "1 unit", "2 units", "5 units")),
    ],
)
def test_other_count_phrases_follow_babel(key: str, language: str, forms: tuple[str, ...]) -> None:
    assert tuple(translate(key, language, n=n) for n in (0, 1, 2, 5)) == forms
    assert [plural_category(n, language) for n in (0, 1, 2, 5)] == ["other", "one", "other", "other"]


def test_a_count_phrase_without_its_number_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match=r"cases\.overdue_count: a count phrase needs an integer n"):
        translate("cases.overdue_count", "sv", n="3")
    with pytest.raises(KeyError):
        translate("no.such.key", "sv")


def test_templates_read_one_catalogue_as_t() -> None:
    t = Words("sv")
    assert t("login.failed", minutes=15).startswith("Fel användarnamn eller lösenord")
    assert t["interval"] == t("label.interval") == "95 % intervall"
    assert Words("en")["interval"] == "95% interval"


def test_parts_merge_and_a_key_defined_twice_stops_the_import() -> None:
    part: Texts = {"part.heading": {"sv": "Rubrik", "en": "Heading"}}
    assert merged_catalogue(CATALOGUE, part)["part.heading"]["sv"] == "Rubrik"
    with pytest.raises(ValueError, match=r"defined twice: \['site.name'\]"):
        merged_catalogue(CATALOGUE, {"site.name": {"sv": "x", "en": "x"}})


# Keys named in full: t("a.b", …) / translate("a.b", …) in code and templates, and t.word / t["word"] (label.word).
_CALLED = re.compile(
    r"""(?<![\w.])(?:b\.|self\.|builder\.)?(?:t|translate)\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']\s*[,)]"""
)
_WORD = re.compile(r"""(?<![\w.])(?:b\.|self\.|builder\.)?t(?:\.([a-z][a-z0-9_]*)\b(?!\()|\[["']([a-z0-9_]+)["']\])""")


def _named_keys() -> dict[str, set[str]]:
    files = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "templates").rglob("*.txt"),
             *(ROOT / "templates").rglob("*.css"),
             *(p for p in (ROOT / "servicescore").rglob("*.py") if "texts" not in p.parts)]  # fmt: skip
    named: dict[str, set[str]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        keys = set(_CALLED.findall(text))
        if path.suffix != ".py" or "self.t = " in text or "b: Builder" in text or "builder.t" in text:
            keys |= {f"label.{word or item}" for word, item in _WORD.findall(text)}
        if keys:
            named[str(path.relative_to(ROOT))] = keys
    return named


def test_every_key_code_and_templates_name_is_in_the_catalogue() -> None:
    named = _named_keys()
    assert {"label.index", "label.interval", "cases.overdue_count", "chart.trend", "email.button"} <= set().union(
        *named.values()
    )  # the reader finds what it must
    missing = {path: sorted(keys - CATALOGUE.keys()) for path, keys in named.items() if keys - CATALOGUE.keys()}
    assert missing == {}
