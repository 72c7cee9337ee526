"""The audit trail: who did what to which object, and when."""

from __future__ import annotations

from typing import Any

from servicescore.db.tables import AuditEvent


async def record_event(
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
) -> None:
    await AuditEvent.insert(
        AuditEvent(
            actor=actor_id, action=action, object_type=object_type, object_id=str(object_id), detail=detail or {}
        )
    ).run()
