from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-22T20:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "furthest page"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="servicescore", description=DESCRIPTION
    )

    # How far a respondent came (the furthest page sent forward), kept with the response so that a second device
    # resumes where the first stopped. Existing rows get -1, "none known": they resume after their last answer,
    # as they did before.
    manager.add_column(
        table_class_name="Response",
        tablename="response",
        column_name="furthest_page",
        db_column_name="furthest_page",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": -1,
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
