"""The visit as the shopper's phone sends it: ``PUT /api/v1/visits/{uuid}`` carries one ``VisitPayload``.

Strict on shape (unknown fields are refused, so a typo does not silently drop an answer); the checks that need
the scorecard live in ``validation.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the re-encoded photo, lowercase hex")]
MAX_COMMENT_CHARS = 3000
MAX_ANSWERS = 200


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Position(_Strict):
    """Where the phone said it was when the visit started, if the shopper allowed it."""

    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    accuracy_m: Annotated[float, Field(ge=0, le=100_000, description="radius of 68 % confidence, metres")]


class ItemAnswer(_Strict):
    """One item's answer. ``value``: rating/NPS/number an integer or number, yes/no a boolean, duration whole
    seconds, text a string, choice a value or a list of values; photo items leave it out and list ``photos``."""

    value: StrictBool | StrictInt | StrictFloat | StrictStr | list[StrictStr] | None = None
    na: bool = False
    comment: Annotated[str, Field(max_length=MAX_COMMENT_CHARS)] | None = None
    photos: Annotated[list[Sha256], Field(max_length=20)] = []


class VisitPayload(_Strict):
    """The whole visit. ``revision`` starts at 1 and goes up by one each time the shopper changes a visit that
    has already been sent; the server keeps the highest revision it accepted (see ``sync.decide``)."""

    assignment_id: Annotated[int, Field(gt=0)]
    revision: Annotated[int, Field(ge=1, le=100_000)] = 1
    status: Literal["draft", "submitted"]
    language: Literal["sv", "en"] = "sv"
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    position: Position | None = None
    answers: Annotated[dict[str, ItemAnswer], Field(max_length=MAX_ANSWERS)] = {}

    def photo_hashes(self) -> set[str]:
        return {sha for answer in self.answers.values() for sha in answer.photos}
