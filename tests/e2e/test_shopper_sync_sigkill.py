"""Killing the server (SIGKILL) in the middle of a stream of visit syncs: after a restart every visit the phone
saw confirmed is stored exactly once with the confirmed content, and every unconfirmed one is stored after the
retry. SQLite with synchronous=FULL, and the reply is sent only after the commit, make this hold."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from bs4 import BeautifulSoup

from tests.support.live_server import PASSWORD, _environment, _free_port, _servicescore, _wait_until_healthy

VISITS = 60
SEED = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from servicescore.db.lifecycle import database
from servicescore.db.instruments import sync_instruments
from servicescore.db.tables import Assignment, Organisation, Unit, User, Wave
from servicescore.definitions import load_instruments
from servicescore.settings import Settings

async def main():
    settings = Settings()
    async with database(settings):
        org = Organisation(slug="carl-larssons-gard", name="Carl Larssons gård")
        await org.save()
        unit = Unit(organisation=org.id, slug="lilla-hyttnas", name="Lilla Hyttnäs")
        await unit.save()
        wave = Wave(key="2026-Q4")
        await wave.save()
        tour = [i for i in load_instruments(settings.surveys_dir) if i.id == "guided-tour"]
        version = (await sync_instruments(tour))["guided-tour"]
        shopper = await User.select(User.id).where(User.username == "shopper").first()
        start = datetime.now(UTC) - timedelta(days=1)
        for _ in range(int(sys.argv[1])):
            await Assignment(shopper=shopper["id"], unit=unit.id, instrument_version=version, wave=wave.id,
                             window_start=start, window_end=start + timedelta(days=2)).save()

asyncio.run(main())
"""


def serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    log = (data_dir / f"serve-{port}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "servicescore", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=_environment(data_dir), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


STARTED = datetime.now(UTC) - timedelta(minutes=50)


def payload(assignment_id: int) -> dict[str, object]:
    """The same visit every time it is sent, as the phone keeps it."""
    return {
        "assignment_id": assignment_id, "status": "draft", "revision": 1,
        "started_at": STARTED.isoformat(),
        "answers": {"pace": {"value": 1 + assignment_id % 5}, "observer_notes": {"value": f"Besök {assignment_id}"}},
    }  # fmt: skip


class Phone:
    """Sends visits one after another; remembers which ones the server confirmed and with what content hash."""

    def __init__(self, base_url: str) -> None:
        self.visits = {n: str(uuid.uuid4()) for n in range(1, VISITS + 1)}
        self.confirmed: dict[int, str] = {}
        self.client = httpx.Client(base_url=base_url, timeout=10)
        page = self.client.get("/login")
        token = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "_csrf_token"})["value"]
        login = {"username": "shopper", "password": PASSWORD, "_csrf_token": token}
        assert self.client.post("/login", data=login).status_code in {200, 303}
        page = self.client.get("/login")  # logging in gave the session its own token
        self.token = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "_csrf_token"})["value"]

    def rebase(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=10, cookies=self.client.cookies)

    def send(self, number: int) -> int | None:
        try:
            answer = self.client.put(f"/api/v1/visits/{self.visits[number]}", json=payload(number),
                                     headers={"x-csrftoken": self.token})  # fmt: skip
        except httpx.HTTPError:
            return None  # the reply was lost: the phone keeps the visit in its outbox
        if answer.status_code in {200, 201}:
            self.confirmed[number] = answer.json()["content_sha256"]
        return answer.status_code


def test_sigkill_in_a_stream_of_syncs_loses_nothing_confirmed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    environment = _environment(data_dir)
    _servicescore("users", "create", "--username", "shopper", "--role", "shopper", "--password-stdin",
                  environment=environment, stdin=f"{PASSWORD}\n")  # fmt: skip
    subprocess.run([sys.executable, "-c", SEED, str(VISITS)], env=environment, check=True, timeout=120)
    port = _free_port()
    server = serve(data_dir, port)
    _wait_until_healthy(f"http://127.0.0.1:{port}", server, data_dir / f"serve-{port}.log")
    phone = Phone(f"http://127.0.0.1:{port}")

    sent: list[int] = []

    def stream() -> None:
        for number in phone.visits:
            phone.send(number)
            sent.append(number)

    sender = threading.Thread(target=stream)
    sender.start()
    while len(phone.confirmed) < VISITS // 3:
        time.sleep(0.005)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    sender.join(timeout=60)
    confirmed_before = dict(phone.confirmed)
    assert VISITS // 3 <= len(confirmed_before) < VISITS, "the kill must land inside the stream"

    port = _free_port()
    server = serve(data_dir, port)
    try:
        _wait_until_healthy(f"http://127.0.0.1:{port}", server, data_dir / f"serve-{port}.log")
        phone.rebase(f"http://127.0.0.1:{port}")
        retries = {number: phone.send(number) for number in phone.visits}
    finally:
        server.terminate()
        server.wait(timeout=15)

    # Confirmed visits come back as resends (200, nothing new); the rest are stored now (201, or 200 if the
    # kill landed after their commit but before the reply).
    assert all(retries[number] == 200 for number in confirmed_before)
    assert set(retries.values()) <= {200, 201}
    assert len(phone.confirmed) == VISITS
    with sqlite3.connect(data_dir / "servicescore.sqlite3") as db:
        rows = db.execute("SELECT id, content_sha256 FROM response").fetchall()
    stored = {str(uuid.UUID(str(row[0]))): row[1] for row in rows}
    assert len(rows) == VISITS  # exactly once each
    for number, sha in confirmed_before.items():
        assert stored[phone.visits[number]] == sha
