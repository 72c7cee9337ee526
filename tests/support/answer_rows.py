"""Finding a response's stored answers: they refer to the response's number, not its id (m0023)."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import Where

from servicescore.db.tables import Answer, Response


def of_response(response_id: Any) -> Where:
    """The condition that an answer belongs to the response with this id, for select, update and delete alike."""
    return Answer.response_number.is_in(Response.select(Response.number).where(Response.id == response_id))


async def number_of(response_id: Any) -> int:
    """The number the database gave the response with this id."""
    row = await Response.select(Response.number).where(Response.id == response_id).first().run()
    assert row is not None, f"no response {response_id}"
    return int(row["number"])
