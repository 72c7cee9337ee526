from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Text
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.column_types import Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Organisation(Table, tablename="organisation", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-06T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "jobs"

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

    # Background jobs: the consultant-visible truth about each job, whatever the queue (huey) holds.
    manager.add_table(class_name="Job", tablename="job", schema=None, columns=None)
    plain = {"null": False, "unique": False, "index": False}
    columns = [
        ("kind", "Varchar", Varchar, {"length": 80, "default": "", **plain}),
        ("organisation", "ForeignKey", ForeignKey, {
            "references": Organisation, "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
            "target_column": None, "null": True, "unique": False, "index": True,
        }),
        ("batch", "Varchar", Varchar, {"length": 36, "default": "", "null": False, "unique": False, "index": True}),
        ("dedupe_key", "Varchar", Varchar, {"length": 200, "default": None, "null": True, "unique": True, "index": False}),
        ("payload", "Text", Text, {"default": "{}", **plain}),
        ("status", "Varchar", Varchar, {"length": 10, "default": "queued", "null": False, "unique": False, "index": True}),
        ("reason", "Text", Text, {"default": "", **plain}),
        ("result", "Text", Text, {"default": "", **plain}),
        ("attempts", "Integer", Integer, {"default": 0, **plain}),
        ("max_attempts", "Integer", Integer, {"default": 5, **plain}),
        ("progress_done", "Integer", Integer, {"default": 0, **plain}),
        ("progress_total", "Integer", Integer, {"default": 0, **plain}),
        ("created_at", "Timestamptz", Timestamptz, {"default": TimestamptzNow(), **plain}),
        ("run_after", "Timestamptz", Timestamptz, {"default": TimestamptzNow(), **plain}),
        ("started_at", "Timestamptz", Timestamptz, {"default": None, "null": True, "unique": False, "index": False}),
        ("finished_at", "Timestamptz", Timestamptz, {"default": None, "null": True, "unique": False, "index": False}),
        ("heartbeat_at", "Timestamptz", Timestamptz, {"default": None, "null": True, "unique": False, "index": False}),
        ("worker", "Varchar", Varchar, {"length": 120, "default": "", **plain}),
    ]
    for name, class_name, column_class, params in columns:
        manager.add_column(
            table_class_name="Job",
            tablename="job",
            column_name=name,
            db_column_name=name,
            column_class_name=class_name,
            column_class=column_class,
            params={**params, **COMMON},
            schema=None,
        )

    return manager
