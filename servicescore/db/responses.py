"""Writing responses and their answers in bulk."""

from __future__ import annotations

from collections.abc import Sequence

from servicescore.collections.answers import Answers
from servicescore.db.tables import Answer, Response

BATCH_ROWS = 1000


async def insert_responses(answered: Sequence[tuple[Response, Answers]]) -> None:
    """Insert each response, then its answers, which refer to the number the database gave it, in batches inside
    the caller's transaction: a batch is one statement, not one per row."""
    numbers: dict[str, int] = {}
    for start in range(0, len(answered), BATCH_ROWS):
        batch = [response for response, _ in answered[start : start + BATCH_ROWS]]
        rows = await Response.insert(*batch).returning(Response.id, Response.number).run()
        numbers.update((str(row["id"]), row["number"]) for row in rows)
    answers = [
        Answer(response_number=numbers[str(response.id)], item=item, value=a.value, na=a.na, text=a.text)
        for response, of_response in answered
        for item, a in of_response.items()
    ]
    for start in range(0, len(answers), BATCH_ROWS):
        await Answer.insert(*answers[start : start + BATCH_ROWS]).returning(Answer._meta.primary_key).run()
