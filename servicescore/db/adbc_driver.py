"""ADBC's driver manager and its PostgreSQL driver, for the analytics reads of `snapshot_reads`.

A module of their own so that they load on the first PostgreSQL read (`snapshot_reads._adbc`): a command on SQLite,
or `--help`, never needs them. The driver manager alone, not ADBC's DB-API module, which loads pandas (0.5 s).
"""

from __future__ import annotations

from adbc_driver_manager import AdbcConnection, AdbcStatement, OperationalError
from adbc_driver_postgresql import connect

__all__ = ["AdbcConnection", "AdbcStatement", "OperationalError", "connect"]
