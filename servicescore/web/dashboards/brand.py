"""The client viewer's portal in their organisation's colours and logo, as its survey pages are: ``/portal/theme.css``
(the brand colour made accessible, and the logo beside the site's name) and ``/portal/logo``. Both answer for the
viewer's own organisation only; nothing in the URL names one."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException

from servicescore.colours import theme_css
from servicescore.db.organisations import OrganisationView, organisation
from servicescore.identity import Account
from servicescore.settings import Settings
from servicescore.web.respond.pages import brand_logo, uploaded_logo

LOGO_RULE = (
    ".site-header .brand::before { content: ''; display: inline-block; width: 2.5rem; height: 2.5rem; "
    "margin-right: 0.5rem; vertical-align: middle; background: url(/portal/logo) center / contain no-repeat; }\n"
)


async def _own(account: Account) -> OrganisationView:
    found = await organisation(account.organisation_id) if account.organisation_id is not None else None
    if found is None:
        raise NotFoundException()
    return found


def portal_logo(settings: Settings, found: OrganisationView) -> tuple[bytes, str] | None:
    """The organisation's uploaded logo, else its brand folder's, else None (as on its survey pages)."""
    if found.logo_sha256 and (logo := uploaded_logo(settings, found.logo_sha256)):
        return logo
    return brand_logo(settings.reports_dir / "brands", found.brand) if found.brand else None


@get("/theme.css", media_type="text/css")
async def portal_theme(account: NamedDependency[Account], settings: NamedDependency[Settings]) -> Response[str]:
    found = await _own(account)
    logo = LOGO_RULE if portal_logo(settings, found) else ""
    return Response(theme_css(found.brand_colour) + logo, media_type="text/css")


@get("/logo")
async def portal_logo_file(account: NamedDependency[Account], settings: NamedDependency[Settings]) -> Response[Any]:
    logo = portal_logo(settings, await _own(account))
    if logo is None:
        raise NotFoundException()
    headers = {"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}
    return Response(logo[0], media_type=logo[1], headers=headers)


HANDLERS = [portal_theme, portal_logo_file]
