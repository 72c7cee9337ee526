"""What a client viewer may see of answers and benchmarks (servicescore.web.api.tables), on small inline frames."""

from __future__ import annotations

import polars as pl

from servicescore.web.api.tables import MIN_PEERS, client_answers, client_benchmark, rows


def answers(unit_sizes: dict[str, int], segments: dict[int, str] | None = None) -> pl.LazyFrame:
    """Two answers per response; responses numbered across units in order."""
    records = []
    number = 0
    for unit, size in unit_sizes.items():
        for _ in range(size):
            for item in ("a", "b"):
                records.append({"response_id": f"r{number}", "wave": "W1", "organisation": "own", "unit": unit,
                                "segment": (segments or {}).get(number, "staff"), "item": item})  # fmt: skip
            number += 1
    return pl.LazyFrame(records)


def test_units_under_the_minimum_are_withheld_and_small_segments_nulled() -> None:
    shown = client_answers(answers({"big": 6, "small": 4}, segments={0: "guide"}), 5).collect()
    assert set(shown.get_column("unit")) == {"big"}
    assert shown.height == 12
    by_response = dict(zip(shown.get_column("response_id"), shown.get_column("segment"), strict=True))
    assert by_response["r0"] is None  # the only "guide"
    assert {by_response[f"r{n}"] for n in range(1, 6)} == {"staff"}


def test_a_unit_exactly_at_the_minimum_is_shown() -> None:
    assert client_answers(answers({"five": 5}), 5).collect().height == 10


def benchmark_rows(n_peers: int) -> pl.DataFrame:
    organisations = ["own", "p1", "p2", "p3", "p4", "other-group"]
    return pl.DataFrame(
        {
            "wave": ["W1"] * 6,
            "organisation": organisations,
            "peer_group": ["g"] * 5 + ["h"],
            "index": [60.0, 90.0, 70.0, 50.0, 80.0, 99.0],
            "n_peers": [n_peers] * 5 + [9],
        }
    )


ORGANISATIONS = pl.DataFrame({"organisation": ["own", "p1", "p2", "p3", "p4", "other-group"],
                              "peer_group": ["g"] * 5 + ["h"]})  # fmt: skip


def test_peers_are_lettered_by_index_and_other_groups_left_out() -> None:
    shown = client_benchmark(benchmark_rows(MIN_PEERS), ORGANISATIONS, "own")
    assert shown.select("organisation", "index").rows() == [
        ("Peer A", 90.0), ("Peer B", 80.0), ("Peer C", 70.0), ("own", 60.0), ("Peer D", 50.0),
    ]  # fmt: skip


def test_a_peer_group_under_the_minimum_shows_only_the_client() -> None:
    shown = client_benchmark(benchmark_rows(MIN_PEERS - 1), ORGANISATIONS, "own")
    assert shown.get_column("organisation").to_list() == ["own"]


def test_rows_turn_nan_into_null() -> None:
    assert rows(pl.DataFrame({"sd": [float("nan"), 1.5], "n": [1, 2]})) == [
        {"sd": None, "n": 1}, {"sd": 1.5, "n": 2},
    ]  # fmt: skip
