"""``/o/{token}``: the opt-out page every survey e-mail links to. It asks, and a plain form post (no script needed)
records the opt-out, which holds for every later collection of the organisation (``db.mail.opt_out``)."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import get, post
from litestar.params import FromPath
from litestar.response import Template

from servicescore.collections.addresses import AddressBook
from servicescore.db.mail import opt_out, opt_out_organisation
from servicescore.db.secret_key import resolve_secret_key
from servicescore.settings import Settings
from servicescore.web.pages import AnyRequest, page

MAX_TOKEN = 80


async def _contact(request: AnyRequest, token: str) -> tuple[int, str] | None:
    settings: Settings = request.app.state.settings
    contact = AddressBook(resolve_secret_key(settings)).opt_out_contact(token) if len(token) <= MAX_TOKEN else None
    organisation = await opt_out_organisation(contact) if contact is not None else None
    return None if contact is None or organisation is None else (contact, organisation)


def _page(request: AnyRequest, state: str, organisation: str = "", status: int = 200) -> Template:
    return page(request, "respond/opt_out.html", status_code=status, state=state, organisation=organisation,
                unit="", logo_url="", theme_url="")  # fmt: skip


@get("/o/{token:str}")
async def opt_out_page(request: AnyRequest, token: FromPath[str]) -> Template:
    found = await _contact(request, token)
    return _page(request, "ask", found[1]) if found else _page(request, "unknown", status=404)


@post("/o/{token:str}")
async def record_opt_out(request: AnyRequest, token: FromPath[str]) -> Template:
    found = await _contact(request, token)
    if found is None or not await opt_out(request.app.state.engine, found[0], datetime.now(UTC)):
        return _page(request, "unknown", status=404)
    return _page(request, "done", found[1])


ROUTES = [opt_out_page, record_opt_out]
