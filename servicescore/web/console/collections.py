"""``/console/collections``: collections with their status and counts, publishing a survey for units, each unit's
link and QR code, and personal invitations from an uploaded list of addresses."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import polars as pl
from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.collections.addresses import AddressBook
from servicescore.collections.invitation_list import ContactList, UnreadableFile, UnreadableRow, read_invitees
from servicescore.collections.mail_plan import parse_reminder_days
from servicescore.db.organisations import Missing, organisations, units_of, waves
from servicescore.db.publishing import (
    Publication,
    close_now,
    collection_summaries,
    collection_summary,
    invite,
    publish_collection,
    surveys_in_database,
    unit_links,
)
from servicescore.db.secret_key import resolve_secret_key
from servicescore.definitions import DefinitionError, Instrument, load_instruments
from servicescore.definitions.text import Language
from servicescore.identity import Account
from servicescore.instrument_folders import instrument_folders
from servicescore.interchange.formulas import neutralise
from servicescore.mail.contacts import upload_contacts
from servicescore.mail.overview import mail_overview
from servicescore.settings import Settings
from servicescore.web.console.forms import AnyRequest, Form, day_moment, read_form, text, upload, whole_number
from servicescore.web.pages import page, request_language
from servicescore.web.respond.qr import qr_png, qr_svg
from servicescore.web.titles import titles_in

INVITATION_FILE_MAX_BYTES = 1_000_000


def _survey_files(settings: Settings) -> dict[str, Instrument]:
    """The surveys folder's surveys; a broken folder must not stop publishing what the database has."""
    try:
        return {i.id: i for i in load_instruments(*instrument_folders(settings)) if i.kind == "survey"}
    except DefinitionError:
        return {}


async def _survey_choices(settings: Settings) -> dict[str, str]:
    """Survey key → title in Swedish, from the folder and the database."""
    files = _survey_files(settings)
    choices = {key: f"{instrument.title.sv} ({key})" for key, instrument in files.items()}
    for key in await surveys_in_database():
        choices.setdefault(key, key)
    return dict(sorted(choices.items()))


@get("/collections")
async def list_collections(
    request: AnyRequest, settings: NamedDependency[Settings], language: NamedDependency[Language]
) -> Template:
    summaries = await collection_summaries(datetime.now(UTC))
    return page(request, "console/collections.html", collections=summaries, titles=await titles_in(settings, language))


async def _publish_page(request: AnyRequest, settings: Settings, form: Form, status: int = 200) -> Template:
    groups = [(found, await units_of(found.id)) for found in await organisations()]
    return page(request, "console/publish.html", status_code=status, form=form,
                surveys=await _survey_choices(settings), waves=await waves(),
                groups=[(found, units) for found, units in groups if units])  # fmt: skip


@get("/collections/new")
async def new_collection(request: AnyRequest, settings: NamedDependency[Settings]) -> Template:
    return await _publish_page(request, settings, Form("publish", values={"units": set()}))


@post("/collections")
async def publish(
    request: AnyRequest, account: NamedDependency[Account], settings: NamedDependency[Settings]
) -> Response[Any]:
    data, form = await read_form(request), Form("publish")
    key = text(data, form, "instrument", max_length=80)
    title = text(data, form, "title", required=False)
    wave_id = whole_number(data, "wave")
    form.values["wave"] = str(wave_id or "")
    if wave_id is None:
        form.fail("wave", "console.error.choose")
    unit_values = data.getall("units", [])
    unit_ids = [int(value) for value in unit_values if isinstance(value, str) and value.isdigit() and len(value) < 12]
    if len(unit_ids) != len(unit_values):
        raise NotFoundException()
    form.values["units"] = {str(unit_id) for unit_id in unit_ids}
    if not unit_ids:
        form.fail("units", "console.error.choose_units")
    opens = day_moment(data, form, "opens")
    closes = day_moment(data, form, "closes", end=True)
    if opens and closes and closes <= opens:
        form.fail("closes", "console.error.closes_before_opens")
    files = _survey_files(settings)
    if key and key not in files and key not in await surveys_in_database():
        raise NotFoundException()
    if not form.ok or wave_id is None or opens is None or closes is None:
        return await _publish_page(request, settings, form, 400)
    publication = Publication(key, files.get(key), wave_id, unit_ids, opens, closes, title)
    try:
        collection_id = await publish_collection(request.app.state.engine, publication, actor_id=account.id)
    except Missing:
        raise NotFoundException() from None
    return Redirect(f"/console/collections/{collection_id}?done=published", status_code=303)


async def _collection_page(
    request: AnyRequest, collection_id: int, *, form: Form | None = None, status: int = 200, **extra: Any
) -> Template:
    summary = await collection_summary(collection_id, datetime.now(UTC))
    if summary is None:
        raise NotFoundException()
    titles = await titles_in(request.app.state.settings, request_language(request))
    settings: Settings = request.app.state.settings
    added = request.query_params.get("added", "")
    added = added if added.isdigit() and len(added) < 6 else ""
    contacts_form = extra.pop("contacts_form", None) or Form(
        "contacts", values={"reminders": ",".join(str(day) for day in settings.reminder_days)}
    )
    return page(request, "console/collection.html", status_code=status, collection=summary,
                title=titles.get(summary.instrument, summary.instrument),
                links=await unit_links(collection_id), base=str(request.base_url).rstrip("/"),
                form=form or Form("invite"), done=request.query_params.get("done", ""),
                file_max_bytes=INVITATION_FILE_MAX_BYTES, contacts_form=contacts_form, added=added,
                mail=await mail_overview(collection_id, AddressBook(resolve_secret_key(settings)), datetime.now(UTC)),
                **extra)  # fmt: skip


@get("/collections/{collection_id:int}")
async def show_collection(request: AnyRequest, collection_id: FromPath[int]) -> Template:
    return await _collection_page(request, collection_id)


async def _link_url(request: AnyRequest, collection_id: int, unit_id: int) -> tuple[str, str]:
    link = next((link for link in await unit_links(collection_id) if link.unit_id == unit_id), None)
    if link is None:
        raise NotFoundException()
    return str(request.base_url).rstrip("/") + f"/s/{link.token}", f"qr-{collection_id}-{unit_id}"


@get("/collections/{collection_id:int}/qr/{unit_id:int}/svg")
async def qr_code_svg(request: AnyRequest, collection_id: FromPath[int], unit_id: FromPath[int]) -> Response[bytes]:
    url, name = await _link_url(request, collection_id, unit_id)
    disposition = "attachment" if request.query_params.get("download") else "inline"
    return Response(qr_svg(url), media_type="image/svg+xml",
                    headers={"content-disposition": f'{disposition}; filename="{name}.svg"'})  # fmt: skip


@get("/collections/{collection_id:int}/qr/{unit_id:int}/png")
async def qr_code_png(request: AnyRequest, collection_id: FromPath[int], unit_id: FromPath[int]) -> Response[bytes]:
    url, name = await _link_url(request, collection_id, unit_id)
    return Response(qr_png(url), media_type="image/png",
                    headers={"content-disposition": f'attachment; filename="{name}.png"'})  # fmt: skip


def invitations_csv(made: list[tuple[str, str]], base: str) -> bytes:
    """``email,url`` for a mail merge; cells that a spreadsheet would run as a formula get a leading ``'``."""
    frame = pl.DataFrame({"email": [email for email, _ in made], "url": [f"{base}/i/{token}" for _, token in made]},
                         schema={"email": pl.String, "url": pl.String})  # fmt: skip
    return neutralise(frame).write_csv().encode("utf-8")


@post("/collections/{collection_id:int}/invitations", request_max_body_size=INVITATION_FILE_MAX_BYTES * 2)
async def upload_invitations(
    request: AnyRequest, collection_id: FromPath[int], account: NamedDependency[Account]
) -> Response[Any]:
    if await collection_summary(collection_id, datetime.now(UTC)) is None:
        raise NotFoundException()
    data, form = await read_form(request), Form("invite")
    unit_id = whole_number(data, "unit")
    if unit_id is None:
        form.fail("unit", "console.invite.no_unit")
    else:
        form.values["unit"] = str(unit_id)
    uploaded = await upload(data, form, "file", max_bytes=INVITATION_FILE_MAX_BYTES)
    listed = None
    if uploaded is not None:
        try:
            listed = read_invitees(uploaded[0].decode("utf-8"))
        except UnicodeDecodeError:
            form.fail("file", "console.invite.not_text")
        except UnreadableRow as error:
            form.fail("file", "console.invite.unreadable_row", row=error.row)
        else:
            if listed.too_many:
                form.fail("file", "console.invite.too_many")
            elif not listed.emails and not listed.problems:
                form.fail("file", "console.invite.no_rows")
    if not form.ok or listed is None or unit_id is None:
        status = 413 if "console.error.file_too_large" in {key for key, _ in form.errors.values()} else 400
        return await _collection_page(request, collection_id, form=form, status=status)
    made = []
    if listed.emails:
        try:
            made = await invite(request.app.state.engine, collection_id, unit_id, listed.emails, actor_id=account.id)
        except Missing:
            raise NotFoundException() from None
    csv_data = base64.b64encode(invitations_csv(made, str(request.base_url).rstrip("/"))).decode("ascii")
    return await _collection_page(request, collection_id, form=form, status=200 if made else 400,
                                  problems=listed.problems, made=len(made),
                                  csv_url=f"data:text/csv;charset=utf-8;base64,{csv_data}" if made else "")  # fmt: skip


def _refusal(form: Form, listed: ContactList) -> None:
    if listed.no_email_column:
        form.fail("file", "mail.contacts.no_email_column")
    elif listed.too_many:
        form.fail("file", "console.invite.too_many")
    elif not listed.contacts and not listed.problems:
        form.fail("file", "console.invite.no_rows")


@post("/collections/{collection_id:int}/contacts", request_max_body_size=INVITATION_FILE_MAX_BYTES * 2)
async def upload_contact_file(
    request: AnyRequest, collection_id: FromPath[int], account: NamedDependency[Account],
    settings: NamedDependency[Settings],
) -> Response[Any]:  # fmt: skip
    if await collection_summary(collection_id, datetime.now(UTC)) is None:
        raise NotFoundException()
    data, form = await read_form(request), Form("contacts")
    form.values["reminders"] = text(data, form, "reminders", required=False, max_length=40)
    days: tuple[int, ...] = ()
    try:
        days = parse_reminder_days(form.values["reminders"])
    except ValueError:
        form.fail("reminders", "mail.contacts.bad_reminders")
    uploaded = await upload(data, form, "file", max_bytes=INVITATION_FILE_MAX_BYTES)
    listed = None
    if uploaded is not None and form.ok:
        try:
            listed = await upload_contacts(request.app.state.engine, settings, collection_id, uploaded, days=days,
                                           now=datetime.now(UTC), actor_id=account.id)  # fmt: skip
        except (UnreadableFile, UnicodeDecodeError):
            form.fail("file", "mail.contacts.unreadable")
        except UnreadableRow as error:
            form.fail("file", "console.invite.unreadable_row", row=error.row)
        except Missing:
            raise NotFoundException() from None
        else:
            _refusal(form, listed)
    if not form.ok or listed is None or listed.problems:
        status = 413 if "console.error.file_too_large" in {key for key, _ in form.errors.values()} else 400
        return await _collection_page(request, collection_id, status=status, contacts_form=form,
                                      contact_problems=listed.problems if listed else [])  # fmt: skip
    return Redirect(f"/console/collections/{collection_id}?added={len(listed.contacts)}#contacts", status_code=303)


@post("/collections/{collection_id:int}/close")
async def close(request: AnyRequest, collection_id: FromPath[int], account: NamedDependency[Account]) -> Redirect:
    try:
        closed = await close_now(request.app.state.engine, collection_id, datetime.now(UTC), actor_id=account.id)
    except Missing:
        raise NotFoundException() from None
    return Redirect(f"/console/collections/{collection_id}?done={'closed' if closed else 'was_closed'}",
                    status_code=303)  # fmt: skip


HANDLERS = [
    close,
    list_collections,
    new_collection,
    publish,
    show_collection,
    qr_code_svg,
    qr_code_png,
    upload_invitations,
    upload_contact_file,
]
