"""Many machines, on one: HAProxy round-robin (no stickiness, /healthz checks) in front of three ``servicescore
serve`` processes and two ``servicescore worker`` processes, each with its own empty data dir, on one PostgreSQL
database, a Redis job queue and an S3 bucket (moto's server) as the storage.

Through the load balancer a respondent completes a survey with each page on another process, a shopper syncs a visit,
a consultant approves it and downloads the client report, a client viewer opens the dashboard. Then one app process
and the worker running a batch report are SIGKILLed while respondents keep posting: every page a respondent saw
acknowledged (303) is in PostgreSQL, the journeys complete on the other processes and the report job completes on
the surviving worker.

What needs the storage to be shared through the bucket (`SERVICESCORE_STORAGE_URL`: a logo uploaded on one process
printed by every other, the same PDF bytes from each process, a photo uploaded on one process and synced through
another) is in a test of its own. The two tests share one cluster when they run in one process (file order: the
shared files first, the kills last): the module's tests are one xdist group, so that under `--dist loadgroup`
(the suite's default) one worker runs both on one cluster instead of each worker starting its own.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import secrets
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.support.cluster import (
    SERVED_BY,
    USE_SERVER,
    Node,
    haproxy,
    moto_s3,
    start_serve,
    start_worker,
    storage_environment,
    wait_ready,
)
from tests.support.live_server import PASSWORD, _environment
from tests.support.postgres import POSTGRES_URL, admin, run_apart, url_of
from tests.support.redis_server import redis_server
from tests.support.report_downloads import pdf_text
from tests.support.visits_world import visit_payload

# Starting the cluster (five Python processes at once) took 78-119 s at load average 9-10 on 2 cores: more than the
# suite's 300 s per test leaves when a busy CI machine is slower still.
pytestmark = [pytest.mark.timeout(600), pytest.mark.xdist_group("many-machines")]

SERVERS = ("app1", "app2", "app3")
WORKERS = ("worker1", "worker2")
WAVE = "2026-Q4"
PAGES: tuple[dict[str, str], ...] = (
    {"visit_type": "first_visit", "visited_with": "alone"},
    {"staff_welcome": "5", "guide_rating": "na", "waiting_time": "4"},
    {"overall_satisfaction": "5", "recommend": "10", "best_part": "Guiden", "comment": "Tack!"},
    {"contact_consent": "no"},
)
REPORT_QUERY = {"report": "client", "organisation": "zorngarden", "wave": WAVE, "language": "sv"}
RESPONDENTS = 3
COMPLETIONS_AFTER_KILL = 4
JOB_SECONDS = 120


@dataclass
class Cluster:
    url: str
    database: str
    servers: dict[str, Node]
    workers: dict[str, Node]
    world: dict[str, Any]

    def logs(self) -> str:
        return "\n".join(node.tail() for node in (*self.servers.values(), *self.workers.values()))

    def rows(self, query: str, *args: object) -> list[dict[str, Any]]:
        return run_apart(_fetch(self.database, query, *args))


async def _fetch(url: str, query: str, *args: object) -> list[dict[str, Any]]:
    connection = await asyncpg.connect(url)
    try:
        return [dict(row) for row in await connection.fetch(query, *args)]
    finally:
        await connection.close()


def seeding(database: str, data_dir: Path) -> subprocess.Popen[str]:
    """The world written into the new database, in a process of its own that runs while Redis and S3 start."""
    environment = {**_environment(data_dir), "SERVICESCORE_DATABASE_URL": database}
    return subprocess.Popen([sys.executable, "-m", "tests.support.cluster_world"], env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, requires: Callable[..., None]) -> Iterator[Cluster]:
    requires("PostgreSQL (SERVICESCORE_DATABASE_URL=postgresql://…)", available=POSTGRES_URL.startswith("postgres"))
    for kind in ("haproxy", "redis", "moto_server"):
        requires(kind)
    folder = tmp_path_factory.mktemp("many-machines")
    database_name = f"servicescore_many_{secrets.token_hex(6)}"
    run_apart(admin(f'CREATE DATABASE "{database_name}"'))
    database = url_of(database_name)
    try:
        seed = seeding(database, folder / "seed")
        with redis_server(folder / "redis") as queue, moto_s3(folder / "s3") as endpoint:
            output, errors = seed.communicate(timeout=180)
            assert seed.returncode == 0, errors[-3000:]
            world = json.loads(output.splitlines()[-1])
            shared = {
                **_environment(folder / "seed"),
                **storage_environment(endpoint, "cluster"),
                "SERVICESCORE_DATABASE_URL": database,
                "SERVICESCORE_QUEUE_URL": queue,
                "SERVICESCORE_QUEUE_IN_PROCESS": "false",  # only the workers run jobs
                "SERVICESCORE_JOB_HEARTBEAT_SECONDS": "1",  # a dead worker's job is sent again after 3 s
            }
            shared.pop("SERVICESCORE_DATA_DIR")
            servers = {name: start_serve(name, shared, folder) for name in SERVERS}
            workers = {name: start_worker(name, shared, folder) for name in WORKERS}
            try:
                for node in (*servers.values(), *workers.values()):
                    wait_ready(node)
                with haproxy(folder / "haproxy", {name: node.port for name, node in servers.items()}) as url:
                    yield Cluster(url, database, servers, workers, world)
            finally:
                for node in (*servers.values(), *workers.values()):
                    node.stop()
    finally:
        run_apart(admin(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))


# -- people ---------------------------------------------------------------------------------------------------------


def _field(html: str, name: str) -> str | None:
    found = BeautifulSoup(html, "html.parser").find("input", attrs={"name": name})
    return None if found is None else str(found["value"])


def log_in(url: str, username: str) -> tuple[httpx.Client, str]:
    """A logged-in client through the load balancer, and its session's CSRF token (for forms and the API)."""
    client = httpx.Client(base_url=url, timeout=120)
    token = _field(client.get("/login").text, "_csrf_token")
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "_csrf_token": token or ""})
    assert answer.status_code == 303, answer.text[:2000]
    session_token = _field(client.get("/login").text, "_csrf_token")  # logging in gave the session its own token
    assert session_token
    return client, session_token


@dataclass
class Respondent:
    """Completes the visitor survey through the load balancer like a plain browser, retrying a page whose answer
    was lost (a 502 or a dropped connection: the process died), and remembers every page acknowledged by a 303."""

    url: str
    path: str
    served: list[tuple[str, str]] = field(default_factory=list)  # (request, process) in order
    acknowledged: list[tuple[str, int]] = field(default_factory=list)  # (response id, page index)
    completed: list[str] = field(default_factory=list)
    failures: int = 0

    def _get(self, client: httpx.Client, path: str) -> httpx.Response:
        answer = client.get(path)
        self.served.append((f"GET {path}", answer.headers.get(SERVED_BY, "")))
        return answer

    def complete(self, attempts: int = 12) -> str:
        """One survey from the link to the thank-you page; its response id."""
        with httpx.Client(base_url=self.url, timeout=60) as client:
            text, response_id = "", None
            for _ in range(attempts):
                try:
                    shown = self._get(client, self.path)  # a new survey, or the resumed one after a failure
                    if shown.status_code == 303 and shown.headers["location"].endswith("/done"):
                        # the last page was saved by a process killed before its answer reached us: thanked now
                        shown = self._get(client, shown.headers["location"])
                    while shown.status_code == 200 and (page := _field(shown.text, "_page")) is not None:
                        text, response_id = shown.text, _field(shown.text, "_response")
                        fields = {"_csrf_token": _field(text, "_csrf_token"), "_response": response_id,
                                  "_page": page, "_version": _field(text, "_version") or "", "_nav": "next",
                                  **PAGES[int(page)]}  # fmt: skip
                        sent = client.post(self.path, data=fields)
                        self.served.append((f"POST page {page}", sent.headers.get(SERVED_BY, "")))
                        if sent.status_code != 303:
                            raise httpx.HTTPStatusError("not saved", request=sent.request, response=sent)
                        assert response_id is not None
                        self.acknowledged.append((response_id, int(page)))
                        shown = self._get(client, sent.headers["location"])
                    if shown.status_code == 200 and response_id is not None and "_csrf_token" not in shown.text:
                        self.completed.append(response_id)
                        return response_id
                except httpx.HTTPError:
                    pass  # the process died under this request: nothing acknowledged; try again
                self.failures += 1
                time.sleep(0.2)
        raise AssertionError(f"no thank-you page after {attempts} tries: {self.served[-6:]}")


def stored_answers(cluster: Cluster) -> dict[str, set[str]]:
    rows = cluster.rows(
        "SELECT r.id::text AS response, a.item FROM answer a JOIN response r ON r.number = a.response_number"
    )
    answers: dict[str, set[str]] = {}
    for row in rows:
        answers.setdefault(row["response"], set()).add(row["item"])
    return answers


def png(colour: tuple[int, int, int], size: tuple[int, int] = (240, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_images(pdf: bytes, folder: Path) -> list[str]:
    """`pdfimages -list`: one line per image in the PDF."""
    path = folder / f"{hashlib.sha256(pdf).hexdigest()[:12]}.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    return listing.splitlines()[2:]


# -- the journeys ---------------------------------------------------------------------------------------------------


def each_page_of_a_survey_lands_on_another_process(cluster: Cluster) -> None:
    respondent = Respondent(cluster.url, f"/s/{cluster.world['token']}")
    response_id = respondent.complete(attempts=1)

    served = [process for _, process in respondent.served]
    assert set(served) == set(SERVERS), respondent.served
    assert all(a != b for a, b in itertools.pairwise(served)), respondent.served  # no stickiness
    posts = [process for request, process in respondent.served if request.startswith("POST")]
    assert len(posts) == len(PAGES)
    assert set(posts) == set(SERVERS)
    stored = cluster.rows("SELECT status FROM response WHERE id = $1", uuid.UUID(response_id))
    assert stored == [{"status": "complete"}]
    assert {"visit_type", "staff_welcome", "overall_satisfaction", "contact_consent"} <= stored_answers(cluster)[
        response_id
    ]


def a_visit_is_synced_approved_reported_and_seen_by_the_client(cluster: Cluster) -> None:
    Respondent(cluster.url, f"/s/{cluster.world['token']}").complete()  # the report needs answers in the wave
    shopper, token = log_in(cluster.url, "shopper")
    visit = str(uuid.uuid4())
    payload = visit_payload(cluster.world["assignments"][0])
    sent = [shopper.put(f"/api/v1/visits/{visit}", json=payload, headers={"x-csrftoken": token}) for _ in range(2)]
    assert [answer.status_code for answer in sent] == [201, 200], sent[0].text
    assert sent[1].json()["outcome"] == "unchanged"  # the resend, on another process, stored nothing new
    assert sent[0].headers[SERVED_BY] != sent[1].headers[SERVED_BY]

    consultant, csrf = log_in(cluster.url, "konsult")
    queue = consultant.get("/console/review")
    assert visit in queue.text
    decided = consultant.post(f"/console/review/{visit}", data={"action": "approve", "_csrf_token": csrf})
    assert decided.status_code == 303, decided.text[:2000]
    assert cluster.rows("SELECT status FROM response WHERE id = $1", uuid.UUID(visit)) == [{"status": "approved"}]

    pdf = consultant.get("/console/reports/pdf", params=REPORT_QUERY)
    assert pdf.status_code == 200, pdf.text[:2000]
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Servicerapport" in text
    assert "Zorngården" in text

    client, _ = log_in(cluster.url, "kund")
    dashboard = client.get("/portal/dashboard")
    assert dashboard.status_code == 200
    assert "Zorngården" in BeautifulSoup(dashboard.text, "html.parser").get_text(" ")


def a_logo_uploaded_on_one_process_is_in_the_same_pdf_from_every_process(cluster: Cluster, folder: Path) -> None:
    Respondent(cluster.url, f"/s/{cluster.world['token']}").complete()  # the report needs answers in the wave
    consultant, csrf = log_in(cluster.url, "konsult")
    organisation = cluster.world["organisation_id"]
    logo = png((122, 46, 31))
    uploaded = consultant.post(
        f"/console/organisations/{organisation}/logo", data={"_csrf_token": csrf},
        files={"logo": ("logo.png", logo, "image/png")}, headers={USE_SERVER: "app1"},
    )  # fmt: skip
    assert uploaded.status_code == 303, uploaded.text[:2000]
    assert uploaded.headers[SERVED_BY] == "app1"

    logos = {name: consultant.get(f"/console/organisations/{organisation}/logo", headers={USE_SERVER: name})
             for name in SERVERS}  # fmt: skip
    assert {name: answer.status_code for name, answer in logos.items()} == dict.fromkeys(SERVERS, 200)
    pdfs = {name: consultant.get("/console/reports/pdf", params=REPORT_QUERY, headers={USE_SERVER: name})
            for name in SERVERS}  # fmt: skip
    assert {name: answer.headers[SERVED_BY] for name, answer in pdfs.items()} == {name: name for name in SERVERS}
    assert {answer.headers["content-type"] for answer in pdfs.values()} == {"application/pdf"}
    assert len({answer.content for answer in pdfs.values()}) == 1  # the same bytes from every process
    assert pdf_images(pdfs["app3"].content, folder), "the logo is printed"


def a_photo_uploaded_on_one_process_syncs_through_another(cluster: Cluster) -> None:
    shopper, token = log_in(cluster.url, "shopper")
    photo = png((40, 90, 160), (320, 240))
    sha256 = hashlib.sha256(photo).hexdigest()
    uploaded = shopper.put(f"/api/v1/attachments/{sha256}", content=photo,
                           headers={"x-csrftoken": token, "content-type": "image/png", USE_SERVER: "app1"})  # fmt: skip
    assert uploaded.status_code in {200, 201}, uploaded.text
    payload = visit_payload(cluster.world["assignments"][1])
    payload["answers"]["entrance_photo"] = {"photos": [sha256]}
    synced = shopper.put(f"/api/v1/visits/{uuid.uuid4()}", json=payload,
                         headers={"x-csrftoken": token, USE_SERVER: "app2"})  # fmt: skip
    assert synced.status_code == 201, synced.text
    consultant, _ = log_in(cluster.url, "konsult")
    seen = consultant.get(f"/api/v1/attachments/{sha256}", headers={USE_SERVER: "app3"})
    assert seen.status_code == 200
    assert seen.headers["content-type"].startswith("image/")


def _running_job(cluster: Cluster, batch: str) -> dict[str, Any] | None:
    rows = cluster.rows("SELECT id, status, worker, attempts FROM job WHERE batch = $1", batch)
    return next((row for row in rows if row["status"] == "running"), None)


def a_sigkill_of_an_app_process_and_a_worker_loses_nothing_acknowledged(cluster: Cluster) -> None:
    stop = threading.Event()
    respondents = [Respondent(cluster.url, f"/s/{cluster.world['token']}") for _ in range(RESPONDENTS)]
    errors: list[BaseException] = []

    def keep_answering(respondent: Respondent) -> None:
        try:
            while not stop.is_set():
                respondent.complete()
        except BaseException as error:  # reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=keep_answering, args=(r,), daemon=True) for r in respondents]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + JOB_SECONDS
    while sum(len(r.acknowledged) for r in respondents) < RESPONDENTS:  # the respondents are posting
        assert not errors, errors
        assert time.monotonic() < deadline, cluster.logs()
        time.sleep(0.05)

    consultant, csrf = log_in(cluster.url, "konsult")
    queued = consultant.post("/console/reports/batch", data={"report": "client", "wave": WAVE, "language": "sv",
                                                             "_csrf_token": csrf})  # fmt: skip
    assert queued.status_code == 303, queued.text[:2000]
    batch = queued.headers["location"].split("batch=")[1]
    while (running := _running_job(cluster, batch)) is None:
        assert time.monotonic() < deadline, cluster.logs()
        time.sleep(0.1)
    pids = {str(node.process.pid): node for node in cluster.workers.values()}
    doomed_worker = pids[running["worker"].rsplit(":", 1)[1]]
    doomed_worker.kill()
    cluster.servers["app2"].kill()  # while the respondents keep posting
    before = sum(len(r.completed) for r in respondents)
    acknowledged_before = sum(len(r.acknowledged) for r in respondents)
    while sum(len(r.completed) for r in respondents) < before + COMPLETIONS_AFTER_KILL:
        assert not errors, errors
        assert time.monotonic() < deadline, cluster.logs()
        time.sleep(0.1)

    while (job := cluster.rows("SELECT status, worker, attempts, reason FROM job WHERE id = $1", running["id"])[0])[
        "status"
    ] != "done":
        assert job["status"] != "failed", f"{job}\n{cluster.logs()}"
        assert time.monotonic() < deadline, f"{job}\n{cluster.logs()}"
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    survivor = next(node for node in cluster.workers.values() if not node.killed)
    assert job["worker"].endswith(f":{survivor.process.pid}")
    assert job["attempts"] == 2
    served_after = {process for r in respondents for _, process in r.served[-8:]}
    assert "app2" not in served_after
    assert served_after <= {"app1", "app3"}
    answers = stored_answers(cluster)
    acknowledged = [page for r in respondents for page in r.acknowledged]
    lost = [
        (rid, page) for rid, page in acknowledged if not set(PAGES[page]) - {"guide_rating"} <= answers.get(rid, set())
    ]
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged pages lost"
    assert 0 < acknowledged_before < len(acknowledged)  # pages were acknowledged before the kills and after
    completed = [rid for r in respondents for rid in r.completed]
    statuses = cluster.rows("SELECT id::text AS id, status FROM response WHERE id = ANY($1::uuid[])", completed)
    assert sorted(row["id"] for row in statuses if row["status"] == "complete") == sorted(completed)
    assert httpx.get(f"{cluster.url}/healthz", timeout=10).status_code == 200


# -- the tests: the journeys needing shared files first, then the kills (on one cluster when run in one process) -----


def test_files_uploaded_through_one_process_are_used_by_every_process(cluster: Cluster, tmp_path: Path) -> None:
    a_logo_uploaded_on_one_process_is_in_the_same_pdf_from_every_process(cluster, tmp_path)
    a_photo_uploaded_on_one_process_syncs_through_another(cluster)


def test_journeys_across_processes_lose_nothing_when_an_app_process_and_a_worker_are_killed(cluster: Cluster) -> None:
    each_page_of_a_survey_lands_on_another_process(cluster)
    a_visit_is_synced_approved_reported_and_seen_by_the_client(cluster)
    a_sigkill_of_an_app_process_and_a_worker_loses_nothing_acknowledged(cluster)
