"""``/api/v1``: the offline sync of visits and their photos (contract in ``servicescore.visits.sync``).

Both need a shopper's session and the CSRF header (``x-csrftoken``) the pages carry in
``<meta name="csrf-token">``. Answers come only after the database committed.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Request, Response, Router, get, put
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.params import Body, FromPath
from litestar.status_codes import (
    HTTP_200_OK,
    HTTP_201_CREATED,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
)

from servicescore.db import attachments as photos
from servicescore.db.visits import MissingPhotos, VisitInvalid, VisitNotFound, sync_visit
from servicescore.identity import Account, Role
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.visits.content import content_sha256
from servicescore.visits.images import PhotoRejected, reencode
from servicescore.visits.payload import VisitPayload
from servicescore.visits.sync import Outcome
from servicescore.visits.validation import Problem
from servicescore.web.auth import requires_role, shopper_only
from servicescore.web.json_depth import nests_deeper_than

MAX_VISIT_BYTES = 1_000_000
MAX_JSON_DEPTH = 32  # a visit nests 5 levels deep; the parser would recurse once per level of anything deeper
MAX_UPLOAD_BYTES = 64_000_000  # the transport's ceiling; settings.attachment_max_bytes is the real limit

SYNC_DESCRIPTION = """\
The whole visit as JSON; the id is a UUID the phone made. Status codes:

* **201** the visit was new and is stored.
* **200** `outcome: unchanged` — the same id, revision and content (SHA-256 of the canonical JSON) was stored
  before: nothing new is written (a resend after a lost reply). `outcome: updated` — a higher `revision` of a
  visit that is a draft or was returned: the shopper's edit or resubmission replaced it (history kept).
* **409** the same revision with other content, an older revision with other content, a higher revision of a
  visit the consultant holds (submitted, approved, rejected), or a second visit for one assignment: nothing changed.
* **404** no such assignment for this shopper (another shopper's looks missing).
* **400/422** malformed JSON, unknown fields, items not in the scorecard, values outside the scale, a clock in
  the future, photos not uploaded yet: `errors` names each field, with an English `message` and a `code`
  (`required`, `invalid`, `out_of_range`, `clock`, …) the phone says in the shopper's language; nothing stored.
* **413** a body over 1 MB. **400** a body nested more than 32 levels deep (checked before it is parsed).

The reply is sent only after the database committed. Send the photos first (`PUT /api/v1/attachments/{sha256}`).
"""


def _now() -> datetime:
    return datetime.now(UTC)


def _errors(items: list[tuple[str, str]], status: int, detail: str, code: str = "invalid") -> Response[dict[str, Any]]:
    return _problems([Problem(field, message, code) for field, message in items], status, detail)


def _problems(problems: list[Problem], status: int, detail: str) -> Response[dict[str, Any]]:
    """Each error names its field, an English message and a ``code`` (``validation.CODES``) the phone says in the
    shopper's language."""
    errors = [{"field": p.field, "message": p.message, "code": p.code} for p in problems]
    return Response({"status_code": status, "detail": detail, "errors": errors}, status_code=status)


def bad_request(_: Request[Any, Any, Any], error: HTTPException) -> Response[dict[str, Any]]:
    """Litestar's body parsing and validation as the API's error shape: a field path and a message each."""
    extra = error.extra if isinstance(error, ValidationException) and isinstance(error.extra, list) else []
    items = [
        (str(entry.get("key", "body")), str(entry.get("message", ""))) for entry in extra if isinstance(entry, dict)
    ]
    if not items:  # the body is not JSON at all
        return _errors([("body", str(error.detail))], 400, "malformed JSON")
    return _errors(items, HTTP_422_UNPROCESSABLE_ENTITY, "the visit does not fit the format")


async def refuse_deep_json(request: Request[Any, Any, Any]) -> Response[dict[str, Any]] | None:
    """Runs before the body is parsed, whatever its declared type (the body is read within the handler's size limit,
    then kept for parsing)."""
    if nests_deeper_than(await request.body(), MAX_JSON_DEPTH):
        return _errors([("body", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")], 400, "malformed JSON")
    return None


@put(
    "/visits/{visit_id:uuid}",
    status_code=HTTP_200_OK,
    request_max_body_size=MAX_VISIT_BYTES,
    guards=[shopper_only],
    before_request=refuse_deep_json,
    summary="Store or resend a visit (offline sync)",
    description=SYNC_DESCRIPTION,
)
async def put_visit(
    request: Request[Any, Any, Any],
    visit_id: FromPath[uuid.UUID],
    data: Annotated[VisitPayload, Body(title="Visit", description="The whole visit, as the phone holds it")],
    account: NamedDependency[Account],
) -> Response[dict[str, Any]]:
    sha = content_sha256(data)
    settings: Settings = request.app.state.settings
    try:
        result = await sync_visit(
            request.app.state.engine,
            visit_id,
            data,
            sha,
            shopper_id=account.id,
            now=_now(),
            stored_photo=lambda digest: photos.stored_photo(storage_for(settings), digest),
        )
    except VisitNotFound:
        raise NotFoundException("no such assignment or visit") from None
    except VisitInvalid as error:
        return _problems(error.problems, HTTP_422_UNPROCESSABLE_ENTITY, str(error))
    except MissingPhotos as error:
        items = [("photos", f"{sha256} is not uploaded yet") for sha256 in error.missing]
        return _errors(items, HTTP_422_UNPROCESSABLE_ENTITY, str(error), "photos_missing")
    body = {
        "id": str(result.visit_id),
        "outcome": result.decision.outcome.value,
        "revision": result.revision,
        "status": result.status,
        "content_sha256": result.content_sha256,
    }
    if result.decision.outcome is Outcome.conflict:
        return Response({**body, "detail": result.decision.reason, "status_code": 409}, status_code=HTTP_409_CONFLICT)
    created = result.decision.outcome is Outcome.created
    return Response(body, status_code=HTTP_201_CREATED if created else HTTP_200_OK)


@put(
    "/attachments/{sha256:str}",
    status_code=HTTP_200_OK,
    request_max_body_size=MAX_UPLOAD_BYTES,
    guards=[shopper_only],
    summary="Upload a photo by the SHA-256 of its bytes",
    description="The body is the image (JPEG, PNG or WebP, checked by content). It is re-encoded without EXIF "
    "and kept once per hash: 201 when stored now, 200 when it was there. 413 over the size limit, 422 for "
    "anything that is not a readable image of at most 40 million pixels or does not match its hash.",
)
async def put_attachment(
    request: Request[Any, Any, Any], sha256: FromPath[str], account: NamedDependency[Account]
) -> Response[dict[str, Any]]:
    settings: Settings = request.app.state.settings
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.attachment_max_bytes:
        return _errors(
            [("body", f"more than {settings.attachment_max_bytes:,} bytes")],
            HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "too large",
            "photo_too_large",
        )
    if not photos.SHA256.fullmatch(sha256):
        return _errors([("sha256", "must be 64 lowercase hex digits")], HTTP_422_UNPROCESSABLE_ENTITY, "bad hash")
    data = await request.body()
    if len(data) > settings.attachment_max_bytes:
        return _errors(
            [("body", f"more than {settings.attachment_max_bytes:,} bytes")],
            HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "too large",
            "photo_too_large",
        )
    if hashlib.sha256(data).hexdigest() != sha256:
        return _errors(
            [("sha256", "does not match the SHA-256 of the body")], HTTP_422_UNPROCESSABLE_ENTITY, "hash mismatch"
        )
    try:
        photo = reencode(data)
    except PhotoRejected as error:
        return _errors([("body", str(error))], HTTP_422_UNPROCESSABLE_ENTITY, str(error), "photo_rejected")
    new = await asyncio.to_thread(
        photos.write_photo, storage_for(settings), sha256, photo
    )  # a bucket is a request away
    await photos.record_upload(account, sha256, photo, new=new)
    body = {"sha256": sha256, "content_type": photo.content_type, "width": photo.width, "height": photo.height}
    return Response(body, status_code=HTTP_201_CREATED if new else HTTP_200_OK)


@get("/attachments/{sha256:str}", summary="A photo, for its shopper and consultants only")
async def get_attachment(
    request: Request[Any, Any, Any], sha256: FromPath[str], account: NamedDependency[Account]
) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    stored = await asyncio.to_thread(photos.read_photo, storage_for(settings), sha256)
    if stored is None or not await photos.may_see(account, sha256):
        raise NotFoundException("no such photo")
    data, content_type = stored
    return Response(data, media_type=content_type, headers={"cache-control": "private, max-age=86400"})


api_router = Router(
    path="/api/v1",
    guards=[requires_role(Role.shopper, Role.consultant)],
    route_handlers=[put_visit, put_attachment, get_attachment],
    exception_handlers={400: bad_request},
    tags=["visits"],
)
