"""Item types. One model per type, chosen by the ``type`` field, so errors name the type's own fields."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from servicescore.definitions.conditions import Condition
from servicescore.definitions.ids import ChoiceValue, Key
from servicescore.definitions.text import Text

ItemType = Literal["rating", "nps", "yes_no", "choice", "text", "number", "duration", "photo"]
ITEM_TYPES: tuple[str, ...] = ("rating", "nps", "yes_no", "choice", "text", "number", "duration", "photo")
NA_TYPES: tuple[str, ...] = ("rating", "yes_no", "choice", "number", "duration")
OUTCOME_TYPES: tuple[str, ...] = ("rating", "nps")

Weight = Annotated[float, Field(gt=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EndLabels(_Strict):
    """What the lowest and the highest point of a scale mean, shown at its ends."""

    min: Text
    max: Text


RATING_LABELS = EndLabels(min=Text(sv="Mycket dåligt", en="Very poor"), max=Text(sv="Mycket bra", en="Very good"))
NPS_LABELS = EndLabels(
    min=Text(sv="Inte alls troligt", en="Not at all likely"), max=Text(sv="Mycket troligt", en="Extremely likely")
)


class Scale(_Strict):
    min: Annotated[int, Field(ge=0)] = 1
    max: Annotated[int, Field(le=10)] = 5
    labels: EndLabels = RATING_LABELS

    @field_validator("max")
    @classmethod
    def _above_min(cls, value: int, info: ValidationInfo) -> int:
        low = info.data.get("min")
        if low is not None and value <= low:
            raise ValueError(f"must be greater than min (got {value}, min is {low})")
        return value


class Choice(_Strict):
    value: ChoiceValue
    text: Text


class _ItemBase(_Strict):
    type_name: ClassVar[str]

    id: Key
    text: Text
    help: Text | None = None
    weight: Weight = 1.0
    required: bool = False
    na_allowed: bool = False
    show_if: Condition | None = None
    role: Literal["outcome"] | None = None
    comment: bool = False
    # False for questions that ask permission or describe the respondent rather than rate the service (may we
    # contact you?): they keep their own item statistics but stay out of section and overall scores.
    scored: bool = True

    @field_validator("na_allowed")
    @classmethod
    def _na_fits_type(cls, value: bool) -> bool:
        if value and cls.type_name not in NA_TYPES:
            raise ValueError(
                f"a {cls.type_name} item cannot be answered N/A; remove na_allowed "
                f"(N/A is for {', '.join(NA_TYPES)} items)"
            )
        return value

    @field_validator("role")
    @classmethod
    def _outcome_fits_type(cls, value: str | None) -> str | None:
        if value == "outcome" and cls.type_name not in OUTCOME_TYPES:
            raise ValueError(
                f"role 'outcome' is only for rating and nps items; remove it from this {cls.type_name} item"
            )
        return value


class RatingItem(_ItemBase):
    type_name: ClassVar[str] = "rating"
    type: Literal["rating"]
    scale: Scale = Scale()


class NpsItem(_ItemBase):
    """Net Promoter question: fixed 0–10, promoters 9–10, detractors 0–6."""

    type_name: ClassVar[str] = "nps"
    type: Literal["nps"]
    labels: EndLabels = NPS_LABELS


class YesNoItem(_ItemBase):
    type_name: ClassVar[str] = "yes_no"
    type: Literal["yes_no"]
    points: Annotated[float, Field(ge=0)] = 1.0


class ChoiceItem(_ItemBase):
    type_name: ClassVar[str] = "choice"
    type: Literal["choice"]
    multiple: bool = False
    choices: Annotated[list[Choice], Field(min_length=2)]

    def values(self) -> list[str]:
        return [choice.value for choice in self.choices]


class TextItem(_ItemBase):
    type_name: ClassVar[str] = "text"
    type: Literal["text"]
    max_length: Annotated[int, Field(ge=1, le=10000)] = 2000


class NumberItem(_ItemBase):
    type_name: ClassVar[str] = "number"
    type: Literal["number"]
    min: float | None = None
    max: float | None = None
    integer: bool = False
    unit: Text | None = None

    @field_validator("max")
    @classmethod
    def _above_min(cls, value: float | None, info: ValidationInfo) -> float | None:
        low = info.data.get("min")
        if value is not None and low is not None and value <= low:
            raise ValueError(f"must be greater than min (got {value:g}, min is {low:g})")
        return value


class DurationItem(_ItemBase):
    """A length of time, answered in seconds (queue time, length of a guided tour)."""

    type_name: ClassVar[str] = "duration"
    type: Literal["duration"]
    max_seconds: Annotated[int, Field(gt=0)] | None = None


class PhotoItem(_ItemBase):
    type_name: ClassVar[str] = "photo"
    type: Literal["photo"]
    max_count: Annotated[int, Field(ge=1, le=20)] = 3


Item = Annotated[
    RatingItem | NpsItem | YesNoItem | ChoiceItem | TextItem | NumberItem | DurationItem | PhotoItem,
    Field(discriminator="type"),
]
