from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T20:11:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "peer group english name"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="servicescore", description=DESCRIPTION
    )

    # A peer group's name in English reports (issue 19: "the peer group name stays Swedish in English"). Optional:
    # existing groups get "", and an English report then prints the Swedish name.
    manager.add_column(
        table_class_name="PeerGroup",
        tablename="peer_group",
        column_name="name_en",
        db_column_name="name_en",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 200,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
