"""Photo files, stored once per content hash under ``settings.attachments_dir``, and who may see them.

The name of a file is the SHA-256 of the bytes the phone uploaded (what its visit refers to); the file holds
the re-encoded copy. Writing goes to a temporary file that is synced and then renamed, so a crash leaves
either the whole file or none.
"""

from __future__ import annotations

import re
from pathlib import Path

from piccolo.query.methods.exists import Exists

from servicescore.db.audit import record_event
from servicescore.db.keys import via
from servicescore.db.stored_files import write_once
from servicescore.db.tables import Attachment, AuditEvent
from servicescore.identity import Account, Role
from servicescore.visits.images import Photo, PhotoRejected, StoredPhoto, describe, sniff

SHA256 = re.compile(r"[0-9a-f]{64}")
UPLOADED = "attachment.uploaded"


def photo_path(folder: Path, sha256: str) -> Path:
    if not SHA256.fullmatch(sha256):
        raise ValueError("not a lowercase SHA-256")
    return folder / sha256[:2] / sha256


def has_photo(folder: Path, sha256: str) -> bool:
    return SHA256.fullmatch(sha256) is not None and photo_path(folder, sha256).is_file()


def write_photo(folder: Path, sha256: str, photo: Photo) -> bool:
    """Store the photo unless a copy is there; True when this call wrote it."""
    return write_once(photo_path(folder, sha256), photo.data)


def read_photo(folder: Path, sha256: str) -> tuple[bytes, str] | None:
    if not has_photo(folder, sha256):
        return None
    data = photo_path(folder, sha256).read_bytes()
    return data, sniff(data) or "application/octet-stream"


def stored_photo(folder: Path, sha256: str) -> StoredPhoto | None:
    """The stored copy's type, size and pixels, or None when no (readable) copy is there: a visit may refer to a
    photo only once it is stored, and its Attachment row describes the file a consultant will be served."""
    found = read_photo(folder, sha256)
    if found is None:
        return None
    try:
        return describe(found[0])
    except PhotoRejected:
        return None


async def record_upload(account: Account, sha256: str, photo: Photo, *, new: bool) -> None:
    await record_event(
        UPLOADED,
        actor_id=account.id,
        object_type="attachment",
        object_id=sha256,
        detail={"content_type": photo.content_type, "width": photo.width, "height": photo.height, "new": new},
    )


def uploads_by(actor_id: int, sha256: str) -> Exists[AuditEvent]:
    """Whether this user uploaded the photo; object_type and object_id lead so the m0003 index answers it."""
    return AuditEvent.exists().where(
        (AuditEvent.object_type == "attachment")
        & (AuditEvent.object_id == sha256)
        & (AuditEvent.action == UPLOADED)
        & (AuditEvent.actor == actor_id)
    )


async def may_see(account: Account, sha256: str) -> bool:
    """Consultants see every photo; a shopper only the ones they uploaded or that belong to their visits."""
    if account.role is Role.consultant:
        return True
    if account.role is not Role.shopper:
        return False
    uploaded = await uploads_by(account.id, sha256)
    if uploaded:
        return True
    return bool(
        await Attachment.exists().where(
            (Attachment.sha256 == sha256) & (via(Attachment.response.assignment).shopper == account.id)
        )
    )
