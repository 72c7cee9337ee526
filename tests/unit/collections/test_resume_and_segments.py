"""Where a returning respondent continues, and which segment the answers put a response in (pure rules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicescore.collections.answers import StoredAnswer
from servicescore.collections.pages import resume_page
from servicescore.collections.segments import segment_item, segment_of
from servicescore.definitions import Instrument, load_instruments

SURVEYS = Path(__file__).resolve().parents[3] / "surveys"


@pytest.fixture(scope="module")
def shipped() -> dict[str, Instrument]:
    return {instrument.id: instrument for instrument in load_instruments(SURVEYS)}


def _choice(text: str) -> StoredAnswer:
    return StoredAnswer(text=text)


def _instrument(items: list[dict[str, object]]) -> Instrument:
    return Instrument.model_validate(
        {"id": "tiny", "kind": "survey", "title": {"sv": "Liten", "en": "Tiny"},
         "sections": [{"id": "only", "title": {"sv": "Sida", "en": "Page"}, "items": items}]}
    )  # fmt: skip


def _choice_item(item_id: str, *, multiple: bool = False) -> dict[str, object]:
    choices = [{"value": value, "text": {"sv": value.upper(), "en": value.upper()}} for value in ("a", "b")]
    return {"id": item_id, "type": "choice", "multiple": multiple, "text": {"sv": "Vilken?", "en": "Which?"},
            "choices": choices}  # fmt: skip


def test_resume_passes_an_optional_page_sent_without_answers(shipped: dict[str, Instrument]) -> None:
    survey = shipped["visitor-survey"]
    answers = {"visit_type": _choice("first_visit")}
    assert resume_page(survey, answers) == 1  # unknown how far: the page after the last answer
    assert resume_page(survey, answers, sent_through=1) == 2
    assert resume_page(survey, answers, sent_through=0) == 1


def test_resume_never_passes_a_page_lacking_a_required_answer(shipped: dict[str, Instrument]) -> None:
    survey = shipped["visitor-survey"]
    assert resume_page(survey, {}, sent_through=3) == 0  # visit_type is required
    answered = {"visit_type": _choice("returning")}
    assert resume_page(survey, answered, sent_through=3) == 2  # overall_satisfaction and recommend are required


def test_the_visitor_survey_is_segmented_by_visit_type(shipped: dict[str, Instrument]) -> None:
    survey = shipped["visitor-survey"]
    item = segment_item(survey)
    assert item is not None
    assert item.id == "visit_type"
    assert segment_of(survey, {}) is None
    assert segment_of(survey, {"visit_type": _choice("returning")}) == "returning"
    assert segment_of(survey, {"visit_type": _choice("returning")}, link_segment="cafe") == "cafe"
    assert segment_of(survey, {"visit_type": _choice("not-a-choice")}) is None
    assert segment_of(survey, {"visit_type": StoredAnswer(na=True)}) is None


def test_instruments_without_a_segment_question_give_no_segment(shipped: dict[str, Instrument]) -> None:
    pulse = shipped["employee-pulse"]
    assert segment_item(pulse) is None
    assert segment_of(pulse, {"proud_of_service": StoredAnswer(value=4)}) is None
    assert segment_of(pulse, {}, link_segment="north") == "north"


def test_an_item_called_segment_decides_unless_it_allows_several_choices() -> None:
    single = _instrument([_choice_item("segment")])
    assert segment_of(single, {"segment": _choice("b")}) == "b"
    several = _instrument([_choice_item("segment", multiple=True)])
    assert segment_item(several) is None
    assert segment_of(several, {"segment": _choice("a;b")}) is None


def test_a_link_segment_is_cut_to_the_column_length(shipped: dict[str, Instrument]) -> None:
    assert segment_of(shipped["employee-pulse"], {}, link_segment="x" * 100) == "x" * 80
