"""``/console/instruments``: an XLSForm upload converted, its problems listed by sheet and row, and on success the
instrument saved to the data dir's surveys folder and the database, ready to publish."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from servicescore.db.instrument_import import InstrumentExists, save_instrument_yaml
from servicescore.definitions import DefinitionError, Instrument
from servicescore.definitions.xlsform import Conversion, convert_xlsform, instrument_yaml
from servicescore.identity import Account
from servicescore.instrument_folders import uploaded_folder
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.web.console.forms import SLUG, AnyRequest, Form, read_form, text, upload
from servicescore.web.pages import page

XLSFORM_MAX_BYTES = 5_000_000


def _page(request: AnyRequest, form: Form, *, status: int = 200, conversion: Conversion | None = None,
          saved: str = "") -> Template:  # fmt: skip
    problems = sorted(conversion.problems, key=lambda p: (not p.fatal, p.sheet, p.row or 0)) if conversion else []
    return page(request, "console/instruments.html", status_code=status, form=form, problems=problems,
                conversion=conversion, saved=saved or request.query_params.get("saved", ""),
                file_max_bytes=XLSFORM_MAX_BYTES)  # fmt: skip


@get("/instruments")
async def import_form(request: AnyRequest) -> Template:
    return _page(request, Form("xlsform", values={"kind": "survey"}))


@post("/instruments", request_max_body_size=XLSFORM_MAX_BYTES * 2)
async def import_xlsform(
    request: AnyRequest, account: NamedDependency[Account], settings: NamedDependency[Settings]
) -> Response[Any]:
    data, form = await read_form(request), Form("xlsform")
    chosen_id = text(data, form, "id", required=False, max_length=80)
    if chosen_id and not SLUG.fullmatch(chosen_id):
        form.fail("id", "console.error.slug")
    kind = text(data, form, "kind")
    if kind not in {"survey", "scorecard"}:
        form.fail("kind", "console.error.choice")
    replace = data.get("replace") == "yes"
    form.values["replace"] = replace
    uploaded = await upload(data, form, "file", max_bytes=XLSFORM_MAX_BYTES)
    if uploaded is None or not form.ok:
        too_large = "console.error.file_too_large" in {key for key, _ in form.errors.values()}
        return _page(request, form, status=413 if too_large else 400)
    content, name = uploaded
    conversion = convert_xlsform(content, name, instrument_id=chosen_id or None,
                                 kind="scorecard" if kind == "scorecard" else "survey",
                                 default_id=name.rsplit(".", 1)[0])  # fmt: skip
    saved, status = await _save(request, form, conversion, replace=replace, actor_id=account.id,
                                settings=settings)  # fmt: skip
    if saved is None:
        return _page(request, form, status=status, conversion=conversion)
    if conversion.problems:  # notes on what was not carried over stay on screen with the success
        return _page(request, Form("xlsform", values={"kind": kind}), conversion=conversion,
                     saved=f"{saved.id} {saved.version}")  # fmt: skip
    return Redirect(f"/console/instruments?saved={saved.id}", status_code=303)


async def _save(
    request: AnyRequest, form: Form, conversion: Conversion, *, replace: bool, actor_id: int, settings: Settings
) -> tuple[Instrument | None, int]:
    """The saved instrument, or None and the status with the reason on the form."""
    if not conversion.ok or conversion.document is None:
        form.fail("file", "console.xlsform.refused")
        return None, 422
    instrument_id = str(conversion.document["id"])
    if not SLUG.fullmatch(instrument_id):  # it names a file in the surveys folder
        form.fail("id", "console.error.slug")
        return None, 422
    try:
        saved = await save_instrument_yaml(request.app.state.engine, storage_for(settings),
                                           await asyncio.to_thread(uploaded_folder, settings), instrument_id,
                                           instrument_yaml(conversion), replace=replace, actor_id=actor_id,
                                           source=conversion.source, shipped_dir=settings.surveys_dir)  # fmt: skip
    except InstrumentExists as exists:
        form.fail("id", "console.xlsform.exists", file=str(exists))
        return None, 409
    except DefinitionError as error:
        form.fail("file", "console.xlsform.not_loaded", detail="; ".join(error.lines)[:300])
        return None, 422
    return saved, 200


HANDLERS = [import_form, import_xlsform]
