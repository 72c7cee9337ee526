"""Each case breaks one thing in a shipped file; check must name the file, the path inside it and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicescore.definitions import DefinitionError, check_paths, load_instrument, load_instruments
from tests.support.broken_surveys import BrokenCopy

# (case, shipped source, replacements, expected path inside the file, message fragment)
CASES: list[tuple[str, str, list[tuple[str, str]], str, str]] = [
    ("invalid yaml", "guided-tour", [("kind: scorecard", "kind: [scorecard")], "line 6, column 6", "invalid YAML"),
    ("duplicate yaml key", "visitor-survey", [("kind: survey\n", "kind: survey\nkind: survey\n")],
     "line 6, column 1", "duplicate key 'kind'"),
    ("top level a list", "employee-pulse", [("id: employee-pulse", "- id: employee-pulse")],
     "line 5, column 1", "invalid YAML"),
    ("unknown top-level field", "guided-tour", [("kind: scorecard\n", "kind: scorecard\nkinds: survey\n")],
     "kinds", "unknown field 'kinds'; did you mean 'kind'?"),
    ("unknown item field", "guided-tour", [("max_count: 2", "max_cout: 2")],
     "sections[0].items[0].max_cout", "did you mean 'max_count'?"),
    ("unknown item type", "guided-tour", [("type: photo", "type: picture")],
     "sections[0].items[0].type", "unknown item type 'picture'"),
    ("item without type", "guided-tour", [("        type: photo\n", "")],
     "sections[0].items[0].type", "item has no type"),
    ("missing required field", "mystery-call", [("kind: scorecard\n", "")], "kind", "required field 'kind' is missing"),
    ("wrong kind", "employee-pulse", [("kind: survey", "kind: questionnaire")], "kind", "must be one of 'survey' or"),
    ("bad instrument id", "guided-tour", [("id: guided-tour", "id: Guided Tour")], "id", "joined by single hyphens"),
    ("bad item id", "guided-tour", [("id: entrance_photo", "id: entrance-photo")],
     "sections[0].items[0].id", "lowercase letters, digits and underscores"),
    ("duplicate item id", "guided-tour", [("id: group_welcomed", "id: started_on_time")],
     "sections[0].items[2].id", "duplicate item id 'started_on_time' (also sections[0].items[1])"),
    ("duplicate item id across sections", "employee-pulse", [("id: systems_support", "id: motivated")],
     "sections[1].items[0].id", "duplicate item id 'motivated'"),
    ("duplicate section id", "guided-tour", [("  - id: closing", "  - id: welcome")],
     "sections[5].id", "duplicate section id 'welcome' (also sections[0])"),
    ("show_if unknown item", "visitor-survey", [("item: recommend", "item: recomend")],
     "sections[2].items[2].show_if.item", "no item 'recomend' in this instrument; did you mean 'recommend'?"),
    ("show_if later item", "mystery-call", [("item: transfers", "item: problem_solved")],
     "sections[2].items[1].show_if.item", "comes later in the instrument"),
    ("show_if itself", "channel-audit", [("item: chat_available", "item: chat_works")],
     "sections[1].items[1].show_if.item", "cannot depend on its own answer"),
    ("show_if value not a choice", "visitor-survey",
     [("item: recommend\n          at_least: 9", "item: visit_type\n          equals: second_visit")],
     "sections[2].items[3].show_if.equals", "'second_visit' is not a choice of item 'visit_type'"),
    ("show_if number on yes_no", "mystery-call", [("equals: false", "equals: 0")],
     "sections[2].items[4].show_if.equals", "compared with equals: true or equals: false (got 0)"),
    ("show_if outside nps range", "visitor-survey", [("at_most: 6", "at_most: 11")],
     "sections[2].items[2].show_if.at_most", "outside the answers item 'recommend' allows (0–10)"),
    ("show_if without a test", "visitor-survey", [("          at_most: 6\n", "")],
     "sections[2].items[2].show_if", "needs one of equals, in, at_most or at_least"),
    ("scale min not below max", "guided-tour",
     [("        scale:\n          labels:", "        scale:\n          min: 3\n          max: 1\n          labels:")],
     "sections[0].items[4].scale.max", "must be greater than min (got 1, min is 3)"),
    ("missing English", "guided-tour", [("          en: How did the welcome feel?\n", "")],
     "sections[0].items[4].text.en", "missing English text (en)"),
    ("missing Swedish", "channel-audit", [("      sv: Telefon\n", "")], "sections[0].title.sv", "missing Swedish text"),
    ("empty text", "guided-tour", [("sv: Mottagande", "sv: '  '")], "sections[0].title.sv", "must not be empty"),
    ("plain string as text", "employee-pulse",
     [("title:\n  sv: Medarbetarpuls\n  en: Employee pulse", "title: Medarbetarpuls")],
     "title", "needs both a Swedish and an English text"),
    ("item weight zero", "guided-tour", [("weight: 2", "weight: 0")],
     "sections[0].items[4].weight", "must be greater than 0 (got 0)"),
    ("section weight negative", "channel-audit", [("    weight: 2\n", "    weight: -1\n")],
     "sections[0].weight", "must be greater than 0 (got -1)"),
    ("one choice only", "visitor-survey",
     [("          - value: returning\n            text:\n              sv: Nej, jag har varit här förut\n"
       "              en: No, I have been here before\n", "")],
     "sections[0].items[0].choices", "needs at least 2 entries"),
    ("duplicate choice value", "visitor-survey", [("value: returning", "value: first_visit")],
     "sections[0].items[0].choices[1].value", "duplicate choice value 'first_visit'"),
    ("number min not below max", "mystery-call", [("max: 20", "max: 0")],
     "sections[2].items[0].max", "must be greater than min (got 0, min is 0)"),
    ("negative points", "mystery-call", [("points: 2", "points: -1")],
     "sections[2].items[3].points", "must be 0 or more (got -1)"),
    ("outcome on yes_no", "visitor-survey",
     [("        scored: false\n", "        scored: false\n        role: outcome\n")],
     "sections[3].items[0].role", "role 'outcome' is only for rating and nps items"),
    ("N/A on a text item", "employee-pulse", [("max_length: 1500", "max_length: 1500\n        na_allowed: true")],
     "sections[4].items[2].na_allowed", "a text item cannot be answered N/A"),
    ("text too long allowed", "guided-tour", [("max_length: 3000", "max_length: 20000")],
     "sections[5].items[5].max_length", "must be 10000 or less (got 20000)"),
    ("no sections", "guided-tour", [("\nsections:\n", "\nsections: []\nold_sections:\n")],
     "sections", "needs at least 1 entry"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "replacements", "path", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_copy_is_reported_with_file_path_and_fix(
    broken_copy: BrokenCopy, source: str, replacements: list[tuple[str, str]], path: str, fragment: str
) -> None:
    broken = broken_copy(source, replacements)
    problems = check_paths([broken])
    prefix = f"{broken}: {path}: "
    matching = [line for line in problems if line.startswith(prefix)]
    assert matching, problems
    assert fragment in matching[0]
    assert f"{source}.yaml" in matching[0]
    with pytest.raises(DefinitionError) as raised:
        load_instrument(broken)
    assert raised.value.lines == problems


def test_enough_distinct_cases() -> None:
    assert len({(c[3], c[4]) for c in CASES}) == len(CASES) >= 18


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing but a comment\n")
    assert check_paths([empty]) == [
        f"{empty}: (top level): the file is empty; an instrument needs id, kind, title and sections"
    ]


def test_top_level_not_a_mapping(tmp_path: Path) -> None:
    listed = tmp_path / "list.yaml"
    listed.write_text("- guided-tour\n- visitor-survey\n")
    assert check_paths([listed]) == [
        f"{listed}: (top level): must be a mapping with id, kind, title and sections (got a list)"
    ]


def test_missing_file(tmp_path: Path) -> None:
    assert check_paths([tmp_path / "nowhere.yaml"]) == [
        f"{tmp_path / 'nowhere.yaml'}: (file): file not found; check the path"
    ]


def test_every_problem_in_one_file_is_reported(broken_copy: BrokenCopy) -> None:
    broken = broken_copy(
        "guided-tour",
        [
            ("weight: 2", "weight: -1"),
            ("          en: Photograph the entrance and the information at the ticket desk.\n", ""),
            ("max_length: 3000", "max_lenght: 3000"),
            ("type: duration", "type: time"),
        ],
    )
    assert check_paths([broken]) == [
        f"{broken}: sections[0].items[0].text.en: missing English text (en); every text needs both sv and en (line 29)",
        f"{broken}: sections[0].items[4].weight: must be greater than 0 (got -1) (line 59)",
        f"{broken}: sections[5].items[2].type: unknown item type 'time'; use one of: "
        "rating, nps, yes_no, choice, text, number, duration, photo (line 244)",
        f"{broken}: sections[5].items[5].max_lenght: unknown field 'max_lenght'; did you mean 'max_length'? (line 276)",
    ]


def test_every_consistency_problem_is_reported(broken_copy: BrokenCopy) -> None:
    broken = broken_copy("mystery-call", [("id: courtesy", "id: listening"), ("item: problem_solved", "item: solved")])
    problems = check_paths([broken])
    assert [line.split(": ")[1] for line in problems] == [
        "sections[1].items[2].id",
        "sections[2].items[4].show_if.item",
    ]


def test_duplicate_instrument_id_across_files(surveys_dir: Path, tmp_path: Path) -> None:
    for name in ("a-tour.yaml", "b-tour.yml"):
        (tmp_path / name).write_text((surveys_dir / "guided-tour.yaml").read_text(encoding="utf-8"))
    (tmp_path / "notes.txt").write_text("not an instrument")
    assert check_paths([tmp_path]) == [
        f"{tmp_path / 'b-tour.yml'}: id: instrument id 'guided-tour' is already used by {tmp_path / 'a-tour.yaml'}; "
        "give each instrument its own id"
    ]
    with pytest.raises(DefinitionError, match="already used"):
        load_instruments(tmp_path)


def test_a_folder_without_instruments_is_a_problem(tmp_path: Path) -> None:
    assert check_paths([tmp_path]) == [
        f"{tmp_path}: (folder): no .yaml or .yml files here; add an instrument or name a file"
    ]


def test_yaml_yes_and_no_read_as_booleans_get_a_quoting_hint(broken_copy: BrokenCopy) -> None:
    broken = broken_copy("visitor-survey", [("en: Yes, it is my first visit", "en: Yes")])
    (line,) = check_paths([broken])
    assert line.startswith(f"{broken}: sections[0].items[0].choices[0].text.en: must be a text (got True); ")
    assert "so put it in quotes" in line
