"""`lost_database` tells a database server that cannot be reached (503, "try again") from a statement that failed
(500) and from another service's socket error (the job queue, SMTP: not the database)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import asyncpg
import pytest
from asyncpg.exceptions import AdminShutdownError, ConnectionDoesNotExistError, UniqueViolationError

from servicescore.db.engine import lost_database
from tests.support.redis_server import free_port


def _raised(call: Callable[[], object], kind: type[Exception]) -> Exception:
    with pytest.raises(kind) as raised:
        call()
    return raised.value


def test_the_driver_refused_by_a_server_that_is_not_there_is_a_lost_database() -> None:
    port = free_port()
    error = _raised(lambda: asyncio.run(asyncpg.connect(f"postgresql://u:p@127.0.0.1:{port}/db", timeout=5)), OSError)
    assert lost_database(error)


@pytest.mark.parametrize("error", [ConnectionDoesNotExistError("closed"), AdminShutdownError("terminating")])
def test_the_drivers_connection_errors_are_a_lost_database(error: Exception) -> None:
    assert lost_database(error)


def _save_page() -> None:
    try:
        raise ConnectionDoesNotExistError("connection was closed in the middle of operation")
    except ConnectionDoesNotExistError as cause:
        raise RuntimeError("saving the page failed") from cause


def test_a_wrapped_loss_is_a_lost_database() -> None:
    assert lost_database(_raised(_save_page, RuntimeError))


def test_a_failed_statement_is_not_a_lost_database() -> None:
    assert not lost_database(UniqueViolationError("duplicate key value violates unique constraint"))
    assert not lost_database(ValueError("not a number"))


def test_another_services_refused_socket_is_not_a_lost_database() -> None:
    error = _raised(lambda: socket.create_connection(("127.0.0.1", free_port()), timeout=5), ConnectionRefusedError)
    assert not lost_database(error)
