"""Writing responses and their answers in bulk."""

from __future__ import annotations

from collections.abc import Sequence

from servicescore.db.tables import Answer, Response

BATCH_ROWS = 1000


async def insert_responses(responses: Sequence[Response], answers: Sequence[Answer]) -> None:
    """Insert in batches inside the caller's transaction: a batch is one statement, not one per row."""
    for start in range(0, len(responses), BATCH_ROWS):
        await Response.insert(*responses[start : start + BATCH_ROWS]).returning(Response.id).run()
    for start in range(0, len(answers), BATCH_ROWS):
        await Answer.insert(*answers[start : start + BATCH_ROWS]).returning(Answer._meta.primary_key).run()
