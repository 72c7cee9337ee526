"""An instrument: a survey a respondent fills in, or a scorecard an observer fills in about a visit or call."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from servicescore.definitions.consistency import InstrumentProblems, find_problems
from servicescore.definitions.follow_up import FollowUp, follow_up_problems
from servicescore.definitions.ids import InstrumentId, Key
from servicescore.definitions.items import Item, Weight
from servicescore.definitions.text import Text


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Key
    title: Text
    weight: Weight = 1.0
    items: Annotated[list[Item], Field(min_length=1)]


class Instrument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: InstrumentId
    kind: Literal["survey", "scorecard"]
    title: Text
    description: Text | None = None
    sections: Annotated[list[Section], Field(min_length=1)]
    follow_up: FollowUp | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = find_problems(self.sections)
        if self.follow_up is not None:
            problems += follow_up_problems(self.follow_up, self.sections)
        if problems:
            raise InstrumentProblems(problems)
        return self

    def canonical_json(self) -> str:
        """The validated definition as JSON with sorted keys and no whitespace: what the version hashes.

        ``Instrument.model_validate_json(text)`` restores it, so a database can keep each version as is.
        """
        document = self.model_dump(mode="json", by_alias=True)
        if document.get("follow_up") is None:
            # Instruments without a follow-up keep the versions they had before the field existed.
            document.pop("follow_up", None)
        return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @cached_property
    def version(self) -> str:
        """The content's fingerprint: edits to wording, weights or items make a new one; YAML layout does not."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()[:12]

    def items(self) -> Iterator[tuple[Section, Item]]:
        """Every item with its section, in the order a respondent meets them."""
        for section in self.sections:
            for item in section.items:
                yield section, item

    def item(self, item_id: str) -> Item:
        """The item with id ``item_id``; KeyError if there is none."""
        for _, item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(f"instrument {self.id!r} has no item {item_id!r}")

    def section_of(self, item_id: str) -> Section:
        """The section holding item ``item_id``; KeyError if there is none."""
        for section, item in self.items():
            if item.id == item_id:
                return section
        raise KeyError(f"instrument {self.id!r} has no item {item_id!r}")

    def outcomes(self) -> list[Item]:
        """Items with role ``outcome`` (overall satisfaction, recommendation): the targets of driver analysis."""
        return [item for _, item in self.items() if item.role == "outcome"]
