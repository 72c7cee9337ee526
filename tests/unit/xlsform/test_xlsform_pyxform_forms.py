"""Forms written by others (pyxform's tests, the XLSForm documentation), imported and cross-checked with pyxform.

pyxform and ServiceScore must see the same questions, in the same order, with the same types, groups, required
flags and choice lists; every question pyxform sees that the import does not keep must be listed as a problem.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pyxform.xls2json import parse_file_to_json
from pyxform.xls2json_backends import md_table_to_workbook

from servicescore.definitions import parse_instrument
from servicescore.definitions.xlsform import Conversion, convert_xlsform_file, instrument_yaml
from servicescore.definitions.xlsform.names import choice_value
from servicescore.definitions.yaml_source import parse_yaml

DATA = Path(__file__).resolve().parents[2] / "data" / "xlsform"
sys.path.insert(0, str(DATA))
from pyxform_forms import FORMS  # noqa: E402

# pyxform's type → the item types the import may turn it into.
COMPATIBLE = {
    "text": {"text"},
    "string": {"text"},
    "phone number": {"text"},
    "integer": {"number"},
    "decimal": {"number"},
    "select one": {"choice", "rating", "nps"},
    "select all that apply": {"choice"},
    "range": {"rating", "nps", "number"},
}
CONTAINERS = {"group", "repeat", "loop"}


@dataclass(frozen=True)
class Seen:
    """One question as pyxform reads it."""

    name: str
    type: str
    group: str | None  # the innermost group, repeat or loop
    required: bool
    relevant: bool  # its own or an enclosing group's
    choices: tuple[str, ...]


def pyxform_questions(path: Path) -> list[Seen]:
    return list(_walk(parse_file_to_json(str(path))["children"], None, relevant=False))


def _walk(children: list[dict[str, Any]], group: str | None, *, relevant: bool) -> Iterator[Seen]:
    for child in children:
        bind = child.get("bind") or {}
        if child.get("control", {}).get("bodyless"):
            continue  # pyxform's own meta group (instanceID)
        inherited = relevant or bool(bind.get("relevant"))
        if child["type"] in CONTAINERS:
            yield from _walk(child.get("children", []), child["name"], relevant=inherited)
            continue
        yield Seen(
            name=child["name"],
            type=child["type"],
            group=group,
            required=str(bind.get("required", "")).lower() in ("yes", "true", "true()"),
            relevant=inherited,
            choices=tuple(choice["name"] for choice in child.get("choices", [])),
        )


def our_items(conversion: Conversion) -> list[tuple[dict[str, Any], str | None]]:
    assert conversion.document is not None
    return [
        (item, conversion.groups[section["id"]])
        for section in conversion.document["sections"]
        for item in section["items"]
    ]


@pytest.fixture(params=sorted(FORMS))
def form(request: pytest.FixtureRequest) -> Path:
    return DATA / f"{request.param}.xlsx"


def test_there_are_at_least_five_forms_written_by_others() -> None:
    assert len(FORMS) >= 5
    assert all(source.startswith("XLSForm/") for source, _ in FORMS.values())
    authors = {source.split(":")[0] for source, _ in FORMS.values()}
    assert authors == {"XLSForm/pyxform", "XLSForm/xlsform.github.io"}


def test_each_fixture_is_what_pyxform_builds_from_its_table(form: Path, tmp_path: Path) -> None:
    fresh = tmp_path / form.name
    md_table_to_workbook(FORMS[form.stem][1]).save(fresh)
    assert _cells(fresh) == _cells(form), "run python tests/data/xlsform/generate.py"


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_imports_and_round_trips_through_yaml(form: Path) -> None:
    conversion = convert_xlsform_file(form)
    assert conversion.ok, conversion.lines()
    assert conversion.document is not None
    text = instrument_yaml(conversion)
    assert "&id" not in text  # no YAML anchors: each item reads on its own
    written = parse_yaml(text)
    assert written == conversion.document
    instrument = parse_instrument(written, str(form))
    assert len(list(instrument.items())) == len(our_items(conversion))


def test_same_questions_types_groups_and_required_flags_as_pyxform(form: Path) -> None:
    conversion = convert_xlsform_file(form)
    lines = conversion.lines()
    ours = our_items(conversion)
    matched = 0
    for seen in pyxform_questions(form):
        if matched < len(ours) and conversion.names[ours[matched][0]["id"]] == seen.name:
            item, group = ours[matched]
            matched += 1
            assert item["type"] in COMPATIBLE[seen.type], (seen, item)
            assert group == seen.group, (seen, group)
            assert item.get("required", False) == seen.required, seen
            if "show_if" in item:
                assert seen.relevant, seen
            if item["type"] == "choice":
                assert [choice["value"] for choice in item["choices"]] == [choice_value(c) for c in seen.choices]
                assert item.get("multiple", False) == (seen.type == "select all that apply")
            continue
        # pyxform sees a question the import did not keep: it must be listed (an "other" box with its select).
        listed = seen.name.removesuffix("_other") if seen.type == "text" else seen.name
        assert any(f"'{listed}'" in line for line in lines), (seen, lines)
    assert matched == len(ours), "the import kept questions pyxform does not see"


def test_relevant_seen_by_pyxform_is_kept_or_listed(form: Path) -> None:
    conversion = convert_xlsform_file(form)
    kept = {conversion.names[item["id"]] for item, _ in our_items(conversion) if "show_if" in item}
    for seen in pyxform_questions(form):
        if seen.relevant and seen.name in conversion.names.values() and seen.name not in kept:
            assert any('relevant "' in line for line in conversion.lines()), seen


def test_what_the_pyxform_forms_become() -> None:
    """A few forms checked item by item, so the cross-check above cannot pass by matching nothing."""
    group = convert_xlsform_file(DATA / "group.xlsx")
    assert [(item["id"], item["type"], section) for item, section in our_items(group)] == [
        ("family_name", "text", None),
        ("phone_number", "text", "father"),
        ("age", "number", "father"),
    ]
    relevant = convert_xlsform_file(DATA / "group_relevant.xlsx")
    assert our_items(relevant)[1][0]["show_if"] == {"item": "q1", "equals": 1}
    nested = convert_xlsform_file(DATA / "nested_groups.xlsx")
    assert [item["id"] for item, _ in our_items(nested)] == ["q1", "g1_q1", "q2"]
    assert [section for _, section in our_items(nested)] == ["g1", "g1", "g2"]
    assert nested.document is not None
    assert [section["id"] for section in nested.document["sections"]] == ["g1", "g1_2", "g2"]
    ranged = convert_xlsform_file(DATA / "range_parameters.xlsx")
    assert our_items(ranged)[0][0]["scale"] == {"min": 1, "max": 10}
    loop = convert_xlsform_file(DATA / "loop.xlsx")
    assert [item["id"] for item, _ in our_items(loop)] == ["available_toilet_types", "number"]
    assert our_items(loop)[0][0]["multiple"] is True
    insensitive = convert_xlsform_file(DATA / "case_insensitivity.xlsx")
    assert insensitive.document is not None
    assert insensitive.document["id"] == "yesno"
    assert insensitive.document["title"] == {"sv": "Yes or no", "en": "Yes or no"}
    assert [item["id"] for item, _ in our_items(insensitive)] == ["q1"]
    skipping = convert_xlsform_file(DATA / "docs_skipping.xlsx")
    assert [item.get("show_if") for item, _ in our_items(skipping)] == [
        None, {"item": "age", "at_most": 5}, {"item": "age", "at_most": 5},
    ]  # fmt: skip
    pizza = convert_xlsform_file(DATA / "docs_relevant.xlsx")
    assert [item.get("show_if") for item, _ in our_items(pizza)] == [
        None, {"item": "likes_pizza", "equals": "yes"}, {"item": "favorite_topping", "equals": "cheese"},
    ]  # fmt: skip
    required = convert_xlsform_file(DATA / "docs_required.xlsx")
    assert our_items(required)[0][0] == {
        "id": "age", "type": "number", "required": True, "text": {"sv": "How old are you?", "en": "How old are you?"},
        "integer": True, "max": 150,
    }  # fmt: skip
