"""What a client viewer may see of answers and benchmarks (servicescore.results), on small inline frames."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from servicescore.results import MIN_PEERS, client_answers, focus_benchmark, peer_label, peer_labels
from servicescore.results.tables import rows

KEY = b"k" * 32


def answers(unit_sizes: dict[str, int], segments: dict[int, str] | None = None) -> pl.DataFrame:
    """Two answers per response; responses numbered across units in order."""
    records = []
    number = 0
    for unit, size in unit_sizes.items():
        for _ in range(size):
            for item in ("a", "b"):
                records.append({"response_id": f"r{number}", "instrument": "i", "wave": "W1", "organisation": "own",
                                "unit": unit, "segment": (segments or {}).get(number, "staff"), "item": item,
                                "submitted_at": datetime(2026, 1, 1, 9, number, tzinfo=UTC)})  # fmt: skip
            number += 1
    return pl.DataFrame(records)


def test_units_under_the_minimum_are_withheld_and_small_segments_nulled() -> None:
    given = answers({"big": 6, "small": 4}, segments={0: "guide"})
    shown, withheld = client_answers(given, 5, KEY)
    assert withheld == 4
    assert set(shown.get_column("unit")) == {"big"}
    assert shown.height == 12
    assert shown.get_column("segment").null_count() == 2  # the only "guide", two answers
    assert shown.schema["submitted_at"] == pl.Date


def test_a_unit_exactly_at_the_minimum_is_shown() -> None:
    assert client_answers(answers({"five": 5}), 5, KEY)[0].height == 10


def test_client_answers_are_ordered_by_date_and_pseudonym_not_by_time() -> None:
    shown, _ = client_answers(answers({"big": 6}), 5, KEY)
    assert shown.get_column("response_id").to_list() == sorted(shown.get_column("response_id").to_list())


ORGANISATIONS = pl.DataFrame({"organisation": ["own", "p1", "p2", "p3", "p4", "other-group", "alone"],
                              "peer_group": ["g"] * 5 + ["h", None]})  # fmt: skip


def benchmark_rows(n_peers: int, index: list[float] | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "wave": ["W1"] * 7,
            "organisation": ORGANISATIONS.get_column("organisation"),
            "peer_group": ORGANISATIONS.get_column("peer_group"),
            "n": [6] * 7,
            "index": index or [60.0, 90.0, 70.0, 50.0, 80.0, 99.0, 10.0],
            "n_peers": [n_peers] * 5 + [9, 1],
        }
    )


def shown_for(table: pl.DataFrame, focus: str = "own") -> pl.DataFrame:
    return focus_benchmark(table, ORGANISATIONS, focus, min_n=5, min_peers=MIN_PEERS, reference=table, key=KEY)


def test_peers_are_lettered_by_index_and_other_groups_left_out() -> None:
    shown = shown_for(benchmark_rows(MIN_PEERS)).sort("index", descending=True)
    assert shown.select("organisation", "index").rows() == [
        ("Peer A", 90.0), ("Peer B", 80.0), ("Peer C", 70.0), ("own", 60.0), ("Peer D", 50.0),
    ]  # fmt: skip


def test_a_peer_group_under_the_minimum_shows_only_the_client() -> None:
    assert shown_for(benchmark_rows(MIN_PEERS - 1)).get_column("organisation").to_list() == ["own"]


def test_an_organisation_without_a_peer_group_sees_only_itself() -> None:
    assert shown_for(benchmark_rows(MIN_PEERS), "alone").get_column("organisation").to_list() == ["alone"]


def test_the_clients_own_row_under_the_minimum_has_no_n() -> None:
    table = benchmark_rows(MIN_PEERS).with_columns(
        n=pl.when(pl.col("organisation") == "own").then(3).otherwise(pl.col("n")),
        index=pl.when(pl.col("organisation") == "own").then(None).otherwise(pl.col("index")),
    )
    own = shown_for(table).filter(pl.col("organisation") == "own")
    assert own.select("n", "index").row(0) == (None, None)


def test_a_suppressed_peer_is_left_out() -> None:
    table = benchmark_rows(MIN_PEERS).with_columns(
        index=pl.when(pl.col("organisation") == "p3").then(None).otherwise(pl.col("index"))
    )
    assert "p3" not in shown_for(table).get_column("organisation").to_list()
    assert shown_for(table).height == 4


def test_tied_peers_are_ordered_by_keyed_hash_whatever_their_names_or_row_order() -> None:
    tied = pl.DataFrame({"organisation": ["p1", "p2", "p3", "p4"], "index": [70.04, 70.0, 69.96, 80.0]})
    labels = peer_labels(tied, ["p1", "p2", "p3", "p4"], KEY)
    assert labels["p4"] == "Peer A"  # highest index first; the others equal at one decimal
    assert labels == peer_labels(tied.reverse(), ["p3", "p2", "p1", "p4"], KEY)
    other_keys = {tuple(sorted(peer_labels(tied, ["p1", "p2", "p3"], bytes([k]) * 32).items())) for k in range(8)}
    assert len(other_keys) > 1  # the order of ties follows the key, not the names


def test_rows_turn_nan_into_null() -> None:
    assert rows(pl.DataFrame({"sd": [float("nan"), 1.5], "n": [1, 2]})) == [
        {"sd": None, "n": 1}, {"sd": 1.5, "n": 2},
    ]  # fmt: skip


def test_labels_go_on_past_z() -> None:
    assert [peer_label(n) for n in (0, 25, 26, 27, 701, 702)] == [
        "Peer A", "Peer Z", "Peer AA", "Peer AB", "Peer ZZ", "Peer AAA",
    ]  # fmt: skip
