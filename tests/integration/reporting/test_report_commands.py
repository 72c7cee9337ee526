"""The report commands' pieces: checking definitions, and the demo's two PDFs in the data dir."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from servicescore.cli.report import reports
from servicescore.reporting.data import ReportData
from servicescore.reporting.output import write_demo_reports
from servicescore.settings import Settings
from tests.support.report_files import pdf_info, pdf_text


def test_reports_check_passes_the_shipped_definitions_and_fails_a_broken_one(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(reports, ["check"]).exit_code == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nkind: client\n", encoding="utf-8")
    result = runner.invoke(reports, ["check", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}: title: required field 'title' is missing; add it" in result.output


def test_write_demo_reports(tmp_path: Path, demo_data: ReportData, poppler: None) -> None:
    settings = Settings(data_dir=tmp_path)
    written = write_demo_reports(settings, demo_data)
    assert [p.name for p in written] == [
        "client-zorngarden-latest-sv.pdf",
        "comparison-zorngarden-carl-larssons-gard-latest-sv.pdf",
    ]
    assert all(p.parent == settings.reports_out_dir for p in written)
    assert int(pdf_info(written[0])["Pages"]) >= 10
    assert "Zorngården · Carl Larssons gård" in " ".join(pdf_text(written[1]).split())
