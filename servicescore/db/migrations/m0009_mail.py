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
from piccolo.engine import engine_finder
from piccolo.table import Table


def _stub(class_name, tablename):
    """The id column of a table a foreign key refers to, as Piccolo's generated migrations declare it."""
    id_column = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )
    return type(class_name, (Table,), {"id": id_column}, tablename=tablename, schema=None)


Collection = _stub("Collection", "collection")
Unit = _stub("Unit", "unit")
Organisation = _stub("Organisation", "organisation")
Invitation = _stub("Invitation", "invitation")


class Contact(Table, tablename="contact", schema=None):
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


ID = "2026-12-06T16:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "mail and alerts"

COMMON = {
    "primary_key": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


def _key(references, *, null=False, unique=False, index=False, on_delete=OnDelete.cascade):
    return ("ForeignKey", ForeignKey, {"references": references, "on_delete": on_delete,
                                       "on_update": OnUpdate.cascade, "target_column": None, "null": null,
                                       "unique": unique, "index": index})


def _now():
    return ("Timestamptz", Timestamptz, {"default": TimestamptzNow(), "null": False, "unique": False, "index": False})


def _moment():
    return ("Timestamptz", Timestamptz, {"default": None, "null": True, "unique": False, "index": False})


COLUMNS = {
    ("Mailing", "mailing"): {
        "collection": _key(Collection, unique=True),
        "invite_at": _now(),
        "reminder_days": ("Varchar", Varchar, {"length": 40, "default": "", "null": False, "unique": False, "index": False}),
    },
    ("Contact", "contact"): {
        "collection": _key(Collection, index=True),
        "unit": _key(Unit),
        "organisation": _key(Organisation, index=True),
        "invitation": _key(Invitation, null=True, unique=True, on_delete=OnDelete.set_null),
        "sealed": ("Text", Text, {"default": "", "null": False, "unique": False, "index": False}),
        "digest": ("Varchar", Varchar, {"length": 64, "default": "", "null": False, "unique": False, "index": True}),
        "language": ("Varchar", Varchar, {"length": 2, "default": "sv", "null": False, "unique": False, "index": False}),
        "segment": ("Varchar", Varchar, {"length": 80, "default": None, "null": True, "unique": False, "index": False}),
        "created_at": _now(),
        "opted_out_at": _moment(),
        "bounced_at": _moment(),
        "bounce_reason": ("Text", Text, {"default": "", "null": False, "unique": False, "index": False}),
        "deleted_at": _moment(),
    },
    ("Message", "message"): {
        "contact": _key(Contact, index=True),
        "step": ("Integer", Integer, {"default": 0, "null": False, "unique": False, "index": False}),
        "message_id": ("Varchar", Varchar, {"length": 250, "default": "", "null": False, "unique": True, "index": False}),
        "status": ("Varchar", Varchar, {"length": 10, "default": "pending", "null": False, "unique": False, "index": True}),
        "reason": ("Text", Text, {"default": "", "null": False, "unique": False, "index": False}),
        "attempts": ("Integer", Integer, {"default": 0, "null": False, "unique": False, "index": False}),
        "next_try_at": _now(),
        "claimed_until": _moment(),
        "created_at": _now(),
        "sent_at": _moment(),
    },
    ("Alert", "alert"): {
        "kind": ("Varchar", Varchar, {"length": 20, "default": "", "null": False, "unique": False, "index": False}),
        "object_key": ("Varchar", Varchar, {"length": 80, "default": "", "null": False, "unique": False, "index": False}),
        "recipient": ("Varchar", Varchar, {"length": 320, "default": "", "null": False, "unique": False, "index": False}),
        "language": ("Varchar", Varchar, {"length": 2, "default": "sv", "null": False, "unique": False, "index": False}),
        "subject": ("Varchar", Varchar, {"length": 300, "default": "", "null": False, "unique": False, "index": False}),
        "body": ("Text", Text, {"default": "", "null": False, "unique": False, "index": False}),
        "message_id": ("Varchar", Varchar, {"length": 250, "default": "", "null": False, "unique": True, "index": False}),
        "status": ("Varchar", Varchar, {"length": 10, "default": "pending", "null": False, "unique": False, "index": True}),
        "reason": ("Text", Text, {"default": "", "null": False, "unique": False, "index": False}),
        "attempts": ("Integer", Integer, {"default": 0, "null": False, "unique": False, "index": False}),
        "next_try_at": _now(),
        "claimed_until": _moment(),
        "created_at": _now(),
        "sent_at": _moment(),
    },
}
# Addresses alerts go to: an organisation's case owner, and each account's own (shoppers).
ADDED_COLUMNS = {
    ("Organisation", "organisation"): {
        "case_owner_email": ("Varchar", Varchar, {"length": 320, "default": "", "null": False, "unique": False, "index": False}),
        "escalation_email": ("Varchar", Varchar, {"length": 320, "default": "", "null": False, "unique": False, "index": False}),
    },
    ("User", "app_user"): {
        "email": ("Varchar", Varchar, {"length": 320, "default": "", "null": False, "unique": False, "index": False}),
    },
}

# Piccolo has no composite unique constraint: one contact per address in a collection, one message per step, one
# alert per object and kind.
STATEMENTS = (
    "CREATE UNIQUE INDEX contact_once_per_collection ON contact (collection, digest)",
    "CREATE UNIQUE INDEX message_once_per_step ON message (contact, step)",
    "CREATE UNIQUE INDEX alert_once_per_object ON alert (kind, object_key)",
)


class _IndexesAfterTables(MigrationManager):
    """Piccolo runs raw steps before it creates tables; the indexes need the tables, in the same transaction."""

    async def run(self, backwards: bool = False) -> None:
        engine = engine_finder()
        assert engine is not None
        async with engine.transaction():
            await super().run(backwards=backwards)
            if not backwards:
                for statement in STATEMENTS:
                    await engine.run_ddl(statement)


async def forwards():
    manager = _IndexesAfterTables(
        migration_id=ID, app_name="servicescore", description=DESCRIPTION
    )
    for (class_name, tablename), columns in [*COLUMNS.items(), *ADDED_COLUMNS.items()]:
        if (class_name, tablename) in COLUMNS:
            manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, (column_class_name, column_class, params) in columns.items():
            manager.add_column(
                table_class_name=class_name,
                tablename=tablename,
                column_name=name,
                db_column_name=name,
                column_class_name=column_class_name,
                column_class=column_class,
                params={**params, **COMMON},
                schema=None,
            )
    return manager
