"""``/console/organisations``: organisations with brand colour and logo, their units, peer groups and waves."""

from __future__ import annotations

import math
from typing import Any

from litestar import Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.collections.invitation_list import plausible_address
from servicescore.colours import accessible_accent, contrast
from servicescore.db.alerts import case_owner, set_case_owner
from servicescore.db.logos import LOGO_MAX_BYTES, LogoRejected, checked_logo, read_logo, store_logo
from servicescore.db.organisations import (
    UNIT_KINDS,
    Missing,
    OrganisationChange,
    Taken,
    UnitChange,
    create_peer_group,
    create_wave,
    organisation,
    organisations,
    peer_groups,
    save_organisation,
    save_unit,
    set_logo,
    unit,
    units_of,
    waves,
)
from servicescore.identity import Account
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.web.console.forms import (
    COLOUR,
    AnyRequest,
    Form,
    coordinate,
    day,
    optional_id,
    read_form,
    slug,
    text,
    upload,
)
from servicescore.web.pages import page

MIN_CONTRAST = 4.5  # white text on the colour and the colour on white, WCAG AA for normal text
WAVE_KEY_MAX = 40
# Multipart framing around the largest logo; anything bigger is refused before it is read.
LOGO_BODY_LIMIT = LOGO_MAX_BYTES * 2


def _status(form: Form) -> int:
    return 409 if any(key == "console.error.taken" for key, _ in form.errors.values()) else 400


# -- the list, with peer groups and waves ------------------------------------------------------------------------


async def _list_page(request: AnyRequest, *, status: int = 200, **forms: Form) -> Template:
    return page(
        request,
        "console/organisations.html",
        status_code=status,
        organisations=await organisations(),
        peer_groups=await peer_groups(),
        waves=await waves(),
        new=forms.get("new", Form("new")),
        group=forms.get("group", Form("group")),
        wave=forms.get("wave", Form("wave")),
        done=request.query_params.get("done", ""),
    )


@get("/organisations")
async def list_organisations(request: AnyRequest) -> Template:
    return await _list_page(request)


def _organisation_change(data: FormMultiDict, form: Form) -> OrganisationChange | None:
    name = text(data, form, "name")
    chosen_slug = slug(data, form)
    valid, group = optional_id(data, form, "peer_group")
    if not valid:
        raise NotFoundException()
    colour = text(data, form, "brand_colour", required=False, max_length=7).lower()
    form.values["brand_colour"] = colour
    if colour and not COLOUR.fullmatch(colour):
        form.fail("brand_colour", "console.error.colour")
    elif colour and (ratio := contrast(colour, "#ffffff")) < MIN_CONTRAST:
        # Rounded down: a colour a hair under the minimum must not read as reaching it ("4,5:1; at least 4,5:1").
        form.fail("brand_colour", "console.error.contrast", ratio=math.floor(ratio * 10) / 10, minimum=MIN_CONTRAST,
                  suggestion=accessible_accent(colour))  # fmt: skip
    return OrganisationChange(name, chosen_slug, group, colour) if form.ok else None


@post("/organisations")
async def create_organisation(request: AnyRequest, account: NamedDependency[Account]) -> Response[Any]:
    form = Form("new")
    change = _organisation_change(await read_form(request), form)
    if change is not None:
        try:
            created = await save_organisation(request.app.state.engine, change, actor_id=account.id)
        except Missing:
            raise NotFoundException() from None
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
        else:
            return Redirect(f"/console/organisations/{created}?done=created", status_code=303)
    return await _list_page(request, status=_status(form), new=form)


@post("/peer-groups")
async def add_peer_group(request: AnyRequest, account: NamedDependency[Account]) -> Response[Any]:
    data, form = await read_form(request), Form("group")
    name, chosen_slug = text(data, form, "name"), slug(data, form)
    industry, name_en = text(data, form, "industry", required=False), text(data, form, "name_en", required=False)
    if form.ok:
        try:
            await create_peer_group(request.app.state.engine, name=name, slug=chosen_slug, industry=industry,
                                    name_en=name_en, actor_id=account.id)  # fmt: skip
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
        else:
            return Redirect("/console/organisations?done=peer_group#peer-groups", status_code=303)
    return await _list_page(request, status=_status(form), group=form)


@post("/waves")
async def add_wave(request: AnyRequest, account: NamedDependency[Account]) -> Response[Any]:
    data, form = await read_form(request), Form("wave")
    key = text(data, form, "key", max_length=WAVE_KEY_MAX)
    if key and not valid_wave_key(key):
        form.fail("key", "console.error.wave_key")
    starts = day(data, form, "starts_on", required=False)
    ends = day(data, form, "ends_on", required=False, end=True)
    if starts and ends and ends <= starts:
        form.fail("ends_on", "console.error.ends_before_start")
    if form.ok:
        try:
            await create_wave(request.app.state.engine, key=key, starts_on=starts, ends_on=ends, actor_id=account.id)
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
        else:
            return Redirect("/console/organisations?done=wave#waves", status_code=303)
    return await _list_page(request, status=_status(form), wave=form)


def valid_wave_key(key: str) -> bool:
    """``2026-Q3``, ``2026-H1``, ``2026-09`` or ``2026``: keys sort chronologically as text."""
    year, _, rest = key.partition("-")
    if not (len(year) == 4 and year.isdigit()):
        return False
    return rest == "" or rest in {"Q1", "Q2", "Q3", "Q4", "H1", "H2"} or (rest.isdigit() and 1 <= int(rest) <= 12
                                                                         and len(rest) == 2)  # fmt: skip


# -- one organisation: edit, logo, units ---------------------------------------------------------------------------


async def _organisation_page(
    request: AnyRequest, organisation_id: int, *, status: int = 200, **forms: Form
) -> Template:
    found = await organisation(organisation_id)
    if found is None:
        raise NotFoundException()
    edit = forms.get("edit") or Form("edit", values={"name": found.name, "slug": found.slug,
                                                     "peer_group": str(found.peer_group_id or ""),
                                                     "brand_colour": found.brand_colour})  # fmt: skip
    return page(
        request,
        "console/organisation.html",
        status_code=status,
        organisation=found,
        units=await units_of(organisation_id),
        peer_groups=await peer_groups(),
        kinds=UNIT_KINDS,
        edit=edit,
        logo=forms.get("logo", Form("logo")),
        unit_form=forms.get("unit", Form("unit", values={"kind": "site"})),
        logo_max_bytes=LOGO_MAX_BYTES,
        done=request.query_params.get("done", ""),
        case_owner=forms.get("case_owner") or Form("case_owner", values=await case_owner(organisation_id)),
    )


@get("/organisations/{organisation_id:int}")
async def show_organisation(request: AnyRequest, organisation_id: FromPath[int]) -> Template:
    return await _organisation_page(request, organisation_id)


@post("/organisations/{organisation_id:int}")
async def edit_organisation(
    request: AnyRequest, organisation_id: FromPath[int], account: NamedDependency[Account]
) -> Response[Any]:
    form = Form("edit")
    change = _organisation_change(await read_form(request), form)
    if change is not None:
        try:
            await save_organisation(request.app.state.engine, change, organisation_id=organisation_id,
                                    actor_id=account.id)  # fmt: skip
        except Missing:
            raise NotFoundException() from None
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
        else:
            return Redirect(f"/console/organisations/{organisation_id}?done=saved", status_code=303)
    return await _organisation_page(request, organisation_id, status=_status(form), edit=form)


@post("/organisations/{organisation_id:int}/logo", request_max_body_size=LOGO_BODY_LIMIT)
async def upload_logo(
    request: AnyRequest, organisation_id: FromPath[int], account: NamedDependency[Account],
    settings: NamedDependency[Settings],
) -> Response[Any]:  # fmt: skip
    if await organisation(organisation_id) is None:
        raise NotFoundException()
    form = Form("logo")
    uploaded = await upload(await read_form(request), form, "logo", max_bytes=LOGO_MAX_BYTES)
    if uploaded is not None:
        try:
            logo = checked_logo(uploaded[0])
        except LogoRejected as rejected:
            line, column = rejected.where or (0, 0)
            form.fail("logo", f"console.logo.{rejected.reason}", detail=rejected.detail, line=line, column=column)
        else:
            sha256 = store_logo(storage_for(settings), logo)
            try:
                await set_logo(request.app.state.engine, organisation_id, sha256, content_type=logo.content_type,
                               actor_id=account.id)  # fmt: skip
            except Missing:
                raise NotFoundException() from None
            return Redirect(f"/console/organisations/{organisation_id}?done=logo", status_code=303)
    status = 413 if any(key == "console.error.file_too_large" for key, _ in form.errors.values()) else 400
    return await _organisation_page(request, organisation_id, status=status, logo=form)


@post("/organisations/{organisation_id:int}/case-owner")
async def save_case_owner(request: AnyRequest, organisation_id: FromPath[int]) -> Response[Any]:
    """The addresses new follow-up cases and cases past their due time are e-mailed to (mail.alerts); empty for
    none."""
    data, form = await read_form(request), Form("case_owner")
    for name in ("email", "escalation"):
        form.values[name] = text(data, form, name, required=False, max_length=320)
        if form.values[name] and not plausible_address(form.values[name]):
            form.fail(name, "mail.case_owner.invalid")
    if form.ok:
        addresses = form.values["email"], form.values["escalation"]
        if not await set_case_owner(request.app.state.engine, organisation_id, *addresses):
            raise NotFoundException()
        return Redirect(f"/console/organisations/{organisation_id}?done=case_owner", status_code=303)
    return await _organisation_page(request, organisation_id, status=400, case_owner=form)


@get("/organisations/{organisation_id:int}/logo")
async def show_logo(organisation_id: FromPath[int], settings: NamedDependency[Settings]) -> Response[bytes]:
    found = await organisation(organisation_id)
    logo = read_logo(storage_for(settings), found.logo_sha256) if found else None
    if logo is None:
        raise NotFoundException()
    # An SVG opened on its own must not run anything even if a check were ever missed.
    headers = {"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}
    return Response(logo.data, media_type=logo.content_type, headers=headers)


def _unit_change(data: FormMultiDict, form: Form) -> UnitChange | None:
    name, chosen_slug = text(data, form, "name"), slug(data, form)
    kind = text(data, form, "kind")
    if kind and kind not in UNIT_KINDS:
        form.fail("kind", "console.error.choice")
    latitude = coordinate(data, form, "latitude", 90.0)
    longitude = coordinate(data, form, "longitude", 180.0)
    if (latitude is None) != (longitude is None) and form.ok:
        form.fail("latitude" if latitude is None else "longitude", "console.error.both_coordinates")
    return UnitChange(name, chosen_slug, kind, latitude, longitude) if form.ok else None


@post("/organisations/{organisation_id:int}/units")
async def add_unit(
    request: AnyRequest, organisation_id: FromPath[int], account: NamedDependency[Account]
) -> Response[Any]:
    form = Form("unit")
    change = _unit_change(await read_form(request), form)
    if change is not None:
        try:
            await save_unit(request.app.state.engine, organisation_id, change, actor_id=account.id)
        except Missing:
            raise NotFoundException() from None
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
        else:
            return Redirect(f"/console/organisations/{organisation_id}?done=unit#units", status_code=303)
    return await _organisation_page(request, organisation_id, status=_status(form), unit=form)


async def _unit_page(
    request: AnyRequest, organisation_id: int, unit_id: int, form: Form | None = None, status: int = 200
) -> Template:
    found, owner = await unit(organisation_id, unit_id), await organisation(organisation_id)
    if found is None or owner is None:
        raise NotFoundException()
    values = {"name": found.name, "slug": found.slug, "kind": found.kind,
              "latitude": "" if found.latitude is None else str(found.latitude),
              "longitude": "" if found.longitude is None else str(found.longitude)}  # fmt: skip
    return page(request, "console/unit.html", status_code=status, organisation=owner, unit=found,
                kinds=UNIT_KINDS, form=form or Form("unit", values=values))  # fmt: skip


@get("/organisations/{organisation_id:int}/units/{unit_id:int}")
async def show_unit(request: AnyRequest, organisation_id: FromPath[int], unit_id: FromPath[int]) -> Template:
    return await _unit_page(request, organisation_id, unit_id)


@post("/organisations/{organisation_id:int}/units/{unit_id:int}")
async def edit_unit(
    request: AnyRequest, organisation_id: FromPath[int], unit_id: FromPath[int], account: NamedDependency[Account]
) -> Response[Any]:
    form = Form("unit")
    change = _unit_change(await read_form(request), form)
    if change is not None:
        try:
            await save_unit(request.app.state.engine, organisation_id, change, unit_id=unit_id, actor_id=account.id)
        except Missing:
            raise NotFoundException() from None
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
        else:
            return Redirect(f"/console/organisations/{organisation_id}?done=unit_saved#units", status_code=303)
    return await _unit_page(request, organisation_id, unit_id, form, _status(form))


HANDLERS = [
    list_organisations, create_organisation, add_peer_group, add_wave, show_organisation, edit_organisation,
    upload_logo, show_logo, add_unit, show_unit, edit_unit, save_case_owner,
]  # fmt: skip
