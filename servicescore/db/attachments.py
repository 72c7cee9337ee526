"""Photo files, stored once per content hash under the key ``attachments/<sha[:2]>/<sha>`` of the storage
(`servicescore.storage`: the data dir or a bucket shared by every process), and who may see them.

The name of a file is the SHA-256 of the bytes the phone uploaded (what its visit refers to); the file holds
the re-encoded copy. A write is whole or absent (on local disk: a temporary file, synced, then renamed).
"""

from __future__ import annotations

import re

from piccolo.query.methods.exists import Exists

from servicescore.db.audit import record_event
from servicescore.db.keys import via
from servicescore.db.tables import Attachment, AuditEvent
from servicescore.identity import Account, Role
from servicescore.storage import Storage
from servicescore.visits.images import Photo, PhotoRejected, StoredPhoto, describe, sniff

SHA256 = re.compile(r"[0-9a-f]{64}")
UPLOADED = "attachment.uploaded"


def attachment_key(sha256: str) -> str:
    """The key of a photo or recording (the attachments are also calibration exercises' recordings)."""
    if not SHA256.fullmatch(sha256):
        raise ValueError("not a lowercase SHA-256")
    return f"attachments/{sha256[:2]}/{sha256}"


def write_photo(storage: Storage, sha256: str, photo: Photo) -> bool:
    """Store the photo unless a copy is there; True when this call wrote it."""
    return storage.put_once(attachment_key(sha256), photo.data)


def read_attachment(storage: Storage, sha256: str) -> bytes | None:
    return storage.get(attachment_key(sha256)) if SHA256.fullmatch(sha256) else None


def read_photo(storage: Storage, sha256: str) -> tuple[bytes, str] | None:
    data = read_attachment(storage, sha256)
    if data is None:
        return None
    return data, sniff(data) or "application/octet-stream"


def stored_photo(storage: Storage, sha256: str) -> StoredPhoto | None:
    """The stored copy's type, size and pixels, or None when no (readable) copy is there: a visit may refer to a
    photo only once it is stored, and its Attachment row describes the file a consultant will be served."""
    found = read_photo(storage, sha256)
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
