from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "login throttle"

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

    # Failed logins are counted per client address, per account and per (account, address) in one table that every
    # app process shares; the per-account counter and lock on app_user go (a stranger could lock any account).
    manager.add_table(
        class_name="LoginThrottle", tablename="login_throttle", schema=None, columns=None
    )
    columns = [
        ("key_sha256", "Varchar", Varchar, {"length": 64, "default": "", "null": False, "unique": True, "index": False}),
        ("failures", "Integer", Integer, {"default": 0, "null": False, "unique": False, "index": False}),
        ("window_start", "Timestamptz", Timestamptz, {"default": TimestamptzNow(), "null": False, "unique": False, "index": False}),
        ("until", "Timestamptz", Timestamptz, {"default": None, "null": True, "unique": False, "index": False}),
    ]
    for name, class_name, column_class, params in columns:
        manager.add_column(
            table_class_name="LoginThrottle",
            tablename="login_throttle",
            column_name=name,
            db_column_name=name,
            column_class_name=class_name,
            column_class=column_class,
            params={**params, **COMMON},
            schema=None,
        )

    for name in ("failed_logins", "locked_until"):
        manager.drop_column(
            table_class_name="User",
            tablename="app_user",
            column_name=name,
            db_column_name=name,
            schema=None,
        )

    return manager
