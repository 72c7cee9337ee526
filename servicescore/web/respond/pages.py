"""Rendering a respondent's pages: the form page, the thank-you page, and the friendly message pages."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Template

from servicescore.collections.answers import Answers, visible_items
from servicescore.collections.pages import next_page, previous_page, progress
from servicescore.collections.reading import FieldError, offered_items
from servicescore.db.collections import SurveyLink
from servicescore.db.logos import read_logo
from servicescore.definitions import Instrument
from servicescore.definitions.text import Language
from servicescore.formats import when as local_time
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.web.auth import current_account
from servicescore.web.i18n import other_language
from servicescore.web.pages import language_switch_url, page
from servicescore.web.respond.views import error_text, item_views

AnyRequest = Request[Any, Any, Any]
SCRIPT = "/static/respond.js"


@cache
def brand_logo(brands_dir: Path, brand: str) -> tuple[bytes, str] | None:
    """The logo of brand ``brand`` and its media type, or None when the brand has no folder of its own."""
    from servicescore.definitions.reports.loading import load_brand  # noqa: PLC0415 - only survey pages with a logo need it

    loaded = load_brand(brands_dir, brand)
    if loaded.key != brand:
        return None
    media = "image/svg+xml" if loaded.logo.suffix.lower() == ".svg" else "image/png"
    return loaded.logo.read_bytes(), media


def uploaded_logo(settings: Settings, sha256: str) -> tuple[bytes, str] | None:
    """A logo the consultant uploaded (kept in memory by `read_logo`: stored under its hash, never stale)."""
    logo = read_logo(storage_for(settings), sha256)
    return None if logo is None else (logo.data, logo.content_type)


def organisation_logo(settings: Settings, link: SurveyLink) -> tuple[bytes, str] | None:
    """The organisation's uploaded logo, else its brand folder's, else None."""
    if link.logo_sha256 and (found := uploaded_logo(settings, link.logo_sha256)):
        return found
    return brand_logo(settings.reports_dir / "brands", link.brand) if link.brand else None


def frame(request: AnyRequest, link: SurveyLink | None, base: str) -> dict[str, Any]:
    """What the respondent frame shows of the organisation: its name, unit, logo and colour."""
    if link is None:
        return {"organisation": "", "unit": "", "logo_url": "", "theme_url": ""}
    return {
        "organisation": link.organisation_name,
        "unit": link.unit_name,
        "logo_url": f"{base}/logo" if organisation_logo(request.app.state.settings, link) else "",
        "theme_url": f"{base}/theme.css" if link.brand_colour else "",
    }


def message_page(
    request: AnyRequest, link: SurveyLink | None, base: str, key: str, status: int, **values: str
) -> Template:
    """A friendly page for a link that cannot be answered now (unknown, closed, used, a broken form)."""
    return page(
        request, "respond/message.html", status_code=status, key=key, values=values, **frame(request, link, base)
    )


def pristine_key(
    request: AnyRequest,
    link: SurveyLink,
    base: str,
    *,
    language: Language,
    instrument: Instrument,
    page_index: int,
    stored: Answers,
) -> Hashable:
    """Everything a page without answers of its own or errors is made from (the key of `kept.KeptPages`): the
    link's frame, the instrument version and page, the language with its switch link, the account, and which items
    the other pages' answers show (what decides the items offered, the follow-ups hidden, the progress and the
    buttons). Two requests with equal keys get the same page but for the response id and the CSRF field."""
    return (
        base,
        tuple(frame(request, link, base).items()),
        link.instrument_version_id,
        page_index,
        language,
        language_switch_url(request, other_language(language)),
        current_account(request),
        frozenset(visible_items(instrument, stored)),
    )


def form_page(
    request: AnyRequest,
    language: Language,
    *,
    link: SurveyLink,
    base: str,
    instrument: Instrument,
    response_id: str,
    version: str,
    page_index: int,
    stored: Answers,
    answers: Answers,
    values: Mapping[str, list[str]],
    errors: Mapping[str, FieldError],
    revealed: Sequence[str] = (),
    status: int = 200,
    cookies: Sequence[Cookie] = (),
    changed: bool = False,
) -> Template:
    """Page ``page_index`` of the survey. ``stored`` are the other pages' answers (what decides which questions
    are offered); ``answers`` adds this page's, and decides which follow-ups show. ``version`` is the version of
    the stored answers the page shows (sent back with it); ``changed`` says they changed in another browser."""
    offered = offered_items(instrument, page_index, stored)
    items = item_views(instrument, offered=offered, answers=answers, values=values, errors=errors, language=language)
    number, pages = progress(instrument, page_index, answers)
    problems = [(view.id, view.text, view.error) for view in items if view.error]
    return page(
        request,
        "respond/form.html",
        status_code=status,
        cookies=cookies,
        survey_title=instrument.title.pick(language),
        description=instrument.description.pick(language) if instrument.description and page_index == 0 else "",
        section_title=instrument.sections[page_index].title.pick(language),
        page_number=number,
        page_total=pages,
        items=items,
        problems=problems,
        revealed=bool(revealed),
        response_id=response_id,
        version=version,
        changed=changed,
        page_index=page_index,
        action=base,
        has_back=previous_page(instrument, page_index, answers) is not None,
        is_last=next_page(instrument, page_index, answers) is None,
        script=SCRIPT,
        **frame(request, link, base),
    )


def done_page(
    request: AnyRequest,
    language: Language,
    link: SurveyLink,
    base: str,
    submitted_at: datetime | None,
    *,
    again: bool,
    in_touch: bool,
) -> Template:
    """The thank-you page; ``in_touch``: the respondent asked to be contacted and a case was opened."""
    when = local_time(submitted_at, language) if submitted_at else ""
    return page(
        request,
        "respond/done.html",
        submitted=when,
        again_url=f"{base}?new=1" if again else "",
        in_touch=in_touch,
        **frame(request, link, base),
    )


__all__ = ["error_text"]
