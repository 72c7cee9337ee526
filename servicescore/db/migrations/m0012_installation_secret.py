from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T20:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "installation secret"

COMMON = {
    "primary_key": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="servicescore", description=DESCRIPTION
    )

    # The secret key (and anything else every process must share) lives in the database, not in a data dir.
    manager.add_table(
        class_name="InstallationSecret", tablename="installation_secret", schema=None, columns=None
    )
    columns = [
        ("name", "Varchar", Varchar, {"length": 40, "default": "", "null": False, "unique": True, "index": False}),
        ("value", "Text", Text, {"default": "", "null": False, "unique": False, "index": False}),
    ]
    for name, class_name, column_class, params in columns:
        manager.add_column(
            table_class_name="InstallationSecret",
            tablename="installation_secret",
            column_name=name,
            db_column_name=name,
            column_class_name=class_name,
            column_class=column_class,
            params={**params, **COMMON},
            schema=None,
        )

    return manager
