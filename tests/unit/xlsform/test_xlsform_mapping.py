"""One test per mapping rule: XLSForm rows in, instrument items out, with the notes each rule must list."""

from __future__ import annotations

from servicescore.definitions import parse_instrument
from servicescore.definitions.xlsform import convert_xlsform
from tests.support.xlsform_builders import LIKERT, convert, items, question, workbook_bytes


def test_likert_list_becomes_a_rating_with_labelled_ends_and_points_listed() -> None:
    result = convert(
        [
            question("select_one agree5", "staff", "Personalen?", "The staff?", appearance="likert"),
            question("select_one agree5", "guide", appearance="likert"),
        ]
    )
    assert result.ok, result.lines()
    item = items(result)["staff"]
    assert item["type"] == "rating"
    assert item["scale"] == {
        "min": 1,
        "max": 5,
        "labels": {
            "min": {"sv": "Instämmer inte alls", "en": "Strongly disagree"},
            "max": {"sv": "Instämmer helt", "en": "Strongly agree"},
        },
    }
    assert item["text"] == {"sv": "Personalen?", "en": "The staff?"}
    assert (
        "form.xlsx: survey row 2: 'staff' and every question on list 'agree5' became a 1–5 rating; answers are stored "
        "as points "
        "(strongly_disagree=1, disagree=2, neutral=3, agree=4, strongly_agree=5)" in result.lines()
    )
    assert not any("survey row 3" in line for line in result.lines())


def test_list_named_one_to_five_is_a_rating_without_a_points_note() -> None:
    choices = [["list_name", "name", "label::Svenska (sv)", "label::English (en)"]]
    choices += [["points", str(n), f"{n} sv", f"{n} en"] for n in range(1, 6)]
    result = convert([question("select_one points", "overall")], choices=choices)
    item = items(result)["overall"]
    assert (item["scale"]["min"], item["scale"]["max"]) == (1, 5)
    assert item["scale"]["labels"]["max"] == {"sv": "5 sv", "en": "5 en"}
    assert not any("stored as points" in line for line in result.lines())


def test_a_trailing_not_applicable_choice_becomes_na_allowed() -> None:
    choices = [*LIKERT, ["agree5", "dont_know", "Vet inte", "Don't know"]]
    result = convert([question("select_one agree5", "staff", appearance="likert")], choices=choices)
    item = items(result)["staff"]
    assert item["scale"]["max"] == 5
    assert item["scale"]["labels"]["max"]["en"] == "Strongly agree"
    assert item["na_allowed"] is True
    assert "form.xlsx: survey row 2: choice 'dont_know' of 'staff' became ServiceScore's 'not applicable' answer" in (
        result.lines()
    )
    numeric = [["list_name", "name", "label"], *[["s", str(n), str(n)] for n in (1, 2, 3, 4, 5, 99)]]
    assert items(convert([question("select_one s", "q")], choices=numeric))["q"]["na_allowed"] is True


def test_list_named_zero_to_ten_is_nps() -> None:
    choices = [["list_name", "name", "label::Svenska (sv)", "label::English (en)"]]
    choices += [["nps", str(n), str(n), str(n)] for n in range(11)]
    result = convert([question("select_one nps", "recommend")], choices=choices)
    assert items(result)["recommend"] == {
        "id": "recommend",
        "type": "nps",
        "text": {"sv": "recommend", "en": "recommend"},
        "labels": {"min": {"sv": "0", "en": "0"}, "max": {"sv": "10", "en": "10"}},
    }


def test_other_selects_become_choices_and_multiple_choices() -> None:
    choices = [
        ["list_name", "name", "label::Svenska (sv)", "label::English (en)"],
        ["party", "Alone", "Ensam", "Alone"],
        ["party", "family", "Familj", "Family"],
        ["party", "friends", "Vänner", "Friends"],
    ]
    result = convert(
        [question("select_one party", "with_whom"), question("select_multiple party", "met")], choices=choices
    )
    assert result.ok, result.lines()
    single, multiple = items(result)["with_whom"], items(result)["met"]
    assert single["type"] == "choice"
    assert "multiple" not in single
    assert [choice["value"] for choice in single["choices"]] == ["alone", "family", "friends"]
    assert single["choices"][1]["text"] == {"sv": "Familj", "en": "Family"}
    assert multiple["multiple"] is True
    assert "form.xlsx: choices row 2: choice name 'Alone' is stored as 'alone'" in result.lines()


def test_range_becomes_rating_nps_or_number() -> None:
    result = convert(
        [
            question("range", "stars", parameters="start=1 end=5"),
            question("range", "likely", parameters="start=0;end=10;step=1"),
            question("range", "wide", parameters="Start=3 End=14 STEP=2"),
            question("range", "default_range"),
        ]
    )
    found = items(result)
    assert found["stars"]["scale"] == {"min": 1, "max": 5}
    assert found["likely"]["type"] == "nps"
    assert found["wide"] == {
        "id": "wide", "type": "number", "text": {"sv": "wide", "en": "wide"}, "min": 3, "max": 14, "integer": True,
    }  # fmt: skip
    assert found["default_range"]["scale"] == {"min": 1, "max": 10}  # pyxform's defaults: start 1, end 10
    assert any("survey row 4: range 'wide' (3 to 14, step 2) does not fit" in line for line in result.lines())


def test_integer_and_decimal_become_numbers_with_simple_limits() -> None:
    result = convert(
        [
            question("integer", "visits", constraint=". >= 0 and . <= 20"),
            question("integer", "age", constraint="(. > 0) and (. < 120)"),
            question("decimal", "spent", constraint=". >= 0"),
            question("decimal", "rate"),
        ]
    )
    found = items(result)
    assert (found["visits"]["min"], found["visits"]["max"], found["visits"]["integer"]) == (0, 20, True)
    assert (found["age"]["min"], found["age"]["max"]) == (1, 119)
    assert found["spent"] == {"id": "spent", "type": "number", "text": {"sv": "spent", "en": "spent"}, "min": 0}
    assert found["rate"]["type"] == "number"


def test_text_with_a_length_constraint() -> None:
    result = convert([question("text", "comment", constraint="string-length(.) <= 200"), question("text", "name")])
    assert items(result)["comment"]["max_length"] == 200
    assert items(result)["name"] == {"id": "name", "type": "text", "text": {"sv": "name", "en": "name"}}


def test_groups_become_sections_and_loose_items_a_default_section() -> None:
    result = convert(
        [
            question("text", "first"),
            question("begin group", "the_visit", "Besöket", "The visit"),
            question("text", "inside"),
            question("end group", ""),
            question("text", "last"),
        ]
    )
    assert result.document is not None
    sections = [(section["id"], [item["id"] for item in section["items"]]) for section in result.document["sections"]]
    assert sections == [("questions", ["first"]), ("the_visit", ["inside"]), ("questions_2", ["last"])]
    assert result.document["sections"][1]["title"] == {"sv": "Besöket", "en": "The visit"}
    assert result.document["sections"][0]["title"] == {"sv": "Frågor", "en": "Questions"}
    assert result.groups == {"questions": None, "the_visit": "the_visit", "questions_2": None}


def test_note_is_left_out_and_listed() -> None:
    result = convert([question("note", "intro", en="Welcome to our survey"), question("text", "q")])
    assert list(items(result)) == ["q"]
    assert "form.xlsx: survey row 2: note 'intro' (\"Welcome to our survey\") is not a question; it is left out" in (
        result.lines()
    )


def test_required_values() -> None:
    rows = [question("text", f"q{n}", required=value) for n, value in enumerate(["yes", "true()", "TRUE", "no", ""])]
    found = items(convert(rows))
    assert [found[f"q{n}"].get("required", False) for n in range(5)] == [True, True, True, False, False]


def test_relevant_forms_become_show_if() -> None:
    choices = [
        *LIKERT,
        ["party", "alone", "Ensam", "Alone"],
        ["party", "family", "Familj", "Family"],
    ]
    result = convert(
        [
            question("select_one party", "with_whom"),
            question("select_multiple party", "met"),
            question("range", "score", parameters="start=1 end=5"),
            question("select_one agree5", "staff", appearance="likert"),
            question("text", "a", relevant="${with_whom} = 'family'"),
            question("text", "b", relevant="selected(${met}, 'alone') or selected(${met}, 'family')"),
            question("text", "c", relevant="${score} >= 3"),
            question("text", "d", relevant="${score} <= 2"),
            question("text", "e", relevant="${score} > 1 and ${score} < 5"),
            question("text", "f", relevant="${staff} = 'agree'"),
            question("text", "g", relevant="selected(${with_whom}, 'alone')"),
        ],
        choices=choices,
    )
    assert result.ok, result.lines()
    found = items(result)
    assert found["a"]["show_if"] == {"item": "with_whom", "equals": "family"}
    assert found["b"]["show_if"] == {"item": "met", "in": ["alone", "family"]}
    assert found["c"]["show_if"] == {"item": "score", "at_least": 3}
    assert found["d"]["show_if"] == {"item": "score", "at_most": 2}
    assert found["e"]["show_if"] == {"item": "score", "at_least": 2, "at_most": 4}
    assert found["f"]["show_if"] == {"item": "staff", "equals": 4}  # the point 'agree' became
    assert found["g"]["show_if"] == {"item": "with_whom", "equals": "alone"}


def test_group_relevant_applies_to_its_questions() -> None:
    result = convert(
        [
            question("integer", "visits"),
            question("begin group", "again", relevant="${visits} >= 2"),
            question("text", "why"),
            question("text", "own", relevant="${visits} <= 5"),
            question("end group", ""),
        ]
    )
    found = items(result)
    assert found["why"]["show_if"] == {"item": "visits", "at_least": 2}
    assert found["own"]["show_if"] == {"item": "visits", "at_most": 5}
    assert any("survey row 5: the condition of group 'again' cannot be combined" in line for line in result.lines())


def test_settings_give_id_and_title_and_id_can_be_overridden() -> None:
    result = convert([question("text", "q")])
    assert result.document is not None
    assert result.document["id"] == "museum-visit-2026"
    assert result.document["title"] == {"sv": "Museibesöket", "en": "Museibesöket"}
    assert "form.xlsx: settings: form_id 'Museum Visit 2026' became the instrument id 'museum-visit-2026'" in (
        result.lines()
    )
    assert convert([question("text", "q")], instrument_id="visit", kind="scorecard").document == {
        **result.document, "id": "visit", "kind": "scorecard",
    }  # fmt: skip


def test_language_columns_plain_label_and_missing_cells() -> None:
    header = ["type", "name", "label", "label::English (en)", "hint::Svenska (sv)", "hint::English (en)"]
    rows = [
        header,
        ["text", "q1", "Hur var det?", "How was it?", "Skriv fritt", "Write freely"],
        ["text", "q2", "", "Only English", "", "Hint only in English"],
    ]
    result = convert_xlsform(workbook_bytes({"survey": rows, "choices": LIKERT}), "f.xlsx")
    found = items(result)
    assert found["q1"]["text"] == {"sv": "Hur var det?", "en": "How was it?"}
    assert found["q1"]["help"] == {"sv": "Skriv fritt", "en": "Write freely"}
    assert found["q2"]["text"] == {"sv": "Only English", "en": "Only English"}
    assert found["q2"]["help"] == {"sv": "Hint only in English", "en": "Hint only in English"}
    lines = result.lines()
    assert (
        "f.xlsx: survey: column 'label' names no language; it was used as the Swedish text, check that it is" in lines
    )
    assert "f.xlsx: survey row 3: hint::Svenska (sv) is empty; the English hint was copied, translate it" in lines


def test_every_result_passes_the_projects_own_validation() -> None:
    result = convert([question("select_one agree5", "staff", required="yes"), question("text", "why")])
    assert result.document is not None
    instrument = parse_instrument(result.document)
    assert [item.id for _, item in instrument.items()] == ["staff", "why"]
