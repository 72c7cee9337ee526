"""``servicescore users``: creating accounts from the command line, and the address their alerts go to."""

from __future__ import annotations

import sys

import click

from servicescore.accounts.passwords import PasswordRejected, check_policy
from servicescore.accounts.users import AccountRejected, create_account, normalise_username
from servicescore.cli.common import organisation_slug, ready, run
from servicescore.collections.invitation_list import plausible_address
from servicescore.db.alerts import set_user_email
from servicescore.db.lifecycle import database
from servicescore.identity import Account, Role
from servicescore.settings import Settings, get_settings


@click.group("users")
def users() -> None:
    """Accounts of consultants, mystery shoppers and client viewers."""


async def _create(settings: Settings, username: str, password: str, role: Role, **options: str | None) -> Account:
    async with database(settings):
        return await create_account(
            username,
            password,
            role,
            organisation=options["organisation"],
            display_name=options["name"] or "",
            language=options["language"] or "sv",
        )


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users.command("create")
@click.option("--username", required=True, help="Login name; compared case-insensitively.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--organisation", help="Name or slug of the organisation a client viewer may see (required for clients).")
@click.option("--name", help="Display name shown on pages; default the username.")
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def create_command(
    username: str, role: str, *, organisation: str | None, name: str | None, language: str, password_stdin: bool
) -> None:
    """Create an account. Without --password-stdin the password is asked for twice, hidden."""
    if Role(role) is Role.client and not organisation:
        raise click.ClickException(
            "a client viewer needs --organisation (the name or slug of the organisation they may see)"
        )
    settings = get_settings()
    if organisation and Role(role) is Role.client:
        ready(settings)
        organisation = organisation_slug(settings, organisation)
    password = _read_password(password_stdin)
    try:
        check_policy(password)
    except PasswordRejected as error:
        raise click.ClickException(str(error)) from None
    try:
        account = run(
            _create(settings, username, password, Role(role), organisation=organisation, name=name, language=language)
        )
    except AccountRejected as error:
        raise click.ClickException(str(error)) from None
    click.echo(f'created {account.role.value} "{account.username}"')


async def _set_email(settings: Settings, username: str, email: str) -> bool:
    async with database(settings) as engine:
        return await set_user_email(engine, normalise_username(username), email)


@users.command("email")
@click.argument("username")
@click.argument("address", default="")
def email_command(username: str, address: str) -> None:
    """Set the ADDRESS an account's alerts go to (a shopper's new assignments and returned visits); without
    ADDRESS, remove it."""
    address = address.strip()
    if address and not plausible_address(address):
        raise click.BadParameter(f"{address!r} is not an e-mail address", param_hint="ADDRESS")
    if not run(_set_email(get_settings(), username, address)):
        raise click.ClickException(f'no account "{username}"')
    click.echo(f'alerts of "{username}" go to {address}' if address else f'"{username}" gets no alerts')
