"""Report definitions: which blocks in which order, for which instrument, with peers anonymised or named.

A definition is a YAML file in ``reports/`` (``client.yaml``, ``comparison.yaml``, ``industry.yaml``), checked
like an instrument: every problem is one line ``file: path.inside.file: message``.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from servicescore.definitions.consistency import InstrumentProblems
from servicescore.definitions.ids import InstrumentId, Key
from servicescore.definitions.text import Text
from servicescore.scoring.schema import MIN_PEERS

BLOCK_TYPES: Final[tuple[str, ...]] = (
    "cover",
    "contents",
    "executive_summary",
    "section_scores",
    "items",
    "league_table",
    "comparison",
    "trend",
    "quadrant",
    "mirror",
    "mystery_call",
    "comments",
    "methodology",
)
BlockType = Literal[
    "cover",
    "contents",
    "executive_summary",
    "section_scores",
    "items",
    "league_table",
    "comparison",
    "trend",
    "quadrant",
    "mirror",
    "mystery_call",
    "comments",
    "methodology",
]
ReportKind = Literal["client", "comparison", "industry"]
# Blocks that only make sense for some kinds of report: a side-by-side needs two organisations.
_KIND_ONLY: Final[dict[str, tuple[str, ...]]] = {"comparison": ("comparison",)}
_ONCE: Final[tuple[str, ...]] = ("cover", "contents", "methodology")


class Block(BaseModel):
    """One block of a report. Written as its type alone (``- trend``) or as a mapping with options."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: BlockType
    title: Text | None = None
    instrument: InstrumentId | None = Field(default=None, description="Overrides the report's instrument.")
    employee_instrument: InstrumentId | None = Field(default=None, description="mirror: the employee survey.")
    limit: int | None = Field(default=None, ge=1, le=50, description="comments, items, league_table: how many.")
    items: list[Key] | None = Field(default=None, description="comments: the text items to quote from.")

    @model_validator(mode="after")
    def _options_fit(self) -> Block:
        if self.employee_instrument is not None and self.type != "mirror":
            raise ValueError("employee_instrument belongs to a mirror block only; remove it here")
        if self.items is not None and self.type != "comments":
            raise ValueError("items belongs to a comments block only; remove it here")
        return self


class ReportDefinition(BaseModel):
    """A report: its kind, the instruments it reads (the first one an organisation has answers for) and blocks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: InstrumentId
    kind: ReportKind
    title: Text
    instrument: list[InstrumentId] = Field(min_length=1)
    peers: Literal["anonymised", "named"] = "anonymised"
    min_peers: int = Field(default=MIN_PEERS, ge=MIN_PEERS)  # a report may raise the floor of peers, not lower it
    blocks: list[Block] = Field(min_length=1)

    @field_validator("instrument", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("blocks", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"type": entry} if isinstance(entry, str) else entry for entry in value]
        return value

    @model_validator(mode="after")
    def _blocks_fit_kind(self) -> ReportDefinition:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen: set[str] = set()
        for position, block in enumerate(self.blocks):
            kinds = _KIND_ONLY.get(block.type)
            if kinds is not None and self.kind not in kinds:
                wanted = " or ".join(kinds)
                problems.append(
                    (
                        ("blocks", position, "type"),
                        f"a {block.type} block needs a report of kind {wanted} (this is {self.kind})",
                    )
                )
            if block.type in _ONCE and block.type in seen:
                problems.append(
                    (("blocks", position, "type"), f"the {block.type} block may appear once; remove this one")
                )
            seen.add(block.type)
        if self.kind == "industry" and self.peers != "named":
            problems.append((("peers",), "an industry report is a named league table; set peers: named"))
        if self.kind == "client" and self.peers != "anonymised":
            problems.append(
                (("peers",), "a client report shows peers anonymised only (DESIGN.md); set peers: anonymised")
            )
        if problems:
            # The instrument loader's carrier of located problems: each line then points at its own field.
            raise InstrumentProblems(problems)
        return self

    def block_instrument(self, block: Block, available: list[str]) -> str | None:
        """The instrument a block reads: its own, else the report's first instrument in ``available``."""
        if block.instrument is not None:
            return block.instrument if block.instrument in available else None
        return next((i for i in self.instrument if i in available), None)
