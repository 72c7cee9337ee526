"""Dashboard benchmark (on demand): ``python tests/benchmarks/bench_dashboards.py [DATA_DIR] [REPEATS]``.

Seeds the demo world into DATA_DIR (default: a fresh temporary folder; an already seeded one is kept), then
measures in one run, in ms:

- the baseline: one raw scoring call, `scores(answers, catalogue, level="overall")` of the visitor survey read
  from the snapshot, the smallest piece of work a dashboard repeats about a dozen times;
- per dashboard, the server's work (`reporting.live.dashboard`: snapshot check, names, filters, context) cold
  (the process's caches emptied first, as after a start), after new answers to the main instrument (its kept
  answers and tables dropped, the other instruments' kept, as after a stored response) and warm (median of
  REPEATS, default 7), and the whole page over HTTP (login session, the same work, the template) warm, each
  also as a ratio to the baseline.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from litestar.testing import TestClient

from servicescore.accounts.users import create_account
from servicescore.app import create_app
from servicescore.db.accounts import find_credentials
from servicescore.db.engine import write_transaction
from servicescore.db.lifecycle import database
from servicescore.definitions import load_instruments
from servicescore.demo.seed import seed_demo
from servicescore.identity import Role
from servicescore.reporting.dashboard import DashboardRequest, Filters
from servicescore.reporting.live import dashboard, live_data
from servicescore.scoring import scores
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers, refresh_snapshot

PASSWORD = "bench dashboards"
# (label, organisation, filters, consultant)
DASHBOARDS: tuple[tuple[str, str, Filters, bool], ...] = (
    ("Zorngården, client", "zorngarden", Filters(), False),
    ("Zorngården 2026-Q1, client", "zorngarden", Filters(wave="2026-Q1"), False),
    ("Zorngården, unit hemmet", "zorngarden", Filters(unit="hemmet"), False),
    ("Carl Larssons gård, consultant", "carl-larssons-gard", Filters(), True),
    ("Carl Larssons gård, returning visitors", "carl-larssons-gard", Filters(segment="returning"), False),
    ("Mobilia Telekom (mystery calls)", "mobilia-telekom", Filters(), True),
)


async def _seed(settings: Settings) -> None:
    instruments = {i.id: i for i in load_instruments(settings.surveys_dir)}
    async with database(settings, apply_migrations=True) as engine:
        await seed_demo(engine, instruments)
        async with write_transaction(engine):
            if await find_credentials("bench-konsult") is None:
                await create_account("bench-konsult", PASSWORD, Role.consultant)


def _ms(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _http_login(client: TestClient) -> None:  # type: ignore[type-arg]
    html = client.get("/login").text
    token = html.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    data = {"username": "bench-konsult", "password": PASSWORD, "next": "", "_csrf_token": token}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def _query(organisation: str, filters: Filters) -> str:
    parts = [f"organisation={organisation}"] + [f"{k}={v}" for k, v in vars(filters).items() if v]
    return "/console/dashboard?" + "&".join(parts)


def main(data_dir: Path, repeats: int) -> None:
    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'servicescore.sqlite3'}")
    started = time.perf_counter()
    asyncio.run(_seed(settings))
    refresh_snapshot(settings)
    print(f"demo world ready in {data_dir} ({time.perf_counter() - started:.1f} s)")
    answers = load_answers(settings, "visitor-survey").collect()
    items = catalogue(settings, ["visitor-survey"])
    baseline = _ms(lambda: scores(answers.lazy(), items, level="overall").collect(), repeats)
    print(f"baseline, one raw scoring call (visitor survey, overall, {answers.height} answers): {baseline:.1f} ms")
    print(f"{'dashboard':42} {'cold ms':>8} {'new ms':>8} {'warm ms':>8} {'page ms':>8} {'warm/base':>10} "
          f"{'page/base':>10}")  # fmt: skip
    live = live_data(settings)
    with TestClient(app=create_app(settings), base_url="http://127.0.0.1") as client:
        _http_login(client)
        for label, organisation, filters, consultant in DASHBOARDS:
            asked = DashboardRequest(organisation, filters, "sv", consultant, settings.min_group_size)
            live.answers.clear()
            live.frames.clear()
            cold = _ms(lambda asked=asked: dashboard(settings, asked), 1)  # type: ignore[misc]
            main = "mystery-call" if organisation == "mobilia-telekom" else "visitor-survey"
            live.answers.forget(lambda key, main=main: key[0] == main)  # type: ignore[index,misc]
            live.frames.forget(lambda key, main=main: key[0][0] == main)  # type: ignore[index,misc]
            new = _ms(lambda asked=asked: dashboard(settings, asked), 1)  # type: ignore[misc]
            warm = _ms(lambda asked=asked: dashboard(settings, asked), repeats)  # type: ignore[misc]
            path = _query(organisation, filters)
            assert client.get(path).status_code == 200
            page = _ms(lambda path=path: client.get(path), repeats)  # type: ignore[misc]
            print(f"{label:42} {cold:8.1f} {new:8.1f} {warm:8.1f} {page:8.1f} {warm / baseline:10.1f} "
                  f"{page / baseline:10.1f}")  # fmt: skip


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="servicescore-bench-")) / "data"
    main(folder, int(sys.argv[2]) if len(sys.argv) > 2 else 7)
