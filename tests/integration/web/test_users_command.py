"""``servicescore users create``: roles, organisations, duplicates, password input — one line per mistake."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from servicescore.accounts.login import LoginPolicy, log_in
from servicescore.cli import cli
from servicescore.db.lifecycle import database
from servicescore.db.tables import AuditEvent, Organisation, User
from servicescore.settings import get_settings

pytestmark = pytest.mark.usefixtures("isolated_environment")

PASSWORD = "kaffe och kanelbulle"


def create(*args: str, password: str | None = PASSWORD, prompt_input: str | None = None):
    options = ["users", "create", *args]
    if prompt_input is None:
        options.append("--password-stdin")
    return CliRunner().invoke(cli, options, input=prompt_input if prompt_input is not None else f"{password}\n")


def in_database(query):
    async def run():
        async with database(get_settings()):
            return await query()

    return asyncio.run(run())


def add_organisation(slug: str) -> None:
    in_database(lambda: Organisation.insert(Organisation(slug=slug, name=slug.title())).run())


def test_creates_a_consultant_who_can_log_in() -> None:
    result = create("--username", "konsult", "--role", "consultant", "--name", "Karin Berg", "--language", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout == 'created consultant "konsult"\n'
    row = in_database(
        lambda: User.select(User.display_name, User.role, User.language, User.password_hash).first().run()
    )
    assert row["display_name"] == "Karin Berg"
    assert (row["role"], row["language"]) == ("consultant", "en")
    assert row["password_hash"].startswith("$argon2id$")
    policy = LoginPolicy.from_settings(get_settings())
    logged_in = in_database(lambda: log_in("konsult", PASSWORD, policy, address="127.0.0.1"))
    assert logged_in is not None
    assert logged_in.account.name == "Karin Berg"


def test_duplicate_username_is_one_line_and_writes_nothing() -> None:
    assert create("--username", "konsult", "--role", "consultant").exit_code == 0
    before = in_database(lambda: AuditEvent.count().run())
    result = create("--username", "konsult", "--role", "shopper", password="another password")
    assert result.exit_code == 1
    assert result.stderr == 'Error: user "konsult" already exists\n'
    assert in_database(lambda: User.count().run()) == 1
    assert in_database(lambda: AuditEvent.count().run()) == before
    assert in_database(lambda: User.select(User.role).output(as_list=True).run()) == ["consultant"]


def test_usernames_differing_only_in_case_are_duplicates() -> None:
    assert create("--username", "Kund", "--role", "shopper").exit_code == 0
    result = create("--username", "KUND", "--role", "shopper")
    assert result.exit_code == 1
    assert result.stderr == 'Error: user "kund" already exists\n'


def test_client_viewer_belongs_to_an_existing_organisation(tmp_path: Path) -> None:
    result = create("--username", "kund", "--role", "client")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: a client viewer needs --organisation")

    result = create("--username", "kund", "--role", "client", "--organisation", "zorngarden")
    assert result.exit_code == 1
    assert result.stderr == 'Error: --organisation: unknown organisation "zorngarden"; there is none yet\n'
    assert in_database(lambda: User.count().run()) == 0

    add_organisation("zorngarden")
    result = create("--username", "kund", "--role", "client", "--organisation", "zorngarden")
    assert result.exit_code == 0, result.output
    organisation_id = in_database(lambda: Organisation.select(Organisation.id).output(as_list=True).run())
    assert in_database(lambda: User.select(User.organisation).output(as_list=True).run()) == organisation_id


def test_other_roles_cannot_belong_to_an_organisation() -> None:
    add_organisation("zorngarden")
    result = create("--username", "shopper", "--role", "shopper", "--organisation", "zorngarden")
    assert result.exit_code == 1
    assert result.stderr == "Error: only client viewers belong to an organisation, not a shopper\n"


def test_password_from_a_hidden_prompt_with_confirmation() -> None:
    result = create("--username", "shopper", "--role", "shopper", prompt_input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    policy = LoginPolicy.from_settings(get_settings())
    assert in_database(lambda: log_in("shopper", PASSWORD, policy, address="127.0.0.1")) is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--username", "a b", "--role", "shopper"], 'Error: username "a b" must be 1–80 characters'),
        (["--username", "ok", "--role", "admin"], "Error: Invalid value for '--role'"),
    ],
)
def test_bad_arguments_are_refused(args: list[str], message: str) -> None:
    result = create(*args)
    assert result.exit_code != 0
    assert message in result.stderr


def test_short_password_is_refused() -> None:
    result = create("--username", "shopper", "--role", "shopper", password="kort")
    assert result.exit_code == 1
    assert result.stderr == "Error: the password must have at least 8 characters\n"
