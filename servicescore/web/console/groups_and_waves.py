"""``/console/peer-groups/{id}`` and ``/console/waves/{id}``: editing and deleting a peer group or a wave. Deleting
one that is still in use (an organisation in the group; answers, collections, assignments or calibration in the
wave) is refused with what uses it; nothing is changed."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.db.organisations import (
    InUse,
    Missing,
    Taken,
    delete_peer_group,
    delete_wave,
    peer_group,
    update_peer_group,
    update_wave,
    wave,
)
from servicescore.definitions.text import Language
from servicescore.identity import Account
from servicescore.texts import translate
from servicescore.web.console.forms import AnyRequest, Form, day, read_form, slug, text
from servicescore.web.console.organisations import WAVE_KEY_MAX, valid_wave_key
from servicescore.web.pages import page


def in_use_text(error: InUse, language: Language) -> str:
    """What still uses the object, in the reader's language: "3 organisationer", "120 svar, 1 insamling"."""
    return ", ".join(translate(f"console.in_use.{kind}", language, n=n) for kind, n in error.uses.items())


async def _group_page(request: AnyRequest, group_id: int, form: Form | None = None, status: int = 200,
                      problem: str = "") -> Template:  # fmt: skip
    found = await peer_group(group_id)
    if found is None:
        raise NotFoundException()
    values = {"name": found.name, "name_en": found.name_en, "slug": found.slug, "industry": found.industry}
    return page(request, "console/peer_group.html", status_code=status, group=found,
                form=form or Form("group", values=values), problem=problem)  # fmt: skip


@get("/peer-groups/{group_id:int}")
async def show_peer_group(request: AnyRequest, group_id: FromPath[int]) -> Template:
    return await _group_page(request, group_id)


@post("/peer-groups/{group_id:int}")
async def edit_peer_group(
    request: AnyRequest, group_id: FromPath[int], account: NamedDependency[Account]
) -> Response[Any]:
    data, form = await read_form(request), Form("group")
    name, chosen_slug = text(data, form, "name"), slug(data, form)
    industry, name_en = text(data, form, "industry", required=False), text(data, form, "name_en", required=False)
    if form.ok:
        try:
            await update_peer_group(request.app.state.engine, group_id, name=name, slug=chosen_slug,
                                    industry=industry, name_en=name_en, actor_id=account.id)  # fmt: skip
        except Missing:
            raise NotFoundException() from None
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
            return await _group_page(request, group_id, form, 409)
        return Redirect("/console/organisations?done=peer_group_saved#peer-groups", status_code=303)
    return await _group_page(request, group_id, form, 400)


@post("/peer-groups/{group_id:int}/delete")
async def remove_peer_group(
    request: AnyRequest, group_id: FromPath[int], account: NamedDependency[Account], language: NamedDependency[Language]
) -> Response[Any]:
    try:
        await delete_peer_group(request.app.state.engine, group_id, actor_id=account.id)
    except Missing:
        raise NotFoundException() from None
    except InUse as error:
        problem = translate("console.peer_group.in_use", language, uses=in_use_text(error, language))
        return await _group_page(request, group_id, status=409, problem=problem)
    return Redirect("/console/organisations?done=peer_group_deleted#peer-groups", status_code=303)


async def _wave_page(request: AnyRequest, wave_id: int, form: Form | None = None, status: int = 200,
                     problem: str = "") -> Template:  # fmt: skip
    found = await wave(wave_id)
    if found is None:
        raise NotFoundException()
    values = {"key": found.key, "starts_on": found.starts_on.strftime("%Y-%m-%d") if found.starts_on else "",
              "ends_on": found.ends_on.strftime("%Y-%m-%d") if found.ends_on else ""}  # fmt: skip
    return page(request, "console/wave.html", status_code=status, wave=found,
                form=form or Form("wave", values=values), problem=problem)  # fmt: skip


@get("/waves/{wave_id:int}")
async def show_wave(request: AnyRequest, wave_id: FromPath[int]) -> Template:
    return await _wave_page(request, wave_id)


@post("/waves/{wave_id:int}")
async def edit_wave(request: AnyRequest, wave_id: FromPath[int], account: NamedDependency[Account]) -> Response[Any]:
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
            await update_wave(request.app.state.engine, wave_id, key=key, starts_on=starts, ends_on=ends,
                              actor_id=account.id)  # fmt: skip
        except Missing:
            raise NotFoundException() from None
        except Taken as taken:
            form.fail(taken.field, "console.error.taken")
            return await _wave_page(request, wave_id, form, 409)
        return Redirect("/console/organisations?done=wave_saved#waves", status_code=303)
    return await _wave_page(request, wave_id, form, 400)


@post("/waves/{wave_id:int}/delete")
async def remove_wave(
    request: AnyRequest, wave_id: FromPath[int], account: NamedDependency[Account], language: NamedDependency[Language]
) -> Response[Any]:
    try:
        await delete_wave(request.app.state.engine, wave_id, actor_id=account.id)
    except Missing:
        raise NotFoundException() from None
    except InUse as error:
        problem = translate("console.wave.in_use", language, uses=in_use_text(error, language))
        return await _wave_page(request, wave_id, status=409, problem=problem)
    return Redirect("/console/organisations?done=wave_deleted#waves", status_code=303)


HANDLERS = [show_peer_group, edit_peer_group, remove_peer_group, show_wave, edit_wave, remove_wave]
