"""Opening surveys to respondents: ``collections open|close``, ``links``, ``invitations import`` and the contacts
ServiceScore e-mails itself: ``invitations contacts`` and ``invitations send`` (one mail round).

Links are printed with ``--base-url`` (or SERVICESCORE_BASE_URL) in front, the address respondents reach the
server at. Invitation tokens are shown once, when made: the database keeps only their SHA-256.
"""

from __future__ import annotations

import csv
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from servicescore.cli.common import Writable, instruments_or_exit, named, organisation_slug, ready, run, unit_reference
from servicescore.collections.invitation_list import ContactList, UnreadableFile, UnreadableRow, csv_rows
from servicescore.collections.mail_plan import parse_reminder_days
from servicescore.db.collections import (
    OpenLink,
    close_collection,
    collection_exists,
    create_invitations,
    find_units,
    known_organisations,
    open_collection,
    open_links,
    wave_id,
)
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.lifecycle import database
from servicescore.db.organisations import Missing
from servicescore.definitions import Instrument
from servicescore.formats import day_end, day_start, from_local
from servicescore.mail.contacts import upload_contacts
from servicescore.mail.round import RoundReport, run_mail_round
from servicescore.mail.transport import BadSmtpUrl
from servicescore.settings import Settings, get_settings
from servicescore.texts import translate

BASE_URL_OPTION = click.option(
    "--base-url",
    envvar="SERVICESCORE_BASE_URL",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Where respondents reach this server (env SERVICESCORE_BASE_URL).",
)
EMAIL_MAX = 320


def _moment(text: str, *, end: bool, option: str) -> datetime:
    """``2026-12-31`` (the whole day in Stockholm, as pages show the day: an end date includes it) or an ISO date
    and time; a time without a zone is Stockholm's, as the console takes and every page shows it. A refusal names
    `option`."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (2026-12-31) or date and time", param_hint=option) from None
    if len(text) == 10:
        return day_end(moment.date()) if end else day_start(moment.date())
    return from_local(moment)


@click.group("collections")
def collections() -> None:
    """Open and close surveys for organisations and units in a wave."""


async def _open(
    settings: Settings,
    *,
    instrument: Instrument,
    wave: str,
    organisations: tuple[str, ...],
    units: tuple[str, ...],
    opens: datetime,
    closes: datetime,
    title: str,
) -> tuple[int, dict[str, str]]:
    async with database(settings) as engine, write_transaction(engine):
        missing = sorted(set(organisations) - await known_organisations(organisations))
        if missing:
            raise click.ClickException(f"unknown organisation(s): {', '.join(missing)}")
        found = await find_units(organisations, units)
        if unknown := [ref for ref in units if ref not in found]:
            raise click.ClickException(f"unknown unit(s) (write them as organisation/unit): {', '.join(unknown)}")
        if not found:
            raise click.ClickException("the organisations have no units to open the survey for")
        version = (await sync_instruments([instrument]))[instrument.id]
        wave_row = await wave_id(wave, create=True)
        assert wave_row is not None
        collection, tokens = await open_collection(
            instrument_version_id=version,
            wave_id=wave_row,
            unit_ids=list(found.values()),
            opens_at=opens,
            closes_at=closes,
            title=title,
        )
    by_id = {unit_id: ref for ref, unit_id in found.items()}
    return collection, {by_id[unit_id]: token for unit_id, token in tokens.items()}


@collections.command("open")
@click.option("--instrument", "instrument_id", required=True, help="The survey's id or title, e.g. visitor-survey.")
@click.option("--wave", required=True, help="The wave, e.g. 2026-Q4 (made if new).")
@click.option(
    "--organisation",
    "organisations",
    multiple=True,
    help="Every unit of this organisation, by name or slug (repeatable).",
)
@click.option("--unit", "units", multiple=True, help="One unit as organisation/unit, by names or slugs (repeatable).")
@click.option(
    "--opens", default=None, help="Opening date or time, Stockholm time unless a zone is given (default: now)."
)
@click.option(
    "--closes",
    required=True,
    help="Closing date (the whole day included) or time, Stockholm time unless a zone is given.",
)
@click.option("--title", default="", help="A name for the collection.")
@BASE_URL_OPTION
def open_command(
    *,
    instrument_id: str,
    wave: str,
    organisations: tuple[str, ...],
    units: tuple[str, ...],
    opens: str | None,
    closes: str,
    title: str,
    base_url: str,
) -> None:
    """Open a survey for units in a wave; prints each unit's public link."""
    settings = get_settings()
    instruments = instruments_or_exit(settings)
    titles = {key: [instrument.title.en, instrument.title.sv] for key, instrument in instruments.items()}
    instrument_id = named(instrument_id, titles, what="instrument", option="--instrument")
    if instruments[instrument_id].kind != "survey":
        raise click.ClickException(f"{instrument_id} is a scorecard; only surveys are answered from links")
    if not organisations and not units:
        raise click.UsageError("give --organisation or --unit")
    opens_at = _moment(opens, end=False, option="--opens") if opens else datetime.now(UTC)
    closes_at = _moment(closes, end=True, option="--closes")
    if closes_at <= opens_at:
        raise click.BadParameter("must be after the opening", param_hint="--closes")
    ready(settings)
    organisations = tuple(organisation_slug(settings, name) for name in organisations)
    units = tuple(unit_reference(settings, reference) for reference in units)
    collection, tokens = run(
        _open(
            settings,
            instrument=instruments[instrument_id],
            wave=wave,
            organisations=organisations,
            units=units,
            opens=opens_at,
            closes=closes_at,
            title=title,
        )
    )
    click.echo(f"collection {collection}: {instrument_id} in {wave}, {len(tokens)} link(s)")
    for ref, token in sorted(tokens.items()):
        click.echo(f"{ref}\t{base_url.rstrip('/')}/s/{token}")


async def _close(settings: Settings, collection: int) -> bool:
    async with database(settings) as engine, write_transaction(engine):
        return await close_collection(collection, datetime.now(UTC))


@collections.command("close")
@click.argument("collection", type=int)
def close_command(collection: int) -> None:
    """Close a collection now: its links answer with a friendly "closed" page."""
    if not run(_close(get_settings(), collection)):
        raise click.ClickException(f"no collection {collection}")
    click.echo(f"collection {collection} closed")


async def _links(settings: Settings) -> list[OpenLink]:
    async with database(settings):
        return await open_links(datetime.now(UTC))


@click.command("links")
@click.option("--format", "output", type=click.Choice(["text", "csv"]), default="text", show_default=True)
@click.option("--qr-dir", type=Writable(folder=True), help="Also write each link's QR code.")
@BASE_URL_OPTION
def links(output: str, qr_dir: Path | None, base_url: str) -> None:
    """List the public link of every unit in every open collection: collection, organisation, unit, url."""
    rows = run(_links(get_settings()))
    base = base_url.rstrip("/")
    table = [(str(r.collection_id), r.organisation, r.unit, f"{base}/s/{r.token}", r.instrument, r.wave) for r in rows]
    if output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["collection", "organisation", "unit", "url", "instrument", "wave"])
        writer.writerows(table)
    else:
        for row in table:
            click.echo("  ".join(row))
        if not table:
            click.echo("no open collections", err=True)
    if qr_dir is not None:
        from servicescore.web.respond.qr import qr_png, qr_svg

        qr_dir.mkdir(parents=True, exist_ok=True)
        for collection, organisation, unit, url, *_ in table:
            stem = qr_dir / f"{collection}-{organisation}-{unit}"
            stem.with_suffix(".svg").write_bytes(qr_svg(url))
            stem.with_suffix(".png").write_bytes(qr_png(url))
        click.echo(f"QR codes written to {qr_dir}", err=True)


def _emails(file: Path) -> list[str]:
    """The ``email`` column (or the only column) of a CSV file; every bad row is reported before anything is made."""
    try:
        read = csv_rows(file.read_text(encoding="utf-8-sig"))
    except UnreadableRow as error:
        raise click.ClickException(f"{file}: {error}") from None
    # Blank lines are skipped but keep their numbers, so that a row is named as a spreadsheet shows it.
    rows = [(number, row) for number, row in enumerate(read, start=1) if any(cell.strip() for cell in row)]
    if not rows:
        raise click.ClickException(f"{file}: no addresses")
    header = [cell.strip().lower() for cell in rows[0][1]]
    column = header.index("email") if "email" in header else 0
    body = rows[1:] if "email" in header else rows
    emails, problems = [], []
    for number, row in body:
        email = row[column].strip() if column < len(row) else ""
        if not email:
            problems.append(f"{file}: row {number}: column email: the e-mail address is missing")
        elif "@" not in email or len(email) > EMAIL_MAX or any(c.isspace() for c in email):
            problems.append(f"{file}: row {number}: column email: {email[:80]!r} is not an e-mail address")
        emails.append(email)
    if problems:
        raise click.ClickException("\n".join(problems))
    return list(dict.fromkeys(emails))


async def _invite(settings: Settings, collection: int, unit: str, emails: list[str]) -> list[tuple[str, str]]:
    async with database(settings) as engine, write_transaction(engine):
        if not await collection_exists(collection):
            raise click.ClickException(f"no collection {collection}")
        found = await find_units([], [unit])
        if unit not in found:
            raise click.ClickException(f"unknown unit {unit!r} (write it as organisation/unit)")
        return await create_invitations(collection, found[unit], emails)


@click.group("invitations")
def invitations() -> None:
    """Personal single-use survey links."""


@invitations.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--collection", required=True, type=int, help="The collection the invitations answer.")
@click.option("--unit", required=True, help="The unit they answer about, as organisation/unit (names or slugs).")
@BASE_URL_OPTION
def import_invitations(file: Path, collection: int, unit: str, base_url: str) -> None:
    """Make one single-use invitation per e-mail address in FILE (CSV with an email column) and print
    `email,url` as CSV for a mail merge. The links cannot be shown again: keep the output."""
    settings = get_settings()
    emails = _emails(file)
    ready(settings)
    made = run(_invite(settings, collection, unit_reference(settings, unit), emails))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["email", "url"])
    writer.writerows((email, f"{base_url.rstrip('/')}/i/{token}") for email, token in made)
    click.echo(f"{len(made)} invitation(s) made", err=True)


async def _contacts(
    settings: Settings, collection: int, upload: tuple[bytes, str], days: tuple[int, ...], at: datetime | None
) -> ContactList:
    async with database(settings) as engine:
        try:
            return await upload_contacts(engine, settings, collection, upload, days=days, now=datetime.now(UTC),
                                         invite_at=at)  # fmt: skip
        except Missing:
            raise click.ClickException(f"no collection {collection}") from None


def contact_problems(file: Path, listed: ContactList) -> list[str]:
    """Every reason a contact file was refused, one line each, in English."""
    if listed.no_email_column:
        return [f"{file}: row 1: the first row must name the columns, with an email column"]
    if listed.too_many:
        return [f"{file}: at most 10,000 rows a file"]
    if not listed.problems and not listed.contacts:
        return [f"{file}: no contacts"]
    return [
        f"{file}: row {problem.row}: " + translate(f"console.invite.reason.{problem.reason}", "en", value=problem.value)
        for problem in listed.problems
    ]


@invitations.command("contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--collection", required=True, type=int, help="The collection whose survey they are invited to.")
@click.option("--reminders", default=None, help="Days after the invitation to remind, e.g. 3,7 (env default).")
@click.option("--at", "at", default=None, help="When to send the invitation (default: now, or when it opens).")
def contacts_command(file: Path, collection: int, reminders: str | None, at: str | None) -> None:
    """Add the contacts in FILE (CSV or XLSX: email, name, language sv/en, unit as organisation/unit, segment) to
    a collection; ServiceScore e-mails their invitation and reminders (`invitations send`). A file with any bad row
    is refused whole, every bad row listed."""
    settings = get_settings()
    try:
        days = parse_reminder_days(reminders) if reminders is not None else tuple(settings.reminder_days)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--reminders") from None
    try:
        listed = run(_contacts(settings, collection, (file.read_bytes(), file.name), days,
                               _moment(at, end=False, option="--at") if at else None))  # fmt: skip
    except (UnreadableFile, UnreadableRow) as error:
        raise click.ClickException(f"{file}: {error}") from None
    if listed.problems or listed.too_many or listed.no_email_column or not listed.contacts:
        raise click.ClickException("\n".join(contact_problems(file, listed)))
    after = ", ".join(str(day) for day in days) or "none"
    click.echo(f"{len(listed.contacts)} contact(s) added to collection {collection}; reminders after {after} day(s)")


async def _send(settings: Settings, now: datetime) -> RoundReport:
    async with database(settings):
        return await run_mail_round(settings, now)


@invitations.command("send")
@click.option("--at", "at", default=None, help="Run the round as if it were this time (default: now).")
def send_command(at: str | None) -> None:
    """One mail round: plan the due invitations and reminders of every open collection and send them (SMTP, or the
    outbox folder when SERVICESCORE_SMTP_URL is unset)."""
    settings = get_settings()
    try:
        report = run(_send(settings, _moment(at, end=False, option="--at") if at else datetime.now(UTC)))
    except BadSmtpUrl as error:
        raise click.ClickException(str(error)) from None
    click.echo(report.line())
