"""``/console/jobs`` and ``/console/organisations/{id}/jobs``: every job of the job table as the consultant reads
it (status, progress, attempts, the reason of a failure in one line), each batch's progress; the batch of reports
the reports page starts; consultants only, in Swedish and English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import Tag

from servicescore.db.tables import Job
from tests.support.console_world import Client, World, in_app, log_in, post_form, soup

pytestmark = pytest.mark.anyio


async def add_jobs(world: World) -> dict[str, int]:
    """Jobs of Zorngården (a batch of two: one done, one failed; one running; one waiting for its retry), one of
    Carl Larssons gård (skipped), and a periodic job of no organisation."""
    now = datetime.now(UTC)
    zorn, larsson = world.organisation_id, world.other_organisation_id
    rows = {
        "done": Job(kind="report", organisation=zorn, batch="b1", status="done", attempts=1,
                    result="/data/reports/client-zorngarden-latest-sv.pdf", progress_done=1, progress_total=1),
        "failed": Job(kind="report", organisation=zorn, batch="b1", status="failed", attempts=5,
                      reason="disk full: /srv/reports"),
        "running": Job(kind="report", organisation=zorn, batch="b2", status="running", attempts=1, progress_done=3,
                       progress_total=10, heartbeat_at=now),
        "retrying": Job(kind="report", organisation=zorn, batch="b3", status="queued", attempts=2,
                        reason="server busy", run_after=now + timedelta(minutes=1)),
        "skipped": Job(kind="report", organisation=larsson, batch="b4", status="done", attempts=1,
                       result="skipped: no answers to report"),
        "periodic": Job(kind="report", organisation=None, batch="", status="done", dedupe_key="report@x"),
    }  # fmt: skip
    ids = {}
    for name, row in rows.items():
        row.created_at = now
        await row.save()
        ids[name] = row.id
    return ids


def table_rows(page: Tag) -> dict[int, list[str]]:
    rows = page.select("table#jobs tbody tr")
    return {int(str(row["data-job"])): [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
            for row in rows}  # fmt: skip


async def test_the_jobs_of_every_organisation_and_their_batches(client: Client, world: World) -> None:
    ids = await in_app(client, add_jobs, world)
    await log_in(client)
    page = soup(await client.get("/console/jobs?lang=en"))
    assert page.h1 is not None
    assert page.h1.text == "Background jobs"
    rows = table_rows(page)
    assert sorted(rows) == sorted(i for name, i in ids.items() if name != "periodic")  # system work is not listed
    assert rows[ids["failed"]][1:5] == ["Zorngården", "Failed", "", "5 of 5"]
    assert rows[ids["failed"]][-1] == "disk full: /srv/reports"
    assert rows[ids["running"]][2:4] == ["Running", "3/10"]
    assert rows[ids["retrying"]][2] == "Queued"
    assert rows[ids["retrying"]][-1].startswith("Tried again ")
    assert rows[ids["retrying"]][-1].endswith(": server busy")
    assert rows[ids["done"]][-1] == "client-zorngarden-latest-sv.pdf"
    assert rows[ids["skipped"]][1:3] == ["Carl Larssons gård", "Done"]
    assert rows[ids["skipped"]][-1] == "Skipped: no answers to report"
    batch = page.find("section", attrs={"data-batch": "b1"})
    assert isinstance(batch, Tag)
    assert (batch["data-total"], batch["data-done"], batch["data-failed"]) == ("2", "1", "1")
    assert "2 of 2 finished · 1 failed" in batch.get_text(" ", strip=True)
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is not None  # jobs under way: it reloads itself


async def test_an_organisations_jobs_and_a_missing_organisation(client: Client, world: World) -> None:
    ids = await in_app(client, add_jobs, world)
    await log_in(client)
    own = soup(await client.get(f"/console/organisations/{world.organisation_id}/jobs?lang=sv"))
    assert own.h1 is not None
    assert own.h1.text == "Bakgrundsjobb för Zorngården"
    rows = table_rows(own)
    assert sorted(rows) == sorted(ids[name] for name in ("done", "failed", "running", "retrying"))
    assert rows[ids["failed"]][2] == "Misslyckades"
    assert rows[ids["running"]][2] == "Pågår"
    other = soup(await client.get(f"/console/organisations/{world.other_organisation_id}/jobs?lang=sv"))
    assert sorted(table_rows(other)) == [ids["skipped"]]
    assert other.find("meta", attrs={"http-equiv": "refresh"}) is None  # nothing under way
    assert (await client.get("/console/organisations/987654/jobs")).status_code == 404
    organisation = soup(await client.get(f"/console/organisations/{world.organisation_id}"))
    assert organisation.find("a", href=f"/console/organisations/{world.organisation_id}/jobs") is not None


async def test_the_reports_page_starts_a_batch_for_every_organisation(client: Client, world: World) -> None:
    await log_in(client)
    started = await post_form(client, "/console/reports/batch", {"report": "client", "wave": "", "language": "en"},
                              form_page="/console/reports")  # fmt: skip
    assert started.status_code == 303
    location = started.headers["location"]
    assert location.startswith("/console/jobs?batch=")
    batch_id = location.split("=", 1)[1]
    page = soup(await client.get(location + "&lang=en"))
    batch = page.find("section", attrs={"data-batch": batch_id})
    assert isinstance(batch, Tag)
    assert (batch["data-total"], batch["data-done"]) == ("2", "0")  # Zorngården and Carl Larssons gård
    assert "just started" in batch.get_text(" ", strip=True)
    statuses = {cells[1]: cells[2] for cells in table_rows(page).values()}
    assert statuses == {"Zorngården": "Queued", "Carl Larssons gård": "Queued"}
    for fields, message in (
        ({"report": "comparison", "wave": "", "language": "en"}, "a comparison is made for chosen organisations"),
        ({"report": "client", "wave": "2031-Q1", "language": "en"}, "there is no wave “2031-Q1”"),
    ):
        refused = await post_form(client, "/console/reports/batch?lang=en", fields, form_page="/console/reports")
        assert refused.status_code == 400
        assert message in soup(refused).get_text(" ", strip=True)


async def test_client_viewers_may_not_see_jobs(client: Client, world: World) -> None:
    await log_in(client, "kund")
    assert (await client.get("/console/jobs")).status_code == 403
    assert (await client.get(f"/console/organisations/{world.organisation_id}/jobs")).status_code == 403


async def add_mail_jobs(world: World) -> tuple[int, int]:
    """A finished e-mail batch of Zorngården's and one half sent."""
    done = Job(
        kind="mail-send",
        organisation=world.organisation_id,
        batch="m1",
        status="done",
        attempts=1,
        result='{"failed": 1, "retry": 2, "sent": 196, "skipped": 1}',
        progress_done=200,
        progress_total=200,
    )
    running = Job(kind="mail-send", organisation=world.organisation_id, batch="m1", status="running", attempts=1,
                  progress_done=100, progress_total=250, heartbeat_at=datetime.now(UTC))  # fmt: skip
    await done.save()
    await running.save()
    return done.id, running.id


async def test_e_mail_batches_read_as_what_they_sent_in_each_language(client: Client, world: World) -> None:
    """A mail round's send jobs: one row each with its progress, what a finished one sent in the page's language,
    and their round as one batch."""
    done, running = await in_app(client, add_mail_jobs, world)
    await log_in(client)
    english = soup(await client.get("/console/jobs?lang=en"))
    rows = table_rows(english)
    assert rows[done][0] == f"E-mail batch #{done}"
    assert rows[done][2:4] == ["Done", "200/200"]
    assert rows[done][-1] == "196 sent, 2 to try again, 1 failed, 1 skipped"
    assert rows[running][2:4] == ["Running", "100/250"]
    batch = english.select_one("section[data-batch=m1] h2")
    assert batch is not None
    assert batch.text == "Batch: E-mail batch"
    swedish = table_rows(soup(await client.get(f"/console/organisations/{world.organisation_id}/jobs?lang=sv")))
    assert swedish[done][0] == f"E-postutskick #{done}"
    assert swedish[done][-1] == "196 skickade, 2 försöks igen, 1 misslyckades, 1 hoppades över"


async def add_two_mail_rounds(world: World) -> None:
    """Two mail rounds of Zorngården's, two send jobs each: one queued on 30 November 13:05 UTC and finished by
    13:09 (one job done, one failed), one queued on 2 December 08:30 UTC and still sending."""
    first, second = datetime(2026, 11, 30, 13, 5, tzinfo=UTC), datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
    rows = (
        Job(kind="mail-send", organisation=world.organisation_id, batch="r1", status="done", attempts=1,
            result='{"failed": 0, "retry": 0, "sent": 10, "skipped": 0}', created_at=first,
            finished_at=first + timedelta(minutes=2)),
        Job(kind="mail-send", organisation=world.organisation_id, batch="r1", status="failed", attempts=5,
            reason="relay refused", created_at=first + timedelta(seconds=1), finished_at=first + timedelta(minutes=4)),
        Job(kind="mail-send", organisation=world.organisation_id, batch="r2", status="done", attempts=1,
            result='{"failed": 0, "retry": 0, "sent": 5, "skipped": 0}', created_at=second,
            finished_at=second + timedelta(minutes=1)),
        Job(kind="mail-send", organisation=world.organisation_id, batch="r2", status="running", attempts=1,
            created_at=second, heartbeat_at=datetime.now(UTC)),
    )  # fmt: skip
    for row in rows:
        await row.save()


async def test_a_batch_says_when_it_was_queued_and_finished(client: Client, world: World) -> None:
    """Two rounds of the same kind ('Omgång: E-postutskick') are told apart by when they were queued, and a finished
    one by when it finished: local time (Stockholm, CET in winter) in the page's language, as the jobs table's."""
    await in_app(client, add_two_mail_rounds, world)
    await log_in(client)
    for lang, first, second in (
        ("sv", "Lagd i kö 30 november 2026, 14:05 · klar 30 november 2026, 14:09", "Lagd i kö 2 december 2026, 09:30"),
        ("en", "Queued 30 November 2026, 14:05 · finished 30 November 2026, 14:09", "Queued 2 December 2026, 09:30"),
    ):
        for path in ("/console/jobs", f"/console/organisations/{world.organisation_id}/jobs"):
            page = soup(await client.get(f"{path}?lang={lang}"))
            times = {str(section["data-batch"]): section.get_text(" ", strip=True)
                     for section in page.select("section[data-batch]")}  # fmt: skip
            assert sorted(times) == ["r1", "r2"], path
            assert first in times["r1"], (lang, path, times["r1"])
            assert second in times["r2"], (lang, path, times["r2"])
            assert "·" not in times["r2"].split(second)[1], (lang, path)  # still sending: no finishing time
