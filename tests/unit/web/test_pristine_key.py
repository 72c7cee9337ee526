"""The key of a kept survey page (web/respond/pages.pristine_key) changes with everything the page is made from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.testing import RequestFactory

from servicescore.collections.answers import StoredAnswer
from servicescore.db.collections import SurveyLink
from servicescore.definitions import load_instruments
from servicescore.settings import CHECKOUT_DIR, Settings
from servicescore.web.pages import request_language
from servicescore.web.respond.pages import pristine_key

SURVEY = next(i for i in load_instruments(CHECKOUT_DIR / "surveys") if i.id == "visitor-survey")
MOMENT = datetime(2026, 11, 1, tzinfo=UTC)
LINK = SurveyLink(
    kind="public", collection_id=1, instrument_version_id=7, wave_id=1, organisation_id=1,
    organisation_name="Zorngården", organisation_slug="zorngarden", brand="", brand_colour="", logo_sha256="",
    unit_id=1, unit_name="Zornmuseet", opens_at=MOMENT, closes_at=MOMENT,
)  # fmt: skip
FACTORY = RequestFactory(app=Litestar(state=State({"settings": Settings()})))


def key(query: dict[str, str] | None = None, *, link: SurveyLink = LINK, page: int = 2, **stored: StoredAnswer) -> Any:
    request = FACTORY.get("/s/token", query_params=query or {})
    language = request_language(request)
    return pristine_key(request, link, "/s/token", language=language, instrument=SURVEY, page_index=page, stored=stored)


def test_equal_requests_share_a_key_and_each_input_makes_its_own() -> None:
    assert key() == key()
    others = [
        key({"lang": "en"}),
        key({"x": "1"}),  # the language switch link carries the query
        key(page=1),
        key(link=LINK.__class__(**{**LINK.__dict__, "instrument_version_id": 8})),
        key(link=LINK.__class__(**{**LINK.__dict__, "unit_name": "Caféet"})),
        key(recommend=StoredAnswer(value=5.0)),  # shows the follow-up asked below a 7
    ]
    assert len({key(), *others}) == 1 + len(others)


def test_answers_that_change_nothing_shown_share_the_key() -> None:
    assert key(recommend=StoredAnswer(value=9.0)) == key(recommend=StoredAnswer(value=10.0))
