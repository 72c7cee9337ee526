"""The catalogue built from definitions, and items that ask rather than rate (``scored: false``)."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from servicescore.definitions import parse_instrument
from servicescore.scoring import items_frame, respondent_scores
from servicescore.scoring.schema import ANSWER_SCHEMA, CATALOGUE_SCHEMA

TEXT = {"sv": "Text", "en": "Text"}


def _survey(consent_scored: bool) -> dict[str, Any]:
    return {
        "id": "visit",
        "kind": "survey",
        "title": TEXT,
        "sections": [
            {"id": "experience", "title": TEXT, "items": [{"id": "guide", "type": "rating", "text": TEXT}]},
            {
                "id": "follow_up",
                "title": TEXT,
                "items": [{"id": "contact_consent", "type": "yes_no", "text": TEXT, "scored": consent_scored}],
            },
        ],
    }


def _answers(rows: list[tuple[str, str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "response_id": r,
                "instrument": "visit",
                "wave": "2026-Q3",
                "organisation": "zorngarden",
                "unit": "hemmet",
                "segment": None,
                "section": s,
                "item": i,
                "value": v,
                "na": False,
                "text": None,
                "submitted_at": None,
                "weight": 1.0,
            }
            for r, s, i, v in rows
        ],
        schema=ANSWER_SCHEMA,
    )


def test_catalogue_has_the_contract_columns_and_scales() -> None:
    frame = items_frame([parse_instrument(_survey(consent_scored=False))])
    assert frame.schema == pl.Schema(CATALOGUE_SCHEMA)
    rows = {row["item"]: row for row in frame.iter_rows(named=True)}
    assert (rows["guide"]["scale_min"], rows["guide"]["scale_max"], rows["guide"]["scored"]) == (1.0, 5.0, True)
    assert (rows["contact_consent"]["scale_max"], rows["contact_consent"]["scored"]) == (1.0, False)


@pytest.mark.parametrize(("consent_scored", "expected"), [(False, 75.0), (True, 87.5)])
def test_an_unscored_question_stays_out_of_the_overall_score(consent_scored: bool, expected: float) -> None:
    # A guide rated 4 on 1–5 is index 75; a "yes, contact me" scored as a yes/no item would lift it to (75+100)/2.
    answers = _answers([("r1", "experience", "guide", 4.0), ("r1", "follow_up", "contact_consent", 1.0)])
    catalogue = items_frame([parse_instrument(_survey(consent_scored))])
    overall = respondent_scores(answers, catalogue, level="overall").collect()
    assert overall["score"].to_list() == [pytest.approx(expected)]
