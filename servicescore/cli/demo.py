from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime

import click

from servicescore.accounts.users import create_account
from servicescore.cli.common import run
from servicescore.cli.serve import serve_app, served_at
from servicescore.db.accounts import find_credentials
from servicescore.db.attachments import attachment_key
from servicescore.db.engine import write_transaction
from servicescore.db.lifecycle import database
from servicescore.definitions import DefinitionError, load_instruments
from servicescore.demo.calibration import PANEL, recording, seed_demo_calibration
from servicescore.demo.calibration import WAVE as CALIBRATION_WAVE
from servicescore.demo.contacts import DemoMail, seed_demo_mail
from servicescore.demo.seed import SeedResult, seed_demo, seed_demo_assignments
from servicescore.identity import Role
from servicescore.instrument_folders import instrument_folders
from servicescore.settings import Settings, get_settings
from servicescore.storage import storage_for

# (username, role, organisation, display name)
DEMO_ACCOUNTS: tuple[tuple[str, Role, str | None, str], ...] = (
    ("konsult", Role.consultant, None, "Karin Konsult"),
    ("shopper", Role.shopper, None, "Sam Shopper"),
    ("kund", Role.client, "zorngarden", "Kim Kund, Zorngården"),
)


async def _seed(settings: Settings, password: str) -> tuple[SeedResult, int | None, int, DemoMail | None]:
    """The seeded responses, how many shopper assignments were made (None: the accounts existed already), how
    many calibration exercises, and the e-mailed invitations and reminders."""
    instruments = {instrument.id: instrument for instrument in load_instruments(*instrument_folders(settings))}
    audio, audio_sha256 = recording()
    storage_for(settings).put_once(attachment_key(audio_sha256), audio)
    async with database(settings) as engine:
        result = await seed_demo(engine, instruments)
        async with write_transaction(engine):
            if await find_credentials(DEMO_ACCOUNTS[0][0]) is not None:
                return result, None, 0, None
            for username, role, organisation, name in DEMO_ACCOUNTS:
                await create_account(username, password, role, organisation=organisation, display_name=name)
            assignments = await seed_demo_assignments(engine, instruments)
            calibrations = await seed_demo_calibration(engine, instruments, password, audio_sha256)
        mail = await seed_demo_mail(engine, settings, datetime.now(UTC))
    return result, assignments, calibrations, mail


@click.command()
@click.option("--no-serve", is_flag=True, help="Stop after seeding instead of serving.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def demo(no_serve: bool, host: str, port: int) -> None:
    """Create the embedded database, load surveys/, seed the demo world and its accounts, and serve.

    Safe to run again on the same data dir: what is there is kept.
    """
    settings = served_at(get_settings(), host, port)
    given = settings.demo_password.get_secret_value() if settings.demo_password else ""
    password = given or secrets.token_urlsafe(12)
    started = time.perf_counter()
    try:
        result, assignments, calibrations, mail = run(_seed(settings, password))
    except DefinitionError as error:
        raise click.ClickException("the demo surveys do not load:\n" + "\n".join(error.lines)) from None
    elapsed = time.perf_counter() - started
    if result.already_seeded:
        click.echo(f"demo data already in {settings.data_dir}: kept as it is")
    else:
        click.echo(f"seeded {result.responses} responses ({result.answers} answers) in {elapsed:.1f} s")
    if assignments:
        click.echo(f"seeded {assignments} shopper assignments, with the visits awaiting review or returned")
    if calibrations:
        panel = ", ".join(shopper.username for shopper in PANEL)
        click.echo(f"seeded {calibrations} calibration exercises in {CALIBRATION_WAVE}, scored by {panel}")
    if mail is not None and mail.contacts:
        where = (
            "sent by SMTP" if settings.smtp_url.get_secret_value() else f"in {settings.outbox_dir} and /console/outbox"
        )
        click.echo(f"seeded {mail.contacts} e-mail contacts of the visitor survey: {mail.invitations} invitations and "
                   f"{mail.reminders} reminders {where}")  # fmt: skip
    usernames = ", ".join(account[0] for account in DEMO_ACCOUNTS)
    if assignments is None:
        click.echo(f"demo accounts ({usernames}) already exist; their password is unchanged")
    elif given:
        click.echo(f"demo accounts: {usernames} (password from SERVICESCORE_DEMO_PASSWORD)")
    else:
        click.echo(f"demo accounts: {usernames} with the password {password}")
    from servicescore.reporting.output import write_demo_reports

    click.echo("demo reports: " + ", ".join(str(path) for path in write_demo_reports(settings)))
    if not no_serve:
        serve_app(settings, host, port)
