from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T20:31:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "message send job"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="servicescore", description=DESCRIPTION
    )

    # Issue 21: a mail round hands its due messages to send jobs ("mail-send") of a few hundred each, which any
    # worker runs. The job id marks a message as held while that job is queued or running, so a later round never
    # hands it out twice. A plain integer, not a foreign key: finished send jobs are pruned after a day, and a
    # message whose job is gone is simply free again.
    manager.add_column(
        table_class_name="Message",
        tablename="message",
        column_name="job",
        db_column_name="job",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
