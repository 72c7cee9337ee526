"""Whether this process can do its work (`/healthz`): its database answers, its job queue's storage answers, and its
storage (`servicescore.storage`: the data dir or the bucket of `SERVICESCORE_STORAGE_URL`) takes a file and gives
it back.

Each part is checked at once and given `CHECK_SECONDS`; the answer names only the parts and whether each is up, never
a URL or an error's text (those go to the log, which may hold a host name but never a password).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Final

from servicescore import jobs
from servicescore.db.health import ping
from servicescore.settings import Settings
from servicescore.storage import probe, storage_for

CHECK_SECONDS: Final[float] = 5.0
logger = logging.getLogger("servicescore.health")


async def _database(_: Settings) -> None:
    await ping()


async def _queue(settings: Settings) -> None:
    await asyncio.to_thread(jobs.probe, settings)


async def _storage(settings: Settings) -> None:
    await asyncio.to_thread(lambda: probe(storage_for(settings)))


PARTS: Final[dict[str, Callable[[Settings], Awaitable[None]]]] = {
    "database": _database,
    "queue": _queue,
    "storage": _storage,
}


async def _up(name: str, settings: Settings) -> bool:
    try:
        await asyncio.wait_for(PARTS[name](settings), CHECK_SECONDS)
    except Exception as error:  # any failure means "down"; the log says why
        logger.warning("health check: the %s is down: %s", name, str(error) or type(error).__name__)
        return False
    return True


async def check(settings: Settings) -> dict[str, object]:
    """`{"status": "ok" | "error", "database": "ok" | "down", "queue": …, "storage": …, "down": [parts]}`."""
    up = dict(zip(PARTS, await asyncio.gather(*(_up(name, settings) for name in PARTS)), strict=True))
    down = [name for name, answered in up.items() if not answered]
    return {"status": "error" if down else "ok", **{name: "ok" if up[name] else "down" for name in PARTS}, "down": down}
