"""The only code that talks SQL: tables, queries, migrations."""

from __future__ import annotations

import os

os.environ.setdefault("PICCOLO_CONF", "servicescore.db.piccolo_conf")
