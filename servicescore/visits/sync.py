"""The sync decision for ``PUT /api/v1/visits/{uuid}``, apart from any storage so it can be tested exhaustively.

A visit is identified by the UUID the phone made; its content by the SHA-256 of its canonical JSON; the
shopper's own edits by ``revision``:

- unknown id → **created** (201);
- the stored revision with the same content → **unchanged** (200, nothing written): a resend;
- the stored revision with other content → **conflict** (409, nothing written);
- an older revision with the content that revision had → **unchanged** (a late resend of what was confirmed);
  with other content → **conflict**;
- a higher revision while the stored visit is a draft or was returned → **updated** (200): an edit or a
  resubmission; while it is submitted, approved or rejected → **conflict** (the consultant holds it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

EDITABLE = frozenset({"draft", "returned"})


class Outcome(StrEnum):
    created = "created"
    unchanged = "unchanged"
    updated = "updated"
    conflict = "conflict"


@dataclass(frozen=True, slots=True)
class StoredVisit:
    revision: int
    content_sha256: str
    status: str
    history: Mapping[int, str]  # revision → content hash of every revision accepted


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reason: str = ""


def decide(stored: StoredVisit | None, revision: int, content_sha256: str) -> Decision:  # noqa: PLR0911 - the rules read best as a list
    if stored is None:
        return Decision(Outcome.created)
    if revision == stored.revision:
        if content_sha256 == stored.content_sha256:
            return Decision(Outcome.unchanged)
        return Decision(
            Outcome.conflict,
            f"revision {revision} is already stored with other content; send revision {revision + 1} to change it",
        )
    if revision < stored.revision:
        if stored.history.get(revision) == content_sha256:
            return Decision(Outcome.unchanged)
        return Decision(Outcome.conflict, f"revision {revision} is older than the stored revision {stored.revision}")
    if stored.status not in EDITABLE:
        return Decision(
            Outcome.conflict, f"the visit is {stored.status} and can change only while a draft or after a return"
        )
    return Decision(Outcome.updated)
