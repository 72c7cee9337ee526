"""The dashboards' score tables kept per snapshot partition (`reporting.partitions`): a restarted server reads them
back instead of scoring every answer again, and a change of the counted responses shows on the next page."""

from __future__ import annotations

import importlib
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from bs4 import BeautifulSoup
from polars.testing import assert_frame_equal

from servicescore.demo.world import ORGANISATIONS
from servicescore.formats import integer, number
from servicescore.jobs.snapshot import dashboards_warm
from servicescore.reporting import live
from servicescore.reporting.partitions import Partition, PartitionTables, Selection
from servicescore.scoring import SCORE_STATISTICS, scores
from servicescore.scoring.schema import Level
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers
from servicescore.storage import LocalStorage
from tests.support.dashboard_session import WAVE, Login, demo_settings, figure, scored_index, seed_into, soup

ZORNGARDEN = "/console/dashboard?organisation=zorngarden"
MOBILIA = "/console/dashboard?organisation=mobilia-telekom"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world of this module's own: the tests change it."""
    folder = tmp_path_factory.mktemp("dashboards-kept") / "data"
    seed_into(tmp_path_factory, folder)
    return folder


def _text(page: str) -> str:
    main = BeautifulSoup(page, "html.parser").find("main")
    assert main is not None
    return main.get_text(" ", strip=True)


def _restart() -> None:
    """What a new server process starts with: nothing kept in memory."""
    live._LIVE.clear()


VIEWS = [("konsult", ZORNGARDEN), ("kund", "/portal/dashboard"), ("carl", "/portal/dashboard")]


def test_a_restarted_server_reads_the_kept_tables_and_no_answers(
    login: Login, demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [_text(login(who).get(path).text) for who, path in VIEWS]
    _restart()

    def no_scan(*_: object, **__: object) -> pl.LazyFrame:
        raise AssertionError("a restarted server read the snapshot's answers")

    monkeypatch.setattr("servicescore.snapshot.refresh.scan", no_scan)
    pages = [login(who).get(path) for who, path in VIEWS]
    assert [page.status_code for page in pages] == [200, 200, 200]
    assert [_text(page.text) for page in pages] == before
    # Another tenant's kept answers never reach a client viewer's page.
    carl = pages[2].text
    others = [o.name for o in ORGANISATIONS if o.slug != "carl-larssons-gard"]
    others += [u.name for o in ORGANISATIONS if o.slug != "carl-larssons-gard" for u in o.units]
    assert [name for name in others if name in carl] == []


def _count(text: str | None) -> int:
    return int("".join(ch for ch in str(text) if ch.isdigit()))


def _copy_response(demo_dir: Path, organisation: str, wave: str, overall: float) -> str:
    """A new complete visitor-survey response of `organisation` in `wave` (a copy of one, `overall` its overall
    satisfaction); returns its id."""
    with sqlite3.connect(demo_dir / "servicescore.sqlite3") as db:
        (source,) = db.execute(
            "SELECT r.id FROM response r JOIN organisation o ON o.id = r.organisation JOIN wave w ON w.id = r.wave"
            " JOIN instrument_version v ON v.id = r.instrument_version JOIN instrument i ON i.id = v.instrument"
            " WHERE o.slug = ? AND w.key = ? AND i.key = 'visitor-survey'"
            " AND r.status = 'complete' ORDER BY r.id LIMIT 1",
            (organisation, wave),
        ).fetchone()
        copy = str(uuid.uuid4())
        columns = [row[1] for row in db.execute("PRAGMA table_info(response)") if row[1] not in {"id", "number"}]
        db.execute(
            f"INSERT INTO response (id, {', '.join(columns)})"
            f" SELECT ?, {', '.join(columns)} FROM response WHERE id = ?",
            (copy, source),
        )
        db.execute(
            "INSERT INTO answer (response_number, item, value, na, text)"
            " SELECT (SELECT number FROM response WHERE id = ?), item,"
            " CASE WHEN item = 'overall_satisfaction' THEN ? ELSE value END, na, text FROM answer"
            " WHERE response_number = (SELECT number FROM response WHERE id = ?)",
            (copy, overall, source),
        )
    return copy


def test_a_new_response_changes_the_next_page_to_the_scoring_cores_numbers(
    login: Login, demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the changed partition is read and scored again: the other waves' kept tables still hold (they did not
    when a new response's row count was part of every partition's key)."""
    before = soup(login("konsult").get(ZORNGARDEN))
    n = _count(figure(before, "n"))
    _copy_response(demo_dir, "zorngarden", "2026-Q3", overall=1)
    read: list[tuple[str, tuple[str, ...]]] = []

    def reading(settings: Settings, instrument: str, waves: Sequence[str] | None = None) -> pl.LazyFrame:
        read.append((instrument, tuple(waves or ())))
        return load_answers(settings, instrument, waves)

    monkeypatch.setattr("servicescore.reporting.partitions.load_answers", reading)
    after = soup(login("konsult").get(ZORNGARDEN))
    assert read == [("visitor-survey", ("2026-Q3",))]
    assert figure(after, "n") == integer(n + 1, "sv")
    assert figure(after, "index") == number(scored_index(demo_dir, "zorngarden"), "sv")
    assert figure(after, "index") != figure(before, "index")


def _calls_n(path: str, login: Login) -> list[str]:
    page = soup(login("konsult").get(path))
    return [row.find_all("td")[0].get_text(strip=True) for row in page.select(".dash-mystery_call tbody tr")]


def test_a_returned_visit_disappears_from_the_next_page(login: Login, demo_dir: Path) -> None:
    settings = demo_settings(demo_dir)
    items = catalogue(settings, ["mystery-call"])

    def expected() -> int:
        table = scores(load_answers(settings, "mystery-call"), items, level="item").collect()
        wave = table.filter(pl.col("organisation") == "mobilia-telekom").get_column("wave").max()
        rows = table.filter((pl.col("organisation") == "mobilia-telekom") & (pl.col("wave") == wave))
        return int(rows.filter(pl.col("item") == "queue_time").item(0, "n"))

    before = _calls_n(MOBILIA, login)
    assert _count(before[0]) == expected()
    with sqlite3.connect(demo_dir / "servicescore.sqlite3") as db:
        db.execute(
            "UPDATE response SET status = 'returned', updated_at = '2026-10-01 12:00:00+00:00' WHERE id = ("
            " SELECT r.id FROM response r JOIN organisation o ON o.id = r.organisation"
            " JOIN wave w ON w.id = r.wave JOIN instrument_version v ON v.id = r.instrument_version"
            " JOIN instrument i ON i.id = v.instrument WHERE o.slug = 'mobilia-telekom' AND i.key = 'mystery-call'"
            " AND r.status = 'approved' ORDER BY w.key DESC, r.id LIMIT 1)"
        )
    after = _calls_n(MOBILIA, login)
    assert _count(after[0]) == expected()
    assert _count(after[0]) == _count(before[0]) - 1


def test_a_units_page_shows_the_distribution_of_the_units_own_answers(login: Login, demo_dir: Path) -> None:
    """The whole organisation's page, made first in the same request to offer the filters, once lent the unit's
    page its answers: the unit's bars showed the whole organisation's distribution."""
    page = soup(login("kund").get(f"/portal/dashboard?unit=hemmet&wave={WAVE}"))
    row = next(tr for tr in page.select(".dash-items tbody tr") if tr.th and "bemött av personalen" in tr.th.get_text())
    widths = [rect["width"] for rect in row.select("svg rect")]
    answers = load_answers(demo_settings(demo_dir), "visitor-survey", [WAVE]).filter(
        (pl.col("organisation") == "zorngarden") & (pl.col("unit") == "hemmet") & (pl.col("item") == "staff_welcome")
        & ~pl.col("na") & pl.col("value").is_not_null()
    ).collect()  # fmt: skip
    counts = [answers.filter(pl.col("value") == value).height for value in range(1, 6)]
    assert widths == [f"{200 * count / sum(counts):.2f}" for count in counts if count]


class CountingStorage(LocalStorage):
    """A folder that counts the files written."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.written: list[str] = []

    def put(self, key: str, data: bytes) -> None:
        self.written.append(key)
        super().put(key, data)


def _visitor_part(settings: Settings, wave: str) -> Partition:
    return next(p for p in live.LiveData(settings).now().parts["visitor-survey"] if p.wave == wave)


def test_a_new_response_rewrites_only_its_organisations_kept_answers(demo_dir: Path, tmp_path: Path) -> None:
    """The partition's other organisations keep their files (a new response rewrote every organisation's: 47 files
    at a million responses), and what is kept is what splitting the answers afresh gives."""
    settings = demo_settings(demo_dir)
    organisations = sorted(o.slug for o in ORGANISATIONS)
    storage = CountingStorage(tmp_path / "kept")
    tables = PartitionTables(settings, storage)
    before = _visitor_part(settings, "2026-Q3")
    present = [o for o in organisations if tables.own(before, o).height]
    assert len(present) > 2
    new = _copy_response(demo_dir, "zorngarden", "2026-Q3", overall=2)
    storage.written.clear()
    part = _visitor_part(settings, "2026-Q3")
    assert part != before
    kept = {o: tables.own(part, o) for o in organisations}
    own_files = [key for key in storage.written if "/own/" in key and not key.endswith("/own/digests.parquet")]
    assert len(own_files) == 1
    assert new in kept["zorngarden"].get_column("response_id").to_list()
    fresh = PartitionTables(settings, LocalStorage(tmp_path / "fresh"))
    for organisation, frame in kept.items():
        assert_frame_equal(frame, fresh.own(part, organisation))
    # Read back from the storage (a restarted server), the same frames.
    again = PartitionTables(settings, storage)
    for organisation, frame in kept.items():
        assert_frame_equal(frame, again.own(part, organisation))


def test_partitions_stay_within_their_memory_budget_and_one_read_again_stores_nothing(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1M responses the visitor survey's four partitions took 1.3 GB kept in a process (the warm-up job peaked at
    2.6 GB). They are kept within `PARTITION_BYTES`; one let go is read again when needed, without storing its
    organisations' answers again."""
    settings = demo_settings(demo_dir)
    first, second = live.LiveData(settings).now().parts["visitor-survey"][:2]
    reads: list[str] = []

    def reading(_: Settings, instrument: str, waves: Sequence[str]) -> pl.LazyFrame:
        reads.extend(waves)
        return load_answers(settings, instrument, waves)

    monkeypatch.setattr("servicescore.reporting.partitions.load_answers", reading)
    monkeypatch.setattr("servicescore.reporting.partitions.PARTITION_BYTES", 1)  # the partition read last only
    storage = CountingStorage(tmp_path / "kept")
    tables = PartitionTables(settings, storage)
    own = tables.own(first, "zorngarden")
    tables.own(second, "zorngarden")
    storage.written.clear()
    facts = tables.facts(first, Selection())
    assert reads == [first.wave, second.wave, first.wave]
    assert [key for key in storage.written if "/own/" in key] == []
    assert len(storage.written) == 1  # the facts
    assert_frame_equal(tables.own(first, "zorngarden"), own)
    monkeypatch.undo()
    unbounded = PartitionTables(settings, LocalStorage(tmp_path / "unbounded"))
    assert unbounded.facts(first, Selection()) == facts


def test_a_new_response_scores_again_only_its_organisations_groups(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The changed partition's tables are its tables before with the new response's organisation scored again
    (`scoring.scores.rescored`), and they are the tables scoring every answer gives, bit for bit."""
    settings = demo_settings(demo_dir)
    items = catalogue(settings, ["visitor-survey"])
    tables = PartitionTables(settings, LocalStorage(tmp_path / "kept"))
    asked: list[tuple[Level, tuple[str, ...]]] = [
        ("item", ("organisation",)),
        ("section", ("organisation",)),
        ("overall", ("organisation",)),
        ("overall", ("organisation", "unit")),
    ]

    def made(with_tables: PartitionTables, parts: Sequence[Partition]) -> list[pl.DataFrame]:
        return [with_tables.scores(parts, Selection(), items, level=level, by=by, min_n=5) for level, by in asked]

    made(tables, [_visitor_part(settings, "2026-Q3")])
    _copy_response(demo_dir, "carl-larssons-gard", "2026-Q3", overall=1)
    part = _visitor_part(settings, "2026-Q3")
    scored: list[list[str]] = []

    def scoring(answers: pl.LazyFrame, *args: object, **kwargs: object) -> pl.LazyFrame:
        scored.append(answers.select(pl.col("organisation").unique().sort()).collect().to_series().to_list())
        return scores(answers, *args, **kwargs)  # type: ignore[arg-type]  # the same arguments, passed on

    monkeypatch.setattr(importlib.import_module("servicescore.scoring.scores"), "scores", scoring)  # the module
    monkeypatch.setattr("servicescore.reporting.partitions.scores", scoring)
    after = made(tables, [part])
    assert scored == [["carl-larssons-gard"]] * len(asked)
    monkeypatch.undo()
    fresh = made(PartitionTables(settings, LocalStorage(tmp_path / "fresh")), [part])
    for table, whole in zip(after, fresh, strict=True):
        keys = [c for c in whole.columns if c not in SCORE_STATISTICS]
        assert_frame_equal(table.sort(keys), whole.sort(keys), check_exact=True)


def test_the_warm_job_makes_every_dashboard_before_anyone_opens_one(
    login: Login, demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy_response(demo_dir, "zorngarden", WAVE, overall=5)  # every kept table of its partition is out of date
    _restart()
    done = dashboards_warm(demo_settings(demo_dir), datetime.now(UTC))
    _restart()  # the server that opens the pages is not the worker that made them

    def no_scan(*_: object, **__: object) -> pl.LazyFrame:
        raise AssertionError("a dashboard was scored on the request path")

    monkeypatch.setattr("servicescore.snapshot.refresh.scan", no_scan)
    pages = [login("konsult").get(f"/console/dashboard?organisation={o.slug}") for o in ORGANISATIONS]
    assert [page.status_code for page in pages] == [200] * len(ORGANISATIONS)
    shown = [o.slug for o, page in zip(ORGANISATIONS, pages, strict=True) if soup(page).select("main table")]
    assert {"zorngarden", "carl-larssons-gard", "mobilia-telekom"} <= set(shown)
    assert done == f"dashboards made: {len(shown)}"
    assert dashboards_warm(demo_settings(demo_dir), datetime.now(UTC)) == "dashboards made: 0"  # nothing changed
