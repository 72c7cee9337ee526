"""Every console page answers in Swedish and English with its own heading, and an upload without the CSRF token
changes nothing."""

from __future__ import annotations

import pytest

from servicescore.db.tables import Organisation
from tests.support.console_world import Client, World, in_app, log_in, soup

pytestmark = pytest.mark.anyio

HEADINGS = {
    "/console/organisations": ("Organisationer", "Organisations"),
    "/console/organisations/{org}": ("Zorngården", "Zorngården"),
    "/console/organisations/{org}/units/{unit}": ("Redigera enheten Zornmuseet", "Edit the unit Zornmuseet"),
    "/console/collections": ("Insamlingar", "Collections"),
    "/console/collections/new": ("Publicera en enkät", "Publish a survey"),
    "/console/assignments": ("Uppdrag", "Assignments"),
    "/console/instruments": ("Importera ett XLSForm", "Import an XLSForm"),
    "/console/calibration": ("Kalibrering av mystery shoppers", "Mystery shopper calibration"),
    "/console/jobs": ("Bakgrundsjobb", "Background jobs"),
    "/console/organisations/{org}/jobs": ("Bakgrundsjobb för Zorngården", "Background jobs for Zorngården"),
}


@pytest.mark.parametrize("path", list(HEADINGS))
async def test_each_page_speaks_both_languages(client: Client, world: World, path: str) -> None:
    await log_in(client)
    address = path.format(org=world.organisation_id, unit=world.unit_ids[0])
    for language, heading in zip(("sv", "en"), HEADINGS[path], strict=True):
        answer = await client.get(f"{address}?lang={language}")
        assert answer.status_code == 200
        page = soup(answer)
        assert page.html["lang"] == language
        assert page.h1.text == heading
        assert all(form.find("input", attrs={"name": "_csrf_token"}) for form in page.find_all("form"))


async def test_an_upload_without_the_csrf_token_is_refused(client: Client, world: World) -> None:
    await log_in(client)
    answer = await client.post(f"/console/organisations/{world.organisation_id}/logo",
                               files={"logo": ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml")},
                               follow_redirects=False)  # fmt: skip
    assert answer.status_code == 403
    row = await in_app(client, lambda: Organisation.select(Organisation.logo_sha256).first())
    assert row == {"logo_sha256": ""}
