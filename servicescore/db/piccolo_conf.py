"""Piccolo's configuration module (``PICCOLO_CONF``); ``engine.bind`` replaces ``DB`` with the engine in force."""

from __future__ import annotations

from typing import Any

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine

DB: Engine[Any] = SQLiteEngine(path="servicescore-data/servicescore.sqlite3")

APP_REGISTRY = AppRegistry(apps=["servicescore.db.piccolo_app"])
