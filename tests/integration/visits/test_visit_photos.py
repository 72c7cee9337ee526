"""PUT /api/v1/attachments/{sha256}: type by content, pixel limit, re-encoded without EXIF, stored once per
hash, size limit, and served only to the consultant and the shopper who took it."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from PIL import Image

from servicescore.db.tables import Attachment
from tests.support.visits_world import Client, World, in_app, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"attachment_max_bytes": 2_000_000}


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {2: (60.0, 37.0, 26.0), 1: "N"}
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (20, 120, 60)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


async def upload(client: Client, token: str, data: bytes, sha: str | None = None) -> tuple[int, dict[str, object]]:
    digest = sha or hashlib.sha256(data).hexdigest()
    answer = await client.put(f"/api/v1/attachments/{digest}", content=data,
                              headers={"x-csrftoken": token, "content-type": "image/jpeg"})  # fmt: skip
    return answer.status_code, answer.json()


async def test_a_photo_is_stored_once_without_location_and_shown_only_to_its_people(
    client: Client, world: World
) -> None:
    token = await log_in_as(client, "shopper")
    data = photo_with_gps()
    sha = hashlib.sha256(data).hexdigest()
    assert (await upload(client, token, data))[0] == 201
    assert (await upload(client, token, data))[0] == 200
    files = [path for path in world.settings.attachments_dir.rglob("*") if path.is_file()]
    assert [path.name for path in files] == [sha]
    stored = Image.open(io.BytesIO(files[0].read_bytes()))
    assert dict(stored.getexif()) == {}

    payload = visit_payload(world.assignment_id)
    payload["answers"]["entrance_photo"] = {"photos": [sha]}
    assert (await put_visit(client, token, str(uuid.uuid4()), payload)).status_code == 201
    assert await in_app(client, Attachment.count().where(Attachment.sha256 == sha).run) == 1

    own = await client.get(f"/api/v1/attachments/{sha}")
    assert (own.status_code, own.headers["content-type"]) == (200, "image/jpeg")
    await log_in_as(client, "shopper2")
    assert (await client.get(f"/api/v1/attachments/{sha}")).status_code == 404
    await log_in_as(client, "konsult")
    assert (await client.get(f"/api/v1/attachments/{sha}")).content == files[0].read_bytes()


async def test_what_is_not_a_photo_is_refused(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    status, body = await upload(client, token, b"PK\x03\x04" + b"\0" * 2000)
    assert (status, body["errors"][0]["field"]) == (422, "body")
    assert "checked by content" in body["detail"]
    status, body = await upload(client, token, photo_with_gps(), sha="0" * 64)
    assert (status, body["errors"][0]["message"]) == (422, "does not match the SHA-256 of the body")
    status, body = await upload(client, token, b"\xff\xd8\xff" + b"\0" * 2_100_000)
    assert status == 413
    bomb = io.BytesIO()
    Image.new("1", (7000, 7000)).save(bomb, format="PNG")  # 49 million pixels in a few kB
    status, body = await upload(client, token, bomb.getvalue())
    assert status == 422
    assert "pixels is more than" in body["detail"]
    assert [p for p in world.settings.attachments_dir.rglob("*") if p.is_file()] == []


def transparent_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (200, 30, 30, 128)).save(out, format="PNG")
    return out.getvalue()


async def test_attachment_rows_describe_the_stored_copy(client: Client, world: World) -> None:
    """Type, bytes and pixels of each row are those of the re-encoded file, not of the upload or a guess."""
    token = await log_in_as(client, "shopper")
    wide = io.BytesIO()
    Image.new("RGB", (3000, 1500), (90, 90, 30)).save(wide, format="JPEG", quality=95)
    uploads = [wide.getvalue(), transparent_png(300, 200)]
    for data in uploads:
        assert (await upload(client, token, data))[0] == 201
    payload = visit_payload(world.assignment_id)
    payload["answers"]["entrance_photo"] = {"photos": [hashlib.sha256(data).hexdigest() for data in uploads]}
    answer = await put_visit(client, token, str(uuid.uuid4()), payload)
    assert answer.status_code == 201, answer.text
    rows = await in_app(
        client,
        Attachment.select(
            Attachment.item, Attachment.sha256, Attachment.content_type, Attachment.size, Attachment.width,
            Attachment.height,
        ).order_by(Attachment.size).run,
    )  # fmt: skip
    assert len(rows) == 2
    for row in rows:
        stored = (world.settings.attachments_dir / row["sha256"][:2] / row["sha256"]).read_bytes()
        image = Image.open(io.BytesIO(stored))
        expected_type = "image/png" if image.format == "PNG" else "image/jpeg"
        assert (row["content_type"], row["size"], row["width"], row["height"]) == (
            expected_type, len(stored), image.width, image.height,
        )  # fmt: skip
    png, jpeg = rows  # ordered by size: the small transparent PNG first
    assert (png["content_type"], png["width"], png["height"]) == ("image/png", 300, 200)
    assert (jpeg["content_type"], jpeg["width"], jpeg["height"]) == ("image/jpeg", 2048, 1024)
    assert 0 < jpeg["size"] < len(uploads[0])
