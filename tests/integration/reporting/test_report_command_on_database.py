"""``servicescore report … -o`` and ``report --all`` on a database seeded with the demo: every PDF's pages are
numbered, it names its organisations, and its indices are those ``servicescore scores`` prints."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from servicescore import formats
from servicescore.db.lifecycle import database
from servicescore.db.logos import checked_logo, store_logo
from servicescore.db.tables import Organisation as OrganisationRow
from servicescore.demo.world import ORGANISATIONS
from servicescore.reporting.output import Job, renderer_for, write_report
from servicescore.reporting.stored import from_snapshot
from servicescore.settings import Settings
from servicescore.storage import storage_for
from tests.support.command_batch import run_batch
from tests.support.demo_world import copy_demo_world
from tests.support.report_files import page_images, pdf_info, pdf_text

CHECKOUT = Path(__file__).resolve().parents[3]
NAMES = {o.slug: o.name for o in ORGANISATIONS}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_demo_world(tmp_path_factory, tmp_path_factory.mktemp("report-command") / "data")


def command_environment(data_dir: Path) -> dict[str, str]:
    """The seeded data dir and nothing of the caller's settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SERVICESCORE_")}
    environment["SERVICESCORE_DATA_DIR"] = str(data_dir)
    return environment


def run_command(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command as a user does, on the seeded data dir and nothing of the caller's environment."""
    return subprocess.run(
        [sys.executable, "-m", "servicescore", *args], cwd=CHECKOUT, env=command_environment(data_dir),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def servicescore(data_dir: Path, *args: str) -> str:
    done = run_command(data_dir, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _indices(data_dir: Path, *instruments: str) -> dict[str, dict[tuple[str, str], float]]:
    """Per instrument, the index of each organisation and wave that `servicescore scores` prints (one process)."""
    commands = [["scores", "--instrument", i, "--level", "overall", "--format", "json"] for i in instruments]
    tables = {}
    for instrument, done in zip(instruments, run_batch(commands, command_environment(data_dir)), strict=True):
        assert (done.exit_code, done.raised) == (0, ""), str(done)
        tables[instrument] = {(row["organisation"], row["wave"]): row["index"] for row in json.loads(done.stdout)}
    return tables


def _flat(text: str) -> str:
    return " ".join(text.split())


def _numbered(pdf: Path) -> int:
    pages = int(pdf_info(pdf)["Pages"])
    for page in range(2, pages + 1):
        assert f"Sida {page} av {pages}" in pdf_text(pdf, page), (pdf.name, page)
    return pages


def test_report_o_writes_the_comparison_and_the_client_report(
    data_dir: Path, tmp_path: Path, artefacts: Path, poppler: None
) -> None:
    index = _indices(data_dir, "visitor-survey")["visitor-survey"]
    sv = lambda v: formats.number(v, "sv")  # noqa: E731
    comparison = tmp_path / "jamforelse.pdf"
    servicescore(data_dir, "report", "comparison", "--organisation", "Zorngården", "--organisation",
                 "Carl Larssons gård", "--wave", "2026-Q3", "-o", str(comparison))  # fmt: skip
    assert comparison.read_bytes().startswith(b"%PDF-")
    assert 5 <= _numbered(comparison) <= 20
    text = _flat(pdf_text(comparison))
    assert "Zorngården · Carl Larssons gård" in text
    assert f"Totalt {sv(index[('zorngarden', '2026-Q3')])}" in text
    assert sv(index[("carl-larssons-gard", "2026-Q3")]) in text

    client = tmp_path / "kund.pdf"
    servicescore(data_dir, "report", "client", "--organisation", "zorngarden", "--lang", "en", "-o", str(client))
    pages = int(pdf_info(client)["Pages"])
    assert 10 <= pages <= 24
    for page in range(2, pages + 1):
        assert f"Page {page} of {pages}" in pdf_text(client, page)
    latest = max(w for (o, w) in index if o == "zorngarden")
    assert f"Zorngården scores an index of {formats.number(index[('zorngarden', latest)], 'en')}" in _flat(
        pdf_text(client)
    )
    assert "Carl Larssons gård" not in pdf_text(client)
    for pdf, prefix in ((comparison, "command-comparison"), (client, "command-client-en")):
        images = page_images(pdf, artefacts, prefix)
        assert len(images) == int(pdf_info(pdf)["Pages"])
        assert all(image.stat().st_size > 3_000 for image in images)


def test_report_all_writes_one_numbered_pdf_per_organisation_with_answers(data_dir: Path, poppler: None) -> None:
    output = servicescore(data_dir, "report", "client", "--all")
    folder = data_dir / "reports"
    written = sorted(folder.glob("client-*-latest-sv.pdf"))
    assert f"wrote {len(written)} reports to {folder}" in output
    by_instrument = _indices(data_dir, "visitor-survey", "mystery-call")
    reported = set()
    for slug, name in NAMES.items():
        pdf = folder / f"client-{slug}-latest-sv.pdf"
        instrument = next((i for i, table in by_instrument.items() if any(o == slug for o, _ in table)), None)
        if instrument is None:
            assert not pdf.exists(), slug  # nothing to report: skipped, not an empty PDF
            continue
        table = by_instrument[instrument]
        latest = max(w for o, w in table if o == slug)
        _numbered(pdf)
        text = _flat(pdf_text(pdf))
        assert f"{name} får index {formats.number(table[(slug, latest)], 'sv')}" in text, slug
        reported.add(slug)
    assert len(reported) == len(written) >= 10
    # Through the job queue (one job per organisation, run by the command itself) the PDFs are those the command
    # wrote before it had a queue, byte for byte: the same report written directly.
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'servicescore.sqlite3'}")
    data = from_snapshot(settings)
    for slug in ("zorngarden", "kronbanken"):
        direct = data_dir / f"direct-{slug}.pdf"
        write_report(settings, data, renderer_for(settings), Job("client", (slug,), "sv", None, direct))
        assert (folder / f"client-{slug}-latest-sv.pdf").read_bytes() == direct.read_bytes(), slug
    with sqlite3.connect(data_dir / "servicescore.sqlite3") as connection:
        jobs = connection.execute("SELECT kind, status, attempts FROM job ORDER BY id DESC LIMIT ?", (len(NAMES),))
        assert set(jobs.fetchall()) == {("report", "done", 1)}


def test_report_all_exits_non_zero_naming_each_failed_report(data_dir: Path) -> None:
    done = run_command(data_dir, "report", "client", "--all", "--wave", "2031-Q1")
    assert done.returncode == 1
    failed = [line for line in done.stderr.splitlines() if line.startswith("failed ")]
    assert len(failed) == len(NAMES)
    assert "failed Zorngården: wave: '2031-Q1' cannot be reported; choose one of: 2025-Q4, 2026-Q1" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == f"Error: {len(NAMES)} of {len(NAMES)} reports failed (listed above)"


async def _upload_logo(settings: Settings, slug: str, png: bytes) -> None:
    logo = checked_logo(png)
    async with database(settings):
        sha256 = store_logo(storage_for(settings), logo)
        await OrganisationRow.update({OrganisationRow.logo_sha256: sha256}).where(OrganisationRow.slug == slug)


def test_the_cover_shows_a_logo_uploaded_in_the_console(data_dir: Path, tmp_path: Path, poppler: None) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (240, 120), (122, 46, 31)).save(picture, format="PNG")
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'servicescore.sqlite3'}")
    pdf = tmp_path / "with-logo.pdf"

    def cover_images() -> list[str]:
        servicescore(data_dir, "report", "client", "--organisation", "carl-larssons-gard", "-o", str(pdf))
        listing = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(pdf)], check=True,
                                 capture_output=True, text=True).stdout  # fmt: skip
        return [" ".join(line.split()[3:5]) for line in listing.splitlines()[2:]]

    assert "240 120" not in cover_images()  # the brand's SVG logo is drawn, not an image
    asyncio.run(_upload_logo(settings, "carl-larssons-gard", picture.getvalue()))
    assert "240 120" in cover_images()  # the uploaded PNG, at its own size
    assert "Carl Larssons gård" in pdf_text(pdf, 1)


def refused(data_dir: Path, *commands: list[str]) -> list[str]:
    """Run commands that must each be refused, in one fresh process (each process costs 1.5-3 s of imports): exit 1,
    no exception let out (a process of its own would print its traceback) and one ``Error:`` line, which is
    returned per command."""
    errors = []
    for done in run_batch(list(commands), command_environment(data_dir)):
        assert (done.exit_code, done.raised) == (1, ""), str(done)
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("Error: "), done.stderr
        errors.append(lines[0])
    return errors


def test_what_the_web_refuses_the_command_refuses_too(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    unknown_report, no_answers, one_organisation, unknown, no_wave = refused(
        data_dir,
        ["report", "clients", "--organisation", "zorngarden"],
        ["report", "client", "--organisation", "Zorngården", "--wave", "2027-Q1", "-o", str(out)],
        ["report", "comparison", "--organisation", "zorngarden"],
        ["report", "client", "--organisation", "Zorngarden museum", "-o", str(out)],
        ["export", "answers", "--wave", "2026-Q9", "-o", str(tmp_path / "x.csv")],
    )
    assert unknown_report == (
        'Error: unknown report "clients"; choose one of: client, comparison, industry (or a path to a report file)'
    )
    assert no_answers == (
        'Error: Zorngården has no answers to "client" in wave 2027-Q1; waves: 2025-Q4, 2026-Q1, 2026-Q2, 2026-Q3'
    )
    assert "name at least two" in one_organisation
    assert "Zorngården (zorngarden)" in unknown
    assert "Carl Larssons gård (carl-larssons-gard)" in unknown
    assert no_wave == "Error: no counted answers in wave 2026-Q9; waves: 2025-Q4, 2026-Q1, 2026-Q2, 2026-Q3"
    assert not out.exists()
    assert not (tmp_path / "x.csv").exists()


def test_a_report_without_o_is_named_in_plain_letters(data_dir: Path, tmp_path: Path, poppler: None) -> None:
    written = Path(servicescore(data_dir, "report", "client", "--organisation", "Zorngården", "--lang", "en").strip())
    assert written.name == "client-zorngarden-latest-en.pdf"
    assert written.is_file()


def test_report_adjust_shoppers_without_a_leniency_model_says_why(
    data_dir: Path, tmp_path: Path, poppler: None
) -> None:
    pdf = tmp_path / "adjusted.pdf"
    servicescore(data_dir, "report", "client", "--organisation", "zorngarden", "--lang", "en", "--adjust-shoppers",
                 "-o", str(pdf))  # fmt: skip
    text = _flat(pdf_text(pdf))
    # the seeded visits were made by no shopper and there is no calibration exercise: no model, no adjusted column
    assert "Guided tour – observation: no adjusted index (fewer than 3 shoppers scored a rating item" in text
    assert text.count("Adjusted for shopper leniency") == 1  # the methods page's heading
    plain = tmp_path / "plain.pdf"
    servicescore(data_dir, "report", "client", "--organisation", "zorngarden", "--lang", "en", "-o", str(plain))
    assert "leniency" not in pdf_text(plain)
