"""The API's response bodies. Each is a Pydantic model, so the OpenAPI schema says exactly what a client gets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    field: str = Field(description="The parameter (or body field) that is wrong: `instrument`, `id`, `per_page`, …")
    message: str


class ApiError(BaseModel):
    status_code: int
    detail: str
    errors: list[FieldProblem] = Field(default_factory=list)


class UnitOut(BaseModel):
    id: int
    slug: str
    name: str
    kind: str = Field(description="site | call_centre | team | channel")


class OrganisationOut(BaseModel):
    id: int
    slug: str = Field(description="The key score and benchmark tables use in `organisation`.")
    name: str
    peer_group: str | None = Field(description="The peer group's slug, or null without one.")
    peer_group_name: str | None


class OrganisationDetail(OrganisationOut):
    units: list[UnitOut]


class CollectionUnit(BaseModel):
    organisation: str
    unit_id: int
    unit: str
    unit_name: str
    url: str | None = Field(description="The unit's public survey link (consultants only; null for client viewers).")


class CollectionOut(BaseModel):
    id: int
    title: str
    instrument: str
    wave: str
    opens_at: datetime
    closes_at: datetime
    state: Literal["not_yet_open", "open", "closed"]
    units: list[CollectionUnit]


class AnswerOut(BaseModel):
    """One answer of one counted response (complete survey, approved visit): the long layout of answer files. A
    client viewer gets a keyed pseudonym for `response_id` and only the date of `submitted_at`, as in their
    exports."""

    response_id: str
    instrument: str
    wave: str
    organisation: str
    unit: str
    segment: str | None = Field(description="Null for client viewers where the segment's group is too small.")
    section: str | None
    item: str
    value: float | None
    na: bool
    text: str | None
    submitted_at: datetime | date | None = Field(description="The time; for client viewers only the date.")


class AnswerPage(BaseModel):
    total: int = Field(description="Answers matching the filters, on every page.")
    page: int
    per_page: int
    items: list[AnswerOut]


class ScoreRow(BaseModel):
    """One row of a score table (DESIGN.md "Numbers"): percentages and their intervals on 0–100; every statistic
    is null when the group is suppressed (fewer respondents than the installation's minimum group size), and for
    client viewers `n` too, as in their score export."""

    instrument: str
    wave: str
    organisation: str
    unit: str | None = None
    section: str | None = None
    item: str | None = None
    n: int | None
    n_eff: float | None
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    index: float | None
    index_ci_low: float | None
    index_ci_high: float | None
    top2_pct: float | None
    top2_ci_low: float | None
    top2_ci_high: float | None
    bottom_pct: float | None
    nps: float | None
    nps_ci_low: float | None
    nps_ci_high: float | None
    promoters_pct: float | None
    detractors_pct: float | None
    suppressed: bool
    uncertain: bool


class BenchmarkRow(BaseModel):
    """One organisation against its peer group in one wave (overall index). For client viewers every organisation
    but their own is "Peer A", "Peer B", … as `benchmark --focus` letters them (A: the best in the latest wave
    shown)."""

    instrument: str
    wave: str
    organisation: str
    peer_group: str | None
    n: int | None = Field(description="Null on a client viewer's own row of a group under the minimum group size.")
    index: float | None
    rank: int | None
    percentile: float | None
    peer_mean: float | None
    peer_best: float | None
    gap_to_best: float | None
    n_peers: int | None
    peer_diff: float | None
    peer_p: float | None
    peer_p_holm: float | None
    peer_significant: bool | None
    previous_wave: str | None
    previous_index: float | None
    change: float | None
    previous_p: float | None
    previous_p_holm: float | None
    previous_significant: bool | None


class ReportOut(BaseModel):
    id: str
    kind: str
    title: str
    instruments: list[str]
    peers: Literal["anonymised", "named"]
    url: str = Field(description="Where the PDF is, with `organisation`, `wave` and `lang` to add.")


class AgreementRow(BaseModel):
    """Krippendorff's α between the shoppers of calibration exercises (README "Calibration")."""

    instrument: str
    wave: str
    scope: Literal["item", "section", "overall"]
    section: str | None
    item: str | None
    measurement: Literal["nominal", "ordinal", "interval"]
    exercises: int
    units: int = Field(description="Items × exercises with at least two shoppers' values.")
    shoppers: int
    pairable_values: int
    alpha: float | None = Field(description="Null when there is none; `reason` says why.")
    ci_low: float | None = Field(description="Bootstrap 95 % interval (units resampled, fixed seed).")
    ci_high: float | None
    reading: Literal["reliable", "tentative", "not reliable"] | None
    reason: str | None


class LeftOutRow(BaseModel):
    instrument: str
    wave: str
    exercise: str
    shopper: str = Field(description="A shopper chosen for the exercise who answered nothing.")


class LeniencyRow(BaseModel):
    shopper: str
    answers: int
    targets: int
    offset: float = Field(description="Scale points above (+) or below (−) the panel, from the mixed model.")
    ci_low: float
    ci_high: float
    raw_offset: float
    flag: Literal["lenient", "harsh"] | None = Field(description="The whole interval beyond ±0.5 points.")
    shopper_sd: float
    residual_sd: float


class CalibrationOut(BaseModel):
    agreement: list[AgreementRow]
    left_out: list[LeftOutRow]
    leniency: list[LeniencyRow]
    leniency_reason: str | None = Field(description="Why there is no leniency table (null when there is one).")
