from __future__ import annotations

from pathlib import Path

from piccolo.conf.apps import AppConfig

from servicescore.db.tables import TABLES

APP_CONFIG = AppConfig(
    app_name="servicescore",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=list(TABLES),
)
