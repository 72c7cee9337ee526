from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T14:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"

# Piccolo has no composite unique constraint; these make duplicates impossible, not just unlikely.
STATEMENTS = (
    "CREATE UNIQUE INDEX answer_response_item ON answer (response, item)",
    "CREATE UNIQUE INDEX unit_organisation_slug ON unit (organisation, slug)",
    "CREATE UNIQUE INDEX instrument_version_key ON instrument_version (instrument, version)",
    "CREATE UNIQUE INDEX attachment_response_item_sha ON attachment (response, item, sha256)",
    "CREATE UNIQUE INDEX collection_link_unit ON collection_link (collection, unit)",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
