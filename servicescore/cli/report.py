"""``servicescore report``: branded PDF reports; ``servicescore reports check``: report definitions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from servicescore.definitions import DefinitionError
from servicescore.reporting.context import NoData
from servicescore.reporting.loading import check_reports
from servicescore.reporting.output import Job, file_name, renderer_for, write_all, write_report
from servicescore.reporting.stored import from_snapshot
from servicescore.settings import get_settings


@click.command()
@click.argument("report")
@click.option("--organisation", "organisations", multiple=True, help="Name or key; repeat for a comparison.")
@click.option("--wave", default=None, help="Default: the latest wave with answers.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="The PDF to write.")
@click.option("--all", "every", is_flag=True, help="One PDF per organisation into the data dir's reports folder.")
def report(  # noqa: PLR0917 - one parameter per command-line option
    report: str, organisations: tuple[str, ...], wave: str | None, lang: str, output: Path | None, every: bool
) -> None:
    """Write REPORT (client, comparison, industry or a path to a definition) as a PDF."""
    settings = get_settings()
    try:
        data = from_snapshot(settings)
        if every:
            keys = list(data.organisations)
            out = settings.reports_out_dir
            jobs = [Job(report, (k,), lang, wave, out / file_name(report, k, wave, lang)) for k in keys]  # type: ignore[arg-type]  # click.Choice: sv or en
            with click.progressbar(length=len(jobs), label=f"{report} reports") as bar:
                skipped = []
                for job, problem in write_all(settings, from_snapshot, jobs):
                    bar.update(1)
                    if problem:
                        skipped.append(f"{job.organisations[0]}: {problem}")
            for line in skipped:
                click.echo(f"skipped {line}", err=True)
            click.echo(f"wrote {len(jobs) - len(skipped)} reports to {settings.reports_out_dir}")
            return
        if not organisations:
            raise click.UsageError("name an organisation with --organisation, or use --all")
        target = output or settings.reports_out_dir / file_name(report, "-".join(organisations), wave, lang)
        job = Job(report, organisations, lang, wave, target)  # type: ignore[arg-type]  # click.Choice: sv or en
        written = write_report(settings, data, renderer_for(settings), job)
    except DefinitionError as error:
        raise click.ClickException("\n".join(error.lines)) from None
    except (KeyError, NoData) as error:
        raise click.ClickException(str(error.args[0] if error.args else error)) from None
    click.echo(str(written))


@click.group()
def reports() -> None:
    """Report definitions in reports/."""


@reports.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check report definitions (default: the reports folder); one ``file: path: message`` line per problem."""
    settings = get_settings()
    instruments = [p.stem for folder in settings.instrument_folders for p in folder.glob("*.y*ml")]
    lines = check_reports(list(paths) or [settings.reports_dir], instruments)
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1 if lines else 0)
