"""The content hash of a visit: SHA-256 of its canonical JSON, so the same visit resent hashes the same."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from servicescore.visits.payload import VisitPayload


def canonical_json(payload: VisitPayload) -> str:
    """Sorted keys, no whitespace, times in UTC: two sends of one visit give one text whatever the key order or
    the time zone the phone wrote its clock in."""
    data: dict[str, Any] = payload.model_dump(mode="json")
    for key in ("started_at", "ended_at"):
        value = getattr(payload, key)
        data[key] = None if value is None else value.astimezone(UTC).isoformat()
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(payload: VisitPayload) -> str:
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
