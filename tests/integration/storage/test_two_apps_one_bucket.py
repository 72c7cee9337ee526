"""Two app processes with their own, empty data dirs and one bucket (SERVICESCORE_STORAGE_URL=s3://…) are one
service: a logo uploaded through one is shown by the other (console, client portal and the client's PDF), a photo
a shopper sends to one is served by the other, and the PDF printed by one is the other's cached PDF, byte for
byte. They run one after the other in this process (two apps on one SQLite file in one process would share
Piccolo's tables), on one copy of the demo database; the many-machines end-to-end test runs them at once."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from servicescore.accounts.users import create_account
from servicescore.app import create_app
from servicescore.db.tables import Organisation
from servicescore.identity import Role
from servicescore.reporting.on_demand import CACHE, POOL
from servicescore.settings import Settings
from servicescore.storage import storage_for
from tests.support.console_world import in_app, log_in, post_form
from tests.support.visits_world import PASSWORD, log_in_as

pytestmark = pytest.mark.anyio
BASE_URL = "http://127.0.0.1"
REPORT = "/console/reports/pdf?report=client&organisation=zorngarden&language=sv"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (122, 46, 31)).save(out, format="PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (20, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def _image_sizes(pdf: bytes) -> list[str]:
    """``"width height"`` of every image on the PDF's cover (pdfimages -list)."""
    listing = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", "-"], input=pdf, check=True,
                             capture_output=True).stdout.decode()  # fmt: skip
    return [" ".join(line.split()[3:5]) for line in listing.splitlines()[2:]]


async def _accounts() -> int:
    await create_account("konsult", PASSWORD, Role.consultant)
    await create_account("shopper", PASSWORD, Role.shopper)
    await create_account("kund", PASSWORD, Role.client, organisation="zorngarden")
    found = await Organisation.select(Organisation.id).where(Organisation.slug == "zorngarden").first()
    assert found is not None
    return int(found["id"])


async def test_two_apps_with_their_own_data_dirs_share_files_through_the_bucket(
    storage_url: str, database_url: str, tmp_path: Path, isolated_environment: None,
    requires: Callable[..., None],
) -> None:  # fmt: skip
    requires("pdfimages (poppler-utils)", available=shutil.which("pdfimages") is not None)
    settings = [
        Settings(data_dir=tmp_path / name, database_url=database_url, storage_url=storage_url) for name in ("a", "b")
    ]
    photo = _jpeg()
    sha = hashlib.sha256(photo).hexdigest()
    renders, hits = POOL.renders, POOL.hits
    async with AsyncTestClient(app=create_app(settings[0]), base_url=BASE_URL) as one:
        organisation_id = await in_app(one, _accounts)
        page = f"/console/organisations/{organisation_id}"
        await log_in(one)
        uploaded = await post_form(one, f"{page}/logo", {}, {"logo": ("zorn.png", _png(240, 120), "image/png")},
                                   form_page=page)  # fmt: skip
        assert uploaded.status_code == 303, uploaded.text
        logo = await one.get(f"{page}/logo")
        assert logo.status_code == 200
        printed = await one.get(REPORT)
        assert printed.status_code == 200, printed.text
        assert POOL.renders == renders + 1
        assert "240 120" in _image_sizes(printed.content)  # the uploaded logo on the cover
        token = await log_in_as(one, "shopper")
        sent = await one.put(f"/api/v1/attachments/{sha}", content=photo,
                             headers={"x-csrftoken": token, "content-type": "image/jpeg"})  # fmt: skip
        assert sent.status_code == 201, sent.text
        own = await one.get(f"/api/v1/attachments/{sha}")

    # The other process, with its own empty data dir: the same logo, photo and PDF, which it does not print again.
    async with AsyncTestClient(app=create_app(settings[1]), base_url=BASE_URL) as two:
        await log_in(two)
        assert (await two.get(f"{page}/logo")).content == logo.content
        shown = await two.get(f"/api/v1/attachments/{sha}")
        assert (shown.status_code, shown.headers["content-type"]) == (200, "image/jpeg")
        assert shown.content == own.content
        served = await two.get(REPORT)
        assert served.status_code == 200
        assert served.content == printed.content
        assert (POOL.renders, POOL.hits) == (renders + 1, hits + 1)
        await log_in(two, "kund")
        portal = await two.get("/portal/logo")
        assert (portal.status_code, portal.content) == (200, logo.content)

    stored = {key for s in settings for key in (f.key for f in storage_for(s).list(CACHE))}
    assert len(stored) == 1
    for data_dir in (tmp_path / "a", tmp_path / "b"):  # nothing of it on either machine's disk
        assert not [p for p in data_dir.rglob("*") if p.is_file() and p.parent.name in {"logos", "reports"}]
        assert not (data_dir / "attachments").exists()
