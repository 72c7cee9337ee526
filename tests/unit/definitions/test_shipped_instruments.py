from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from servicescore.definitions import ITEM_TYPES, check_paths, load_instruments

SHIPPED = ("channel-audit", "employee-pulse", "guided-tour", "mystery-call", "visitor-survey")


def test_every_shipped_file_passes_check(surveys_dir: Path) -> None:
    files = sorted(surveys_dir.glob("*.yaml"))
    assert [path.stem for path in files] == list(SHIPPED)
    assert check_paths(files) == []


def test_shipped_instruments_load_sorted_by_id_with_their_kinds(surveys_dir: Path) -> None:
    instruments = load_instruments(surveys_dir)
    assert [(i.id, i.kind) for i in instruments] == [
        ("channel-audit", "scorecard"),
        ("employee-pulse", "survey"),
        ("guided-tour", "scorecard"),
        ("mystery-call", "scorecard"),
        ("visitor-survey", "survey"),
    ]


def test_outcomes_are_the_documented_ones(surveys_dir: Path) -> None:
    outcomes = {i.id: [item.id for item in i.outcomes()] for i in load_instruments(surveys_dir)}
    assert outcomes == {
        "channel-audit": ["overall_accessibility"],
        "employee-pulse": ["overall_engagement"],
        "guided-tour": ["overall_rating", "would_recommend"],
        "mystery-call": ["overall_rating"],
        "visitor-survey": ["overall_satisfaction", "recommend"],
    }


def test_guided_tour_has_the_six_sections_and_every_item_type_but_choice(surveys_dir: Path) -> None:
    tour = next(i for i in load_instruments(surveys_dir) if i.id == "guided-tour")
    assert [s.id for s in tour.sections] == [
        "welcome", "knowledge", "engagement", "insight", "group_handling", "closing",
    ]  # fmt: skip
    assert {item.type for _, item in tour.items()} == set(ITEM_TYPES) - {"choice", "number"}
    assert tour.item("tour_duration").type == "duration"
    assert tour.section_of("pace").id == "group_handling"


def test_mystery_call_counts_the_customer_carousel(surveys_dir: Path) -> None:
    call = next(i for i in load_instruments(surveys_dir) if i.id == "mystery-call")
    transfers = call.item("transfers")
    assert (transfers.type, transfers.min, transfers.max) == ("number", 0, 20)  # type: ignore[union-attr]
    assert call.item("manager_reached").na_allowed
    assert call.item("briefed_after_transfer").show_if is not None


def test_visitor_survey_asks_detractors_what_would_improve(surveys_dir: Path) -> None:
    survey = next(i for i in load_instruments(surveys_dir) if i.id == "visitor-survey")
    condition = survey.item("what_would_improve").show_if
    assert condition is not None
    assert condition.holds({"recommend": 6})
    assert not condition.holds({"recommend": 7})
    assert survey.item("contact_consent").type == "yes_no"


def test_every_text_is_bilingual_and_distinct_per_language(surveys_dir: Path) -> None:
    for instrument in load_instruments(surveys_dir):
        for _, item in instrument.items():
            # An English text copied into sv (or the reverse) is a translation left undone.
            assert item.text.sv != item.text.en, (instrument.id, item.id)


def test_definitions_import_neither_web_framework_nor_orm() -> None:
    code = (
        "import sys, servicescore.definitions\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'litestar', 'piccolo', 'polars'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _swedish_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["sv"]] if isinstance(node.get("sv"), str) else []
        return own + [text for value in node.values() for text in _swedish_texts(value)]
    if isinstance(node, list):
        return [text for value in node for text in _swedish_texts(value)]
    return []


def test_swedish_texts_quote_the_swedish_way(surveys_dir: Path) -> None:
    """Swedish quotes with ”…” (Svenska skrivregler), as the web's and reports' Swedish texts do; seven help texts
    read 'Välj "ej aktuellt" om …' on the shopper's and respondent's Swedish pages."""
    texts = [text for i in load_instruments(surveys_dir) for text in _swedish_texts(i.model_dump())]
    assert len(texts) > 200
    assert [text for text in texts if '"' in text or "“" in text] == []
