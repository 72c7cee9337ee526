"""Each /api/v1 read endpoint on the small world (api_world.py): the scoring core's numbers, hand-checked figures,
and the tenant rule (a client viewer sees only their organisation; another's answers like a missing one)."""

from __future__ import annotations

import io
import math
from typing import Any

import anyio
import polars as pl
import pytest

from servicescore.reporting.on_demand import CACHE
from servicescore.scoring import benchmark, scores
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers, peer_groups
from servicescore.storage import storage_for
from tests.support.api_calls import Client, bearer, log_in, rows_by, token_for
from tests.support.api_world import INSTRUMENT, ApiWorld

pytestmark = pytest.mark.anyio


async def get_json(client: Client, token: str, path: str, **params: Any) -> Any:
    answer = await client.get(path, params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


def core_scores(settings: Settings, by: list[str], level: str, wave: str | None = None) -> list[dict[str, Any]]:
    answers = load_answers(settings, INSTRUMENT, None if wave is None else [wave])
    table = scores(answers, catalogue(settings, [INSTRUMENT]), by, level, settings.min_group_size)  # type: ignore[arg-type]
    return table.collect().with_columns(pl.selectors.float().fill_nan(None)).to_dicts()


def same_numbers(api: dict[str, Any], core: dict[str, Any]) -> None:
    for column, expected in core.items():
        if column not in api:
            continue
        got = api[column]
        if isinstance(expected, float):
            assert got is not None, column
            assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9), column
        else:
            assert got == expected, column


async def test_organisations_for_a_consultant_and_a_client(client: Client, world: ApiWorld) -> None:
    konsult, kund = await token_for(client, "konsult"), await token_for(client, "kund")
    everything = await get_json(client, konsult, "/api/v1/organisations")
    assert [o["slug"] for o in everything] == sorted(
        ["zorngarden", "carl-larssons-gard", "fiktiv-a", "fiktiv-b", "fiktiv-c", "telco"],
        key=lambda slug: slug.replace("-", " ").title(),
    )
    assert {o["slug"]: o["peer_group"] for o in everything}["telco"] is None
    own = await get_json(client, kund, "/api/v1/organisations")
    assert own == [
        {"id": world.organisations["zorngarden"], "slug": "zorngarden", "name": "Zorngarden",
         "peer_group": "heritage", "peer_group_name": "Kulturarv"}
    ]  # fmt: skip
    detail = await get_json(client, kund, f"/api/v1/organisations/{world.organisations['zorngarden']}")
    assert [u["slug"] for u in detail["units"]] == ["main", "shop"]


async def test_another_tenants_organisation_answers_like_a_missing_one(client: Client, world: ApiWorld) -> None:
    kund = await token_for(client, "kund")
    other = world.organisations["carl-larssons-gard"]
    missing = max(world.organisations.values()) + 100
    foreign = await client.get(f"/api/v1/organisations/{other}", headers=bearer(kund))
    absent = await client.get(f"/api/v1/organisations/{missing}", headers=bearer(kund))
    assert foreign.status_code == absent.status_code == 404
    assert foreign.json() == {
        "status_code": 404, "detail": "not found",
        "errors": [{"field": "organisation_id", "message": f"no organisation {other}"}],
    }  # fmt: skip
    assert foreign.text.replace(str(other), "N") == absent.text.replace(str(missing), "N")
    for path in ("/api/v1/scores", "/api/v1/responses"):
        params = {"instrument": INSTRUMENT}
        refused = await client.get(path, params={**params, "organisation": "carl-larssons-gard"}, headers=bearer(kund))
        unknown = await client.get(path, params={**params, "organisation": "nowhere"}, headers=bearer(kund))
        assert refused.status_code == unknown.status_code == 404
        assert refused.text.replace("carl-larssons-gard", "X") == unknown.text.replace("nowhere", "X")


async def test_bad_parameters_are_named(client: Client, world: ApiWorld) -> None:
    konsult = await token_for(client, "konsult")
    cases = [
        ("/api/v1/organisations/0", {}, 400, "organisation_id"),
        ("/api/v1/organisations/99999999999", {}, 400, "organisation_id"),
        ("/api/v1/responses", {"instrument": INSTRUMENT, "per_page": 0}, 400, "per_page"),
        ("/api/v1/responses", {}, 400, "instrument"),
        ("/api/v1/scores", {"instrument": "no-such"}, 404, "instrument"),
        ("/api/v1/scores", {"instrument": INSTRUMENT, "wave": "1999-Q1"}, 404, "wave"),
        ("/api/v1/scores", {"instrument": INSTRUMENT, "by": "segment"}, 400, "by"),
        ("/api/v1/benchmark", {"instrument": INSTRUMENT, "wave": "1999-Q1"}, 404, "wave"),
        ("/api/v1/reports/client.txt", {}, 400, "report"),
        ("/api/v1/reports/nothing.pdf", {"organisation": "zorngarden"}, 404, "report"),
    ]
    for path, params, status, field in cases:
        answer = await client.get(path, params=params, headers=bearer(konsult))
        assert answer.status_code == status, (path, params, answer.text)
        assert field in [problem["field"] for problem in answer.json()["errors"]], (path, answer.text)


async def test_collections_with_links_for_consultants_only(client: Client, world: ApiWorld) -> None:
    konsult, kund = await token_for(client, "konsult"), await token_for(client, "kund")
    (collection,) = await get_json(client, konsult, "/api/v1/collections")
    assert collection["state"] == "open"
    assert collection["instrument"] == "visitor-survey"
    links = {u["unit_id"]: u["url"] for u in collection["units"]}
    assert links == {unit: f"http://127.0.0.1/s/{token}" for unit, token in world.link_tokens.items()}
    (own,) = await get_json(client, kund, "/api/v1/collections")
    assert [(u["organisation"], u["unit"], u["url"]) for u in own["units"]] == [
        ("zorngarden", "main", None), ("zorngarden", "shop", None),
    ]  # fmt: skip


async def test_scores_equal_the_scoring_core(client: Client, world: ApiWorld, settings: Settings) -> None:
    konsult = await token_for(client, "konsult")
    for by, columns, level, keys in (
        ("item", ["organisation"], "item", ("wave", "organisation", "item")),
        ("section", ["organisation"], "section", ("wave", "organisation", "section")),
        ("overall", ["organisation"], "overall", ("wave", "organisation")),
        ("unit", ["organisation", "unit"], "overall", ("wave", "organisation", "unit")),
    ):
        api = rows_by(await get_json(client, konsult, "/api/v1/scores", instrument=INSTRUMENT, by=by), *keys)
        core = rows_by(await anyio.to_thread.run_sync(core_scores, settings, columns, level), *keys)
        assert api.keys() == core.keys()
        for key, row in core.items():
            same_numbers(api[key], row)
    items = rows_by(
        await get_json(client, konsult, "/api/v1/scores", instrument=INSTRUMENT, by="item", wave="2026-Q1"),
        "organisation", "item",
    )  # fmt: skip
    proud = items[("zorngarden", "proud_of_service")]
    assert (proud["n"], proud["mean"], proud["suppressed"]) == (9, 4.0, False)
    assert proud["index"] == pytest.approx(75.0)
    assert proud["top2_pct"] == pytest.approx(700 / 9)  # 4, 4, 5, 5, 4, 4, 5 of 9
    assert {row["wave"] for row in items.values()} == {"2026-Q1"}


async def test_a_client_gets_own_scores_with_suppression(client: Client, world: ApiWorld) -> None:
    kund, kund2 = await token_for(client, "kund"), await token_for(client, "kund2")
    units = await get_json(client, kund, "/api/v1/scores", instrument=INSTRUMENT, by="unit", wave="2026-Q1")
    assert {row["organisation"] for row in units} == {"zorngarden"}
    by_unit = rows_by(units, "unit")
    assert (by_unit[("main",)]["n"], by_unit[("main",)]["suppressed"]) == (6, False)
    shop = by_unit[("shop",)]
    assert (shop["n"], shop["suppressed"], shop["mean"], shop["index"]) == (None, True, None, None)  # as exported
    carl = await get_json(client, kund2, "/api/v1/scores", instrument=INSTRUMENT, wave="2026-Q2")
    assert [(row["organisation"], row["n"], row["suppressed"], row["index"]) for row in carl] == [
        ("carl-larssons-gard", None, True, None)
    ]


async def test_benchmark_for_a_consultant_equals_the_core(client: Client, world: ApiWorld, settings: Settings) -> None:
    konsult = await token_for(client, "konsult")
    api = rows_by(await get_json(client, konsult, "/api/v1/benchmark", instrument=INSTRUMENT), "wave", "organisation")

    def core() -> list[dict[str, Any]]:
        table = scores(load_answers(settings, INSTRUMENT), catalogue(settings, [INSTRUMENT]), ["organisation"],
                       "overall", settings.min_group_size)  # fmt: skip
        found = benchmark(table, peer_groups(settings), 5, names=True).collect()
        return found.with_columns(pl.selectors.float().fill_nan(None)).to_dicts()

    expected = rows_by(await anyio.to_thread.run_sync(core), "wave", "organisation")
    assert api.keys() == expected.keys()
    for key, row in expected.items():
        same_numbers(api[key], row)
    q1 = api[("2026-Q1", "zorngarden")]
    assert q1["n_peers"] == 5
    assert q1["rank"] is not None
    assert api[("2026-Q2", "zorngarden")]["n_peers"] == 4  # Carl Larssons gård suppressed
    assert api[("2026-Q2", "zorngarden")]["peer_mean"] is None
    assert api[("2026-Q1", "telco")]["peer_group"] is None


async def test_a_clients_benchmark_names_only_them_and_hides_small_peer_groups(client: Client, world: ApiWorld) -> None:
    kund, konsult = await token_for(client, "kund"), await token_for(client, "konsult")
    rows = await get_json(client, kund, "/api/v1/benchmark", instrument=INSTRUMENT)
    named = rows_by(await get_json(client, konsult, "/api/v1/benchmark", instrument=INSTRUMENT), "wave", "organisation")
    q1 = [row for row in rows if row["wave"] == "2026-Q1"]
    assert sorted(row["organisation"] for row in q1) == ["Peer A", "Peer B", "Peer C", "Peer D", "zorngarden"]
    # Peer A is the best peer of the first wave.
    best_peer = max((r for r in named.values() if r["wave"] == "2026-Q1" and r["organisation"] != "zorngarden"
                     and r["peer_group"] == "heritage"), key=lambda r: r["index"])  # fmt: skip
    assert rows_by(q1, "organisation")[("Peer A",)]["index"] == best_peer["index"]
    # 2026-Q2: only four shown organisations in the peer group, so no peer appears at all.
    assert [row["organisation"] for row in rows if row["wave"] == "2026-Q2"] == ["zorngarden"]
    assert all(row["peer_group"] == "heritage" for row in rows)  # telco is in no peer group of theirs


async def test_responses_paged_and_limited_for_clients(client: Client, world: ApiWorld) -> None:
    konsult, kund = await token_for(client, "konsult"), await token_for(client, "kund")
    params = {"instrument": INSTRUMENT, "wave": "2026-Q1", "organisation": "zorngarden"}
    first = await get_json(client, konsult, "/api/v1/responses", per_page=20, **params)
    assert first["total"] == 9 * 5  # nine responses, five answers each
    assert len(first["items"]) == 20
    rest = await get_json(client, konsult, "/api/v1/responses", per_page=20, page=3, **params)
    assert len(rest["items"]) == 5
    every = await get_json(client, konsult, "/api/v1/responses", per_page=1000, **params)
    proud = sorted(a["value"] for a in every["items"] if a["item"] == "proud_of_service")
    assert proud == [2, 3, 4, 4, 4, 4, 5, 5, 5]
    texts = {a["text"] for a in every["items"] if a["item"] == "one_improvement"}
    assert "Mer fika 0" in texts

    own = await get_json(client, kund, "/api/v1/responses", per_page=1000, instrument=INSTRUMENT, wave="2026-Q1")
    assert own["total"] == 6 * 5  # the shop's three responses are a group under 5
    assert {a["unit"] for a in own["items"]} == {"main"}
    assert {a["organisation"] for a in own["items"]} == {"zorngarden"}
    segments = {a["response_id"]: a["segment"] for a in own["items"]}
    assert sorted(segments.values(), key=str) == [None, "staff", "staff", "staff", "staff", "staff"]


async def test_a_client_sees_the_same_answers_in_the_api_and_in_the_export(client: Client, world: ApiWorld) -> None:
    """One rule for a client viewer: the API's answers are the export's rows, pseudonyms and dates (no stored id,
    no time of day), in the same order."""
    kund = await token_for(client, "kund")
    api = await get_json(client, kund, "/api/v1/responses", per_page=1000, instrument=INSTRUMENT)
    await log_in(client, "kund")
    exported = await client.get("/portal/exports/answers", params={"instrument": INSTRUMENT, "format": "csv"})
    assert exported.status_code == 200, exported.text
    export = pl.read_csv(io.BytesIO(exported.content), infer_schema=False)
    columns = ("response_id", "wave", "unit", "item", "submitted_at")
    from_api = [tuple(str(a[c]) for c in columns) for a in api["items"]]
    from_export = [tuple(str(v) for v in row) for row in export.select(columns).iter_rows()]
    assert len(from_api) == api["total"] == len(from_export) == 2 * 6 * 5  # main's six a wave; the shop's three: no
    assert from_api == from_export
    assert {len(a["submitted_at"]) for a in api["items"]} == {len("2026-02-01")}  # dates only
    stored = await get_json(client, await token_for(client, "konsult"), "/api/v1/responses", per_page=1000,
                            instrument=INSTRUMENT, organisation="zorngarden")  # fmt: skip
    assert not {a["response_id"] for a in stored["items"]} & {a["response_id"] for a in api["items"]}


async def test_a_client_sees_the_same_scores_in_the_api_and_in_the_export(client: Client, world: ApiWorld) -> None:
    kund = await token_for(client, "kund")
    api = await get_json(client, kund, "/api/v1/scores", instrument=INSTRUMENT, wave="2026-Q1", by="unit")
    await log_in(client, "kund")
    params = {"instrument": INSTRUMENT, "wave": "2026-Q1", "by": "unit", "level": "overall", "format": "csv"}
    exported = await client.get("/portal/exports/scores", params=params)
    assert exported.status_code == 200, exported.text
    export = pl.read_csv(io.BytesIO(exported.content))
    assert [(r["unit"], r["n"], r["index"]) for r in api] == list(export.select("unit", "n", "index").iter_rows())
    assert [(r["unit"], r["n"], r["suppressed"]) for r in api] == [("main", 6, False), ("shop", None, True)]


async def test_reports_list_and_pdf(client: Client, world: ApiWorld) -> None:
    konsult, kund = await token_for(client, "konsult"), await token_for(client, "kund")
    assert [r["id"] for r in await get_json(client, konsult, "/api/v1/reports")] == [
        "client", "comparison", "industry",
    ]  # fmt: skip
    (only,) = await get_json(client, kund, "/api/v1/reports")
    assert (only["id"], only["peers"]) == ("client", "anonymised")
    pdf = await client.get("/api/v1/reports/client.pdf", params={"lang": "en"}, headers=bearer(kund))
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    named = await client.get("/api/v1/reports/comparison.pdf", headers=bearer(kund))
    assert named.status_code == 404
    foreign = await client.get(
        "/api/v1/reports/client.pdf", params={"organisation": "carl-larssons-gard"}, headers=bearer(kund)
    )
    missing = await client.get("/api/v1/reports/client.pdf", params={"organisation": "nowhere"}, headers=bearer(kund))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.text.replace("carl-larssons-gard", "X") == missing.text.replace("nowhere", "X")
    nothing = await client.get("/api/v1/reports/client.pdf", params={"organisation": "telco"}, headers=bearer(konsult))
    assert nothing.status_code == 422
    assert nothing.json()["errors"][0]["field"] == "organisation"


async def test_a_report_adjusted_for_shopper_leniency_is_for_consultants_and_cached_apart(
    client: Client, world: ApiWorld, settings: Settings
) -> None:
    konsult, kund = await token_for(client, "konsult"), await token_for(client, "kund")
    refused = await client.get("/api/v1/reports/client.pdf", params={"adjust_shoppers": "true"}, headers=bearer(kund))
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "adjust_shoppers"
    params = {"organisation": "zorngarden", "lang": "en"}
    plain = await client.get("/api/v1/reports/client.pdf", params=params, headers=bearer(konsult))
    adjusted = await client.get(
        "/api/v1/reports/client.pdf", params={**params, "adjust_shoppers": "true"}, headers=bearer(konsult)
    )
    assert plain.status_code == adjusted.status_code == 200, adjusted.text
    assert len(storage_for(settings).list(CACHE)) == 2  # the option is part of the cache key
