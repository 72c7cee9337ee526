"""`servicescore scores` on a small hand-made file, checked against scipy and statsmodels."""

from __future__ import annotations

import math
import uuid
from pathlib import Path

import polars as pl
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from tests.support.cli_runs import invoke

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("isolated_environment")]  # never the ambient database

HEADER = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment"
RATINGS = [5, 4, 4, 3, 5, 2, 4]  # DESIGN.md: index 71.428571
RECOMMEND = [10, 9, 8, 7, 6, 10, 3]


@pytest.fixture
def answer_file(tmp_path: Path) -> Path:
    rows = [HEADER]
    for n, (rating, nps) in enumerate(zip(RATINGS, RECOMMEND, strict=True)):
        rid = uuid.UUID(int=n + 1, version=4)
        rows.append(f"{rid},visitor-survey,2026-Q1,alfa,main,overall_satisfaction,{rating},,,2026-03-01T10:00:00Z,")
        rows.append(f"{rid},visitor-survey,2026-Q1,alfa,main,recommend,{nps},,,2026-03-01T10:00:00Z,")
        rows.append(f"{rid},visitor-survey,2026-Q1,alfa,main,staff_welcome,,true,,2026-03-01T10:00:00Z,")
    for n, rating in enumerate([5, 5, 1]):  # three respondents: under the minimum of 5
        rid = uuid.UUID(int=n + 100, version=4)
        rows.append(f"{rid},visitor-survey,2026-Q1,beta,main,overall_satisfaction,{rating},,,2026-03-01T10:00:00Z,")
    path = tmp_path / "small.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


async def test_scores_match_an_independent_computation(answer_file: Path) -> None:
    imported = await invoke("responses", "import", str(answer_file))
    assert imported.exit_code == 0, imported.output
    result = await invoke("scores", "--instrument", "visitor-survey", "--wave", "2026-Q1", "--format", "json")
    assert result.exit_code == 0, result.output
    table = pl.read_json(result.stdout.encode())
    rows = {(r["organisation"], r["item"]): r for r in table.iter_rows(named=True)}

    rating = rows[("alfa", "overall_satisfaction")]
    x = RATINGS
    n, mean, sd = len(x), sum(x) / len(x), stats.tstd(x)
    low, high = stats.t.interval(0.95, n - 1, loc=mean, scale=stats.sem(x))
    assert rating["n"] == 7
    assert rating["mean"] == pytest.approx(mean, rel=1e-12)
    assert rating["sd"] == pytest.approx(sd, rel=1e-12)
    assert (rating["ci_low"], rating["ci_high"]) == pytest.approx((low, high), rel=1e-9)
    assert rating["index"] == pytest.approx(71.428571, abs=1e-6)
    assert rating["index_ci_low"] == pytest.approx((low - 1) / 4 * 100, rel=1e-9)
    top_low, top_high = proportion_confint(5, 7, alpha=0.05, method="wilson")
    assert rating["top2_pct"] == pytest.approx(500 / 7, rel=1e-12)
    assert (rating["top2_ci_low"], rating["top2_ci_high"]) == pytest.approx((100 * top_low, 100 * top_high), rel=1e-9)
    assert rating["bottom_pct"] == pytest.approx(100 / 7, rel=1e-12)
    assert rating["suppressed"] is False
    assert rating["uncertain"] is True  # n under 30

    nps = rows[("alfa", "recommend")]
    promoters, detractors = 3, 2  # 10, 9, 10 and 6, 3
    # Adjusted Wald (Rocks 2016, "Confidence intervals for the Net Promoter Score"): add 3 to n, 0.75 to each.
    n_adj = n + 3
    p, d = (promoters + 0.75) / n_adj, (detractors + 0.75) / n_adj
    half = 1.959963984540054 * math.sqrt((p + d - (p - d) ** 2) / n_adj)
    assert nps["nps"] == pytest.approx(100 * (promoters - detractors) / n, rel=1e-12)
    assert (nps["nps_ci_low"], nps["nps_ci_high"]) == pytest.approx(
        (100 * (p - d - half), 100 * (p - d + half)), rel=1e-9
    )
    assert nps["promoters_pct"] == pytest.approx(300 / 7, rel=1e-12)

    # N/A answers are no answers: no item row for staff_welcome, whose every answer is N/A.
    assert ("alfa", "staff_welcome") not in rows

    small = rows[("beta", "overall_satisfaction")]
    assert small["n"] == 3
    assert small["suppressed"] is True
    assert all(small[c] is None for c in ("mean", "sd", "ci_low", "index", "top2_pct", "bottom_pct"))


async def test_scores_options_errors_are_one_line(answer_file: Path, tmp_path: Path) -> None:
    await invoke("responses", "import", str(answer_file))
    cases = [
        (
            ["--instrument", "nope"],
            'Error: --instrument: unknown instrument "nope"; choose one of: How was your visit? (visitor-survey)',
        ),
        (
            ["--instrument", "visitor-survey", "--by", "shoe_size"],
            "Error: --by: unknown column shoe_size; choose from organisation, unit, section, item, segment",
        ),
        (
            ["--instrument", "visitor-survey", "--wave", "1999"],
            'Error: no counted answers of "visitor-survey" in wave 1999; waves: 2026-Q1',
        ),
        (["--instrument", "visitor-survey", "--format", "parquet"], "Error: --format parquet needs -o FILE"),
    ]
    for arguments, message in cases:
        result = await invoke("scores", *arguments)
        assert result.exit_code == 1
        assert result.output.strip() == message
    drivers = await invoke("drivers", "--instrument", "visitor-survey", "--outcome", "nope")
    assert drivers.output.strip() == 'Error: --outcome: the instrument has no item "nope"'
    # By item it ended in a traceback; by section it printed a table of "0 complete responses" for every item.
    for column in ("item", "section"):
        per_answer = await invoke("drivers", "--instrument", "visitor-survey", "--by", f"organisation,{column}")
        assert per_answer.exit_code == 1
        assert per_answer.output.strip() == (
            f"Error: --by {column}: a driver table compares respondents, so it groups by organisation, unit, segment"
            " (a response has one of each)"
        )
    benchmark = await invoke("benchmark", "--instrument", "visitor-survey")
    assert (
        benchmark.output.strip() == "Error: give --focus ORG (peers anonymised) or --names (every organisation named)"
    )

    out = tmp_path / "scores.parquet"
    written = await invoke(
        "scores", "--instrument", "visitor-survey", "--format", "parquet", "-o", str(out), "--level", "overall"
    )
    assert written.exit_code == 0
    frame = pl.read_parquet(out)
    assert frame.get_column("organisation").to_list() == ["alfa", "beta"]
    assert frame.get_column("n").to_list() == [7, 3]
