"""What every command shares: settings, running a coroutine, checking paths it will write, finding a named thing
by its name or slug, and turning known failures into one line."""

from __future__ import annotations

import os
from collections.abc import Coroutine, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from servicescore.instrument_folders import instrument_folders
from servicescore.settings import Settings

if TYPE_CHECKING:
    from servicescore.definitions import Instrument

T = TypeVar("T")

EXIT_DATABASE = 2


class DatabaseError(click.ClickException):
    exit_code = EXIT_DATABASE


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a database that cannot be reached or migrated ends it with one line."""
    import asyncio

    from servicescore.db.common import DatabaseUnreachable
    from servicescore.db.migrate import MigrationFailed

    try:
        return asyncio.run(coroutine)
    except (DatabaseUnreachable, MigrationFailed) as error:
        raise DatabaseError(str(error)) from None


async def _open_and_close(settings: Settings) -> None:
    from servicescore.db.lifecycle import database

    async with database(settings):
        pass


def _migrated(settings: Settings) -> bool:
    """Whether the database answers and has applied every committed migration, read without Piccolo."""
    from servicescore.db.common import committed_migrations, sqlite_path
    from servicescore.db.snapshot_reads import applied_migrations

    if settings.is_sqlite and not sqlite_path(settings.database).is_file():
        return False  # a first start: the full check makes and migrates the file
    try:
        return committed_migrations() <= applied_migrations(settings.database)
    except Exception:  # no file, no migration table, no server: the full check says which, in one line
        return False


def ready(settings: Settings) -> None:
    """The database is reachable and migrated (the embedded one migrates itself); else one line and exit 2. Commands
    that read through the snapshot or ConnectorX call this first: those readers retry an unreachable server for
    half a minute and then fail with a traceback. A database that answers with every committed migration applied is
    ready as it is: only otherwise does Piccolo start (0.5–1 s of imports and connections, a third of `scores`)."""
    if not _migrated(settings):
        run(_open_and_close(settings))


def instruments_or_exit(settings: Settings) -> dict[str, Instrument]:
    """Instrument definitions by id, shipped and uploaded; definitions that do not load end the command."""
    from servicescore.definitions import DefinitionError, load_instruments

    try:
        return {instrument.id: instrument for instrument in load_instruments(*instrument_folders(settings))}
    except DefinitionError as error:
        raise click.ClickException("the survey definitions do not load:\n" + "\n".join(error.lines)) from None


def named(given: str, known: Mapping[str, Sequence[str]], *, what: str, option: str) -> str:
    """The slug of the one thing in `known` (slug → names, the first one shown) whose slug or name is `given`,
    compared case-insensitively; a slug that matches wins over another thing's name. Anything else ends the command
    with one line naming the option and listing the valid ones as "Name (slug)"."""
    wanted = given.strip().casefold()
    by_slug = [slug for slug in known if slug.casefold() == wanted]
    matches = by_slug or [slug for slug, names in known.items() if wanted in {name.casefold() for name in names}]
    if len(matches) == 1:
        return matches[0]

    def listed(slugs: Sequence[str]) -> str:
        shown = sorted(slugs, key=lambda slug: ((known[slug] or [slug])[0].casefold(), slug))
        return ", ".join(f"{(known[slug] or [slug])[0]} ({slug})" for slug in shown)

    if matches:
        raise click.ClickException(f'{option}: "{given}" names more than one {what}: {listed(matches)}; give the slug')
    if not known:
        raise click.ClickException(f'{option}: unknown {what} "{given}"; there is none yet')
    raise click.ClickException(f'{option}: unknown {what} "{given}"; choose one of: {listed(list(known))}')


def organisation_slug(settings: Settings, given: str, option: str = "--organisation") -> str:
    """The organisation named `given` (name or slug), or one line listing every organisation."""
    from servicescore.db.names import organisation_names

    return named(given, organisation_names(settings.database), what="organisation", option=option)


def unit_reference(settings: Settings, given: str, option: str = "--unit") -> str:
    """``organisation/unit`` in slugs, from a reference written with names or slugs (``Zorngården/Gammelgården``);
    an unknown unit lists the organisation's units."""
    from servicescore.db.names import organisation_names, unit_names

    organisation, slash, unit = given.partition("/")
    if not slash or not unit.strip():
        raise click.ClickException(
            f'{option}: write the unit as organisation/unit, e.g. zorngarden/gammelgarden (got "{given}")'
        )
    organisations = organisation_names(settings.database)
    slug = named(organisation, organisations, what="organisation", option=option)
    units = unit_names(settings.database).get(slug, {})
    return f"{slug}/{named(unit, units, what=f'unit of {organisations[slug][0]}', option=option)}"


def stored_instrument(settings: Settings, given: str, option: str = "--instrument") -> str:
    """The id of the stored instrument named `given` (its id, or its English or Swedish title)."""
    from servicescore.db.names import instrument_names

    known = instrument_names(settings.database)
    if not known:
        raise click.ClickException(
            f'{option}: unknown instrument "{given}"; none stored yet: import answers or run `servicescore demo`'
        )
    return named(given, known, what="instrument", option=option)


def failure_line(error: OSError) -> str:
    """An operating-system error as the one line a command prints: the path and the reason."""
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{error.strerror or error}"


class Writable(click.Path):
    """A path the command will write, checked when the command line is read, before any work: its folder must exist
    (or, with ``make_folders``, the nearest existing one must be a folder) and be writable, and the path itself
    must not be a folder (unless ``folder``). A bad path is one ``Error:`` line and exit 1."""

    def __init__(self, *, folder: bool = False, make_folders: bool = False) -> None:
        super().__init__(file_okay=not folder, dir_okay=folder, path_type=Path)
        self.folder, self.make_folders = folder, make_folders

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:  # noqa: ARG002 - click's signature
        given = os.fsdecode(value)
        path = Path(os.path.abspath(given))
        if path.exists() and path.is_dir() != self.folder:
            raise click.ClickException(f"cannot write {given}: it is {'a folder' if path.is_dir() else 'a file'}")
        folder = path if self.folder else path.parent
        if self.make_folders or self.folder:
            while not folder.exists():
                folder = folder.parent
        if not folder.exists():
            raise click.ClickException(f"cannot write {given}: the folder {folder} does not exist")
        if not folder.is_dir():
            raise click.ClickException(f"cannot write {given}: {folder} is a file, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise click.ClickException(f"cannot write {given}: the folder {folder} is not writable")
        return Path(given)
