"""Report definitions and brands: the shipped ones load; broken ones fail with ``file: path: message``."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from servicescore.definitions import DefinitionError
from servicescore.definitions.reports.loading import check_reports, load_brand, load_report
from servicescore.settings import Settings

GOOD = """\
id: client
kind: client
title: {sv: Servicerapport, en: Service report}
instrument: visitor-survey
blocks:
  - cover
  - type: comments
    limit: 5
"""


def _check(tmp_path: Path, text: str, instruments: list[str] | None = None) -> list[str]:
    path = tmp_path / "broken.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return [line.replace(str(tmp_path) + "/", "") for line in check_reports([path], instruments)]


def test_the_shipped_reports_are_valid_and_name_existing_instruments() -> None:
    settings = Settings()
    instruments = [p.stem for p in settings.surveys_dir.glob("*.yaml")]
    assert check_reports([settings.reports_dir], instruments) == []
    client = load_report(settings.reports_dir, "client")
    assert client.kind == "client"
    assert client.peers == "anonymised"
    assert [b.type for b in client.blocks][:3] == ["cover", "contents", "executive_summary"]
    assert load_report(settings.reports_dir, "comparison").peers == "anonymised"  # only the compared are named
    assert load_report(settings.reports_dir, "industry").kind == "industry"


def test_a_good_definition_in_short_and_long_block_form(tmp_path: Path) -> None:
    assert _check(tmp_path, GOOD, ["visitor-survey"]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("type: comments", "type: coments"), "broken.yaml: blocks[1].type: must be one of"),
        (GOOD.replace("limit: 5", "limit: 0"), "broken.yaml: blocks[1].limit: must be 1 or more (got 0) (line 8)"),
        (GOOD.replace("kind: client", "kind: cliant"), "broken.yaml: kind: must be one of 'client', 'comparison' or"),
        (GOOD.replace("title: {sv: Servicerapport, en: Service report}", "title: {sv: Servicerapport}"),
         "broken.yaml: title.en: missing English text (en); every text needs both sv and en (line 3)"),
        (GOOD.replace("  - cover\n", "  - cover\n  - comparison\n"),
         "broken.yaml: blocks[1].type: a comparison block needs a report of kind comparison (this is client) (line 7)"),
        (GOOD.replace("  - cover\n", "  - cover\n  - cover\n"), "broken.yaml: blocks[1].type: the cover block"),
        (GOOD + "colour: red\n", "broken.yaml: colour: unknown field 'colour'"),
        (GOOD.replace("instrument: visitor-survey", "instrument: Visitor Survey"),
         "broken.yaml: instrument[0]: must be lowercase letters and digits joined by single hyphens"),
        (GOOD.replace("kind: client", "kind: client\npeers: named"), "broken.yaml: peers: a client report shows peers"),
        (GOOD.replace("  - cover", "  - cover\n   oops: [") , "broken.yaml: line 7, column"),
        ("", "broken.yaml: (top level): must be a mapping of fields (key: value) (got nothing)"),
        (GOOD.replace("    limit: 5", "    limit: 5\n    employee_instrument: employee-pulse"),
         "broken.yaml: blocks[1]: employee_instrument belongs to a mirror block only"),
    ],
)  # fmt: skip
def test_broken_definitions_point_home(tmp_path: Path, text: str, expected: str) -> None:
    lines = _check(tmp_path, text)
    assert any(line.startswith(expected) for line in lines), lines


def test_an_unknown_instrument_is_named_with_the_choices(tmp_path: Path) -> None:
    lines = _check(tmp_path, GOOD.replace("visitor-survey", "visiter-survey"), ["guided-tour", "visitor-survey"])
    assert lines == [
        "broken.yaml: instrument[0]: no instrument 'visiter-survey' in surveys/; "
        "use one of: guided-tour, visitor-survey"
    ]


def test_load_report_raises_with_every_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(GOOD.replace("kind: client", "kind: nope"), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_report(tmp_path, "bad")
    assert caught.value.lines[0].endswith(
        "kind: must be one of 'client', 'comparison' or 'industry' (got 'nope') (line 2)"
    )


def test_brands_fall_back_and_inherit_the_font(tmp_path: Path) -> None:
    brands = Settings().reports_dir / "brands"
    zorn = load_brand(brands, "zorngarden")
    assert zorn.colours.primary == "#7a2e1f"
    assert zorn.logo.name == "logo.svg"
    assert zorn.font_family == "Source Sans 3"
    assert set(zorn.font_files) == {"regular", "italic", "semibold", "bold"}
    assert all(path.is_file() for path in zorn.font_files.values())
    assert load_brand(brands, "no-such-brand").key == "servicescore"
    assert load_brand(brands, None).name == "ServiceScore"


def test_a_brand_cannot_point_outside_its_folder(tmp_path: Path) -> None:
    brands = tmp_path / "brands"
    for name, logo in (("servicescore", "logo.svg"), ("evil", "../../etc/passwd.svg")):
        (brands / name).mkdir(parents=True)
        (brands / name / "logo.svg").write_text("<svg/>")
        (brands / name / "font.woff2").write_bytes(b"x")
        font = "font: {family: X, licence: OFL, files: {regular: font.woff2}}\n" if name == "servicescore" else ""
        (brands / name / "brand.yaml").write_text(
            f"name: {name}\ncolours: {{primary: '#000000', accent: '#ffffff'}}\nlogo: {logo}\n{font}"
        )
    with pytest.raises(
        DefinitionError, match=re.escape("logo: '../../etc/passwd.svg' is not a file inside the brand's folder")
    ):
        load_brand(brands, "evil")
