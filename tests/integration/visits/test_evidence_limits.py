"""Photo evidence at its limits, with the default settings: a 50 MB upload (API and form), a zip bomb, location
data through the form path, and who may fetch a photo (another shopper: like a missing one; a client: refused)."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from servicescore.accounts.users import create_account
from servicescore.db.tables import Attachment, AuditEvent, Organisation
from servicescore.identity import Role
from tests.support.visits_world import PASSWORD, Client, World, in_app, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio

FIFTY_MB = 50 * 1024 * 1024


def stored_files(world: World) -> list[str]:
    return [path.name for path in world.settings.attachments_dir.rglob("*") if path.is_file()]


async def uploads_recorded(client: Client) -> int:
    return await in_app(client, AuditEvent.count().where(AuditEvent.action == "attachment.uploaded").run)


def gps_jpeg(size: tuple[int, int] = (640, 480)) -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (60.0, 37.0, 26.0), 3: "E", 4: (15.0, 46.0, 44.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (120, 40, 40)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


async def test_a_50_mb_photo_is_refused_by_the_api_and_the_form(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    big = b"\xff\xd8\xff\xe0" + bytes(FIFTY_MB)
    sha = hashlib.sha256(big).hexdigest()
    answer = await client.put(f"/api/v1/attachments/{sha}", content=big,
                              headers={"x-csrftoken": token, "content-type": "image/jpeg"})  # fmt: skip
    assert answer.status_code == 413
    assert answer.json()["errors"] == [
        {"field": "body", "message": "more than 15,000,000 bytes", "code": "photo_too_large"}
    ]

    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    form = await client.post(
        f"/visits/{world.assignment_id}/section/1",
        data={"welcome_warmth": "4", "_csrf_token": token},
        files={"entrance_photo.photo": ("entre.jpg", big, "image/jpeg")},
    )
    assert form.status_code == 413
    assert "Traceback" not in form.text
    assert stored_files(world) == []
    assert await uploads_recorded(client) == 0
    assert await in_app(client, Attachment.count().run) == 0


async def test_a_photo_just_over_the_limit_in_the_form_is_named_as_too_large(client: Client, world: World) -> None:
    """Under the form's transport ceiling but over the photo limit: the item says so, rather than that a cut-off
    copy of the file is unreadable."""
    token = await log_in_as(client, "shopper")
    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    too_large = gps_jpeg() + bytes(16_000_000)
    answer = await client.post(
        f"/visits/{world.assignment_id}/section/1",
        data={"_csrf_token": token},
        files={"entrance_photo.photo": ("entre.jpg", too_large, "image/jpeg")},
    )
    assert [r.status_code for r in answer.history] == [303], "redirected to the page: Back and reload post nothing"
    assert (answer.status_code, answer.url.params["sent"]) == (200, "1")
    problem = BeautifulSoup(answer.text, "html.parser").find(id="p-entrance_photo")
    assert problem is not None
    assert problem.text == "Fotot är för stort."
    assert stored_files(world) == []


async def test_a_zip_bomb_is_refused_and_nothing_is_stored(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("photo.jpg", bytes(200 * 1024 * 1024))  # 200 MB of zeros in about 200 kB
    bomb = packed.getvalue()
    assert len(bomb) < 1_000_000
    sha = hashlib.sha256(bomb).hexdigest()
    answer = await client.put(f"/api/v1/attachments/{sha}", content=bomb,
                              headers={"x-csrftoken": token, "content-type": "image/jpeg"})  # fmt: skip
    assert answer.status_code == 422
    assert "checked by content" in answer.json()["detail"]
    assert stored_files(world) == []
    assert await uploads_recorded(client) == 0


async def test_location_is_stripped_from_a_photo_sent_through_the_form(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    original = gps_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the upload does carry a position
    answer = await client.post(
        f"/visits/{world.assignment_id}/section/1",
        data={"_csrf_token": token},
        files={"entrance_photo.photo": ("entre.jpg", original, "image/jpeg")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:2000]
    [name] = stored_files(world)
    assert name == hashlib.sha256(original).hexdigest()
    stored = (world.settings.attachments_dir / name[:2] / name).read_bytes()
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    assert b"Exif" not in stored[:4096]


async def make_client_viewer(client: Client) -> None:
    async def create() -> None:
        await Organisation.insert(Organisation(slug="zorngarden", name="Zorngården")).run()
        await create_account("kund", PASSWORD, Role.client, organisation="zorngarden")

    await in_app(client, create)


async def test_a_photo_is_served_only_to_its_shopper_and_consultants(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    data = gps_jpeg((320, 240))
    sha = hashlib.sha256(data).hexdigest()
    uploaded = await client.put(f"/api/v1/attachments/{sha}", content=data,
                                headers={"x-csrftoken": token, "content-type": "image/jpeg"})  # fmt: skip
    assert uploaded.status_code == 201
    payload = visit_payload(world.assignment_id)
    payload["answers"]["entrance_photo"] = {"photos": [sha]}
    assert (await put_visit(client, token, str(uuid.uuid4()), payload)).status_code == 201
    assert (await client.get(f"/api/v1/attachments/{sha}")).status_code == 200

    missing_sha = "f" * 64
    await log_in_as(client, "shopper2")
    other, missing = (
        await client.get(f"/api/v1/attachments/{sha}"),
        await client.get(f"/api/v1/attachments/{missing_sha}"),
    )
    assert (other.status_code, other.content) == (missing.status_code, missing.content)
    assert other.status_code == 404

    await make_client_viewer(client)
    await log_in_as(client, "kund")
    viewer = await client.get(f"/api/v1/attachments/{sha}")
    assert viewer.status_code in {403, 404}
    assert viewer.headers["content-type"] != "image/jpeg"
    assert data[:100] not in viewer.content

    await log_in_as(client, "konsult")
    assert (await client.get(f"/api/v1/attachments/{sha}")).headers["content-type"] == "image/jpeg"
