"""The stamp of the names answers carry (`snapshot.dimensions`) is digested in plain Python since the freshness check
stopped making Polars frames; it must equal, byte for byte, the stamp the Polars digest wrote into manifests before
(golden values below, computed by it), or every snapshot would be rebuilt after an upgrade."""

from __future__ import annotations

from servicescore.snapshot.dimensions import stamp, unchanged

DEMO = (
    ("organisation", 1, "zorngarden"),
    ("organisation", 2, "carl-larssons-gard"),
    ("unit", 1, "zorngarden-main"),
    ("unit", 2, "carl-main"),
    ("wave", 1, "2026-Q1"),
    ("wave", 2, "2026-Q2"),
)
# Names a CSV writer must quote (separator, quote, line breaks, empty) or must not (spaces, semicolons), unsorted.
AWKWARD = (
    ("organisation", 1, "a,b"),
    ("organisation", 2, 'q"x'),
    ("unit", 3, ""),
    ("unit", 4, " sp "),
    ("wave", 5, "line\nbreak"),
    ("wave", 6, "åäö"),
    ("wave", 7, "cr\rx"),
    ("unit", 8, "semi;colon"),
    ("organisation", 10, "zorngarden"),
    ("unit", 2, "x'y"),
)


def test_stamps_equal_those_manifests_already_hold() -> None:
    assert stamp(DEMO) == "organisation=2;unit=2;wave=2;3a63ad3af3f6863c"
    assert stamp(AWKWARD) == "organisation=10;unit=8;wave=7;a44735ed848b9b8c"
    assert stamp(()) == "organisation=0;unit=0;wave=0;40f7707265643d82"


def test_a_rename_within_the_stamp_changes_it_and_later_rows_do_not() -> None:
    built = stamp(DEMO)
    assert unchanged(DEMO, built)
    assert unchanged((*DEMO, ("organisation", 3, "nya"), ("wave", 3, "2026-Q3")), built)
    renamed = tuple((kind, number, "zorn" if name == "zorngarden" else name) for kind, number, name in DEMO)
    assert not unchanged(renamed, built)
    assert not unchanged(DEMO, "not a stamp")
