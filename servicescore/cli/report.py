"""``servicescore report``: branded PDF reports; ``servicescore reports check``: report definitions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from servicescore.cli.common import Writable, organisation_slug, ready, run
from servicescore.definitions import DefinitionError
from servicescore.instrument_folders import instrument_folders
from servicescore.settings import Settings, get_settings
from servicescore.storage import REPORTS, storage_for

if TYPE_CHECKING:
    from servicescore.db.jobs import JobRow
    from servicescore.definitions.reports.report import ReportDefinition
    from servicescore.reporting.data import ReportData
    from servicescore.results.shoppers import Adjustment


@click.command()
@click.argument("report")
@click.option("--organisation", "organisations", multiple=True, help="Name or slug; repeat for a comparison.")
@click.option("--wave", default=None, help="Default: the latest wave with answers.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("-o", "--output", type=Writable(make_folders=True), help="The PDF to write.")
@click.option("--all", "every", is_flag=True, help="One PDF per organisation into the data dir's reports folder.")
@click.option(
    "--adjust-shoppers",
    is_flag=True,
    help="Also print scorecard indices adjusted for mystery-shopper leniency, beside the unadjusted ones; off by "
    "default.",
)
def report(  # noqa: PLR0917 - one parameter per command-line option
    report: str,
    organisations: tuple[str, ...],
    wave: str | None,
    lang: str,
    output: Path | None,
    every: bool,
    adjust_shoppers: bool,
) -> None:
    """Write REPORT (client, comparison, industry or a path to a definition) as a PDF."""
    settings = get_settings()
    _known_report(settings.reports_dir, report)
    ready(settings)
    organisations = tuple(dict.fromkeys(organisation_slug(settings, name) for name in organisations))
    # WeasyPrint, Polars and the report code load after the checks above (about 2 s).
    from servicescore.definitions.reports.loading import load_report
    from servicescore.reporting.context import NoData
    from servicescore.reporting.output import Job, file_name, renderer_for, write_report
    from servicescore.reporting.request import scorecards
    from servicescore.reporting.stored import from_snapshot

    try:
        definition = load_report(settings.reports_dir, report)
        if every and definition.kind == "comparison":
            raise click.ClickException(f'"{report}" compares organisations: name them with --organisation, not --all')
        if every and adjust_shoppers:
            raise click.UsageError("--adjust-shoppers is for one report: name it with --organisation, not --all")
        if every:
            _report_all(settings, report, wave, lang)
            return
        data = from_snapshot(settings)
        if adjust_shoppers:
            data.adjustments = run(_adjustments(settings, scorecards(data, definition)))
        if not organisations:
            raise click.UsageError("name an organisation with --organisation, or use --all")
        _reportable(data, definition, report, organisations, wave)
        target = output or settings.reports_out_dir / file_name(report, "-".join(organisations), wave, lang)
        job = Job(report, organisations, lang, wave, target, adjust_shoppers)  # type: ignore[arg-type]  # click.Choice: sv or en
        written = write_report(settings, data, renderer_for(settings), job)
    except DefinitionError as error:
        raise click.ClickException("\n".join(error.lines)) from None
    except (KeyError, NoData) as error:
        raise click.ClickException(str(error.args[0] if error.args else error)) from None
    click.echo(str(written))


def _report_all(settings: Settings, report: str, wave: str | None, lang: str) -> None:
    """One job per organisation on the job queue, a progress bar until every one is done or failed; the skipped
    (no answers) and failed ones listed on stderr, and exit 1 when any failed."""
    from servicescore.jobs.batch import report_lines

    rows = run(_queued_reports(settings, report, wave, lang))
    skipped, failed = report_lines(rows)
    for line in skipped:
        click.echo(f"skipped {line}", err=True)
    for line in failed:
        click.echo(f"failed {line}", err=True)
    click.echo(f"wrote {len(rows) - len(skipped) - len(failed)} reports to {storage_for(settings).location}/{REPORTS}")
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(rows)} reports failed (listed above)")


async def _queued_reports(settings: Settings, report: str, wave: str | None, lang: str) -> list[JobRow]:
    from servicescore.db.lifecycle import database
    from servicescore.db.organisations import organisations
    from servicescore.jobs.batch import wait_for_batch
    from servicescore.jobs.reports import enqueue_reports

    async with database(settings):
        keys = [(organisation.slug, organisation.id) for organisation in await organisations()]
        batch, ids = await enqueue_reports(settings, report, keys, wave, lang)
        if not settings.queue_in_process:
            click.echo("waiting for `servicescore worker` processes to make them (SERVICESCORE_QUEUE_IN_PROCESS=false)",
                       err=True)  # fmt: skip
        with click.progressbar(length=len(ids), label=f"{report} reports") as bar:
            shown = 0

            def progress(finished: int, _total: int) -> None:
                nonlocal shown
                bar.update(finished - shown)
                shown = finished

            return await wait_for_batch(settings, batch, progress)


async def _adjustments(settings: Settings, instruments: list[str]) -> dict[str, Adjustment]:
    """Each scorecard's shopper leniency offsets, read with the database open."""
    from servicescore.db.lifecycle import database
    from servicescore.results.shoppers import shopper_adjustments

    async with database(settings):
        return await shopper_adjustments(settings, instruments)


def _known_report(reports_dir: Path, report: str) -> None:
    """A report of the reports folder by name, or a path to a definition file; else one line naming the choices."""
    from servicescore.definitions.reports.loading import SUFFIXES, report_files

    if Path(report).suffix in SUFFIXES:
        return
    known = [path.stem for path in report_files(reports_dir)] if reports_dir.is_dir() else []
    if report not in known:
        listed = ", ".join(known) or f"none in {reports_dir}"
        raise click.ClickException(f'unknown report "{report}"; choose one of: {listed} (or a path to a report file)')


def _reportable(
    data: ReportData, definition: ReportDefinition, report: str, organisations: tuple[str, ...], wave: str | None
) -> None:
    """Refuse what the web refuses too: a comparison of fewer than two organisations, a wave without answers of the
    organisation reported on (an almost empty PDF)."""
    import polars as pl

    keys = [data.find(name).key for name in organisations]
    if definition.kind == "comparison" and len(keys) < 2:
        raise click.ClickException(f'"{report}" compares organisations: name at least two with --organisation')
    if wave is None:
        return
    focus = data.organisations[keys[0]]
    answered = sorted({
        str(w)
        for instrument in definition.instrument if instrument in data.instruments
        for w in data.answers(instrument).filter(pl.col("organisation") == focus.key).get_column("wave").unique()
    })  # fmt: skip
    if wave not in answered:
        listed = ", ".join(answered) or "none"
        raise click.ClickException(f'{focus.name} has no answers to "{report}" in wave {wave}; waves: {listed}')


@click.group()
def reports() -> None:
    """Report definitions in reports/."""


@reports.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check report definitions (default: the reports folder); one ``file: path: message`` line per problem."""
    from servicescore.definitions.reports.loading import check_reports

    settings = get_settings()
    instruments = [p.stem for folder in instrument_folders(settings) for p in folder.glob("*.y*ml")]
    lines = check_reports(list(paths) or [settings.reports_dir], instruments)
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1 if lines else 0)
