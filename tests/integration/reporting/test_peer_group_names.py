"""A peer group's English name (issue 19: "the peer group name stays Swedish in English"): English reports print
it, Swedish reports and groups without one print the Swedish name; m0011 adds it to a database that has groups."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import polars as pl
import pytest
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

from servicescore.db.engine import open_database
from servicescore.db.migrate import APP_NAME, migrate
from servicescore.db.tables import PeerGroup
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.reporting.stored import with_names
from servicescore.settings import Settings
from tests.support.report_files import TODAY, pdf_text

HERITAGE_SV, HERITAGE_EN = "Kulturarv och besöksmål", "Heritage sites and visitor attractions"
BEFORE_ENGLISH_NAMES = "2026-12-06T19:00:00:000000"  # m0010, the last migration without the column


@pytest.mark.parametrize(("report", "lang", "shown", "hidden"), [
    ("industry", "en", HERITAGE_EN, HERITAGE_SV),
    ("client", "en", HERITAGE_EN, HERITAGE_SV),
    ("client", "sv", HERITAGE_SV, HERITAGE_EN),
])  # fmt: skip
def test_english_reports_name_the_peer_group_in_english(  # noqa: PLR0917 - pytest passes fixtures by name
    settings: Settings, demo_data: ReportData, renderer: Renderer, tmp_path: Path, poppler: None,
    report: str, lang: str, shown: str, hidden: str,
) -> None:  # fmt: skip
    definition = load_report(settings.reports_dir, report)
    brand = load_brand(settings.reports_dir / "brands", None)
    context = build_context(demo_data, ReportRequest(definition, ("zorngarden",), lang, today=TODAY), brand)  # type: ignore[arg-type]  # sv or en
    renderer.pdf(context, brand, tmp_path / "report.pdf")
    text = " ".join(pdf_text(tmp_path / "report.pdf").split())
    assert shown in text
    assert hidden not in text


@pytest.mark.anyio
async def test_groups_made_before_m0011_keep_their_swedish_name_in_english(database_url: str, tmp_path: Path) -> None:
    await open_database(database_url)
    with contextlib.redirect_stdout(io.StringIO()):
        done = await ForwardsMigrationManager(app_name=APP_NAME, migration_id=BEFORE_ENGLISH_NAMES).run()
    assert done.success, done.message
    await PeerGroup.raw("INSERT INTO peer_group (slug, name, industry) VALUES ({}, {}, {})", "old", "Gammal", "")
    assert "2026-12-06T20:11:00:000000" in await migrate()
    await PeerGroup.insert(PeerGroup(slug="new", name="Ny", name_en="New")).run()
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    data = with_names(settings, lambda _: pl.LazyFrame(), {})
    assert data.peer_groups_en == {"new": "New"}
    assert [data.peer_group_name(g, "en") for g in ("old", "new")] == ["Gammal", "New"]
    assert [data.peer_group_name(g, "sv") for g in ("old", "new")] == ["Gammal", "Ny"]
