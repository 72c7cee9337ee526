"""``/api/v1/calibration``: agreement and leniency of mystery shoppers, for consultants only (client viewers get
403 like shoppers do on the whole API): how alike shoppers score is the consultancy's business, not a client's."""

from __future__ import annotations

from typing import Annotated

from anyio import to_thread
from litestar import get
from litestar.di import NamedDependency
from litestar.params import Parameter

from servicescore.results.shoppers import calibration_report as shopper_tables
from servicescore.scoring.calibration import CalibrationTables
from servicescore.settings import Settings
from servicescore.snapshot import stored_instruments
from servicescore.web.api.analytics import Key, WaveParam
from servicescore.web.api.models import CalibrationOut
from servicescore.web.api.problems import error_responses, not_found
from servicescore.web.auth import consultant_only

Instruments = Annotated[
    list[Key],
    Parameter(min_items=1, max_items=20, description="A scorecard's id; repeat for several (leniency pools them)."),
]


async def calibration_report(settings: Settings, instruments: list[str], wave: str | None) -> CalibrationTables:
    known = await to_thread.run_sync(stored_instruments, settings)
    if missing := [instrument for instrument in instruments if instrument not in known]:
        raise not_found("instrument", f'no instrument "{missing[0]}"')
    return await shopper_tables(settings, instruments, None if wave is None else [wave])


@get("/calibration", summary="Agreement and leniency of mystery shoppers", guards=[consultant_only],
     responses=error_responses())  # fmt: skip
async def get_calibration(
    *, settings: NamedDependency[Settings], instrument: Instruments, wave: WaveParam = None
) -> CalibrationOut:
    """The same tables as ``servicescore calibration --format json``: Krippendorff's α per item, section and
    overall of the calibration exercises (bootstrap 95 % interval and reading), the shoppers left out for
    answering nothing, and each shopper's leniency from a linear mixed model, flagged beyond ±0.5 points."""
    tables = await calibration_report(settings, list(dict.fromkeys(instrument)), wave)
    return CalibrationOut.model_validate(tables.document())
