"""The audit trail: who did what to which object, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from servicescore.db.tables import AuditEvent


async def record_event(
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """``at`` is the moment the write itself was given (a visit's sync or review: the shopper's history reads it),
    else the database's now."""
    event = AuditEvent(
        actor=actor_id, action=action, object_type=object_type, object_id=str(object_id), detail=detail or {}
    )
    if at is not None:
        event.at = at
    await AuditEvent.insert(event).run()
