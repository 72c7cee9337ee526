"""``/api/v1/responses``, ``/api/v1/scores`` and ``/api/v1/benchmark``: the tables of ``results.tables`` for the
token's viewer, computed in a worker thread so the event loop keeps serving meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, TypeVar

from anyio import to_thread
from litestar import get
from litestar.di import NamedDependency
from litestar.openapi.spec import Example
from litestar.params import Parameter

from servicescore.identity import Account
from servicescore.results import FilterError
from servicescore.results.tables import ScoreBy, answer_page, benchmark_table, score_table
from servicescore.settings import Settings
from servicescore.web.api.access import viewer_for
from servicescore.web.api.models import AnswerOut, AnswerPage, BenchmarkRow, ScoreRow
from servicescore.web.api.problems import error_responses, not_found

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


def key_parameter(description: str, *examples: str) -> Any:
    """A query parameter naming something by its key (instrument id, wave, organisation slug)."""
    return Parameter(min_length=1, max_length=80, pattern=KEY_PATTERN, description=description,
                     examples=[Example(value=value) for value in examples])  # fmt: skip


Key = Annotated[str, Parameter(min_length=1, max_length=80, pattern=KEY_PATTERN)]
InstrumentParam = Annotated[str, key_parameter("The instrument's id.", "visitor-survey", "employee-pulse")]
WaveParam = Annotated[str | None, key_parameter("Only this wave (default: every wave).", "2026-Q1")]
OrganisationParam = Annotated[
    str | None,
    key_parameter("Only this organisation's slug (client viewers: their own, the default).", "zorngarden"),
]
MAX_PER_PAGE = 1000
T = TypeVar("T")


def _message(refused: FilterError) -> str:
    value = refused.values.get("value")
    if refused.key == "wave":
        return f'no counted answers of "{refused.values.get("instrument")}" in wave "{value}"'
    return f'no {refused.key} "{value}"'


async def _table(call: Callable[[], T]) -> T:
    """`call` in a worker thread; what it cannot find is a 404 on the parameter of that name (another
    organisation's key answers exactly like a key nobody has)."""
    try:
        return await to_thread.run_sync(call)
    except FilterError as refused:
        raise not_found(refused.key, _message(refused)) from None


@get("/responses", summary="Counted answers in the long layout, paged", responses=error_responses())
async def list_responses(
    *,
    settings: NamedDependency[Settings],
    account: NamedDependency[Account],
    instrument: InstrumentParam,
    wave: WaveParam = None,
    organisation: OrganisationParam = None,
    page: Annotated[int, Parameter(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=MAX_PER_PAGE)] = 100,
) -> AnswerPage:
    """Answers of complete surveys and approved visits, one row per answer, ordered by submission. Client viewers
    get what their answer export holds: their own organisation's answers, only from units with at least the
    minimum group size of responses in the wave, a segment only where its group is that large too, keyed
    pseudonyms for response ids and the date without the time, ordered by date, pseudonym and item."""
    viewer = await viewer_for(account, settings)
    call = partial(answer_page, settings, viewer, instrument=instrument, wave=wave, organisation=organisation,
                   page=page, per_page=per_page)  # fmt: skip
    total, found = await _table(call)
    return AnswerPage(total=total, page=page, per_page=per_page, items=[AnswerOut(**row) for row in found])


@get("/scores", summary="Score table (DESIGN.md Numbers)", responses=error_responses())
async def list_scores(
    *,
    settings: NamedDependency[Settings],
    account: NamedDependency[Account],
    instrument: InstrumentParam,
    wave: WaveParam = None,
    by: Annotated[
        ScoreBy, Parameter(description="overall, section or item per organisation, or overall per unit")
    ] = "overall",
    organisation: OrganisationParam = None,
) -> list[ScoreRow]:
    """The same numbers as ``servicescore scores``; groups under the minimum group size are suppressed (every
    statistic null). Client viewers get their own organisation's rows only."""
    viewer = await viewer_for(account, settings)
    call = partial(score_table, settings, viewer, instrument=instrument, wave=wave, by=by, organisation=organisation)
    return [ScoreRow(**row) for row in await _table(call)]


@get("/benchmark", summary="Each organisation against its peer group", responses=error_responses())
async def list_benchmark(
    settings: NamedDependency[Settings],
    account: NamedDependency[Account],
    instrument: InstrumentParam,
    wave: WaveParam = None,
) -> list[BenchmarkRow]:
    """Overall index, rank, percentile, peer mean and best, gap to best and significance (Holm-corrected) per
    organisation and wave; peer statistics only for peer groups of at least 5. Client viewers see their own row
    and their peer group's other members as "Peer A", "Peer B", … (nothing when the group is smaller than 5)."""
    viewer = await viewer_for(account, settings)
    found = await _table(partial(benchmark_table, settings, viewer, instrument, wave))
    return [BenchmarkRow(**row) for row in found]
