"""How a mail round cuts its due messages into send jobs (db.mail.send_batches, pure)."""

from __future__ import annotations

from servicescore.db.mail import send_batches


def _rows(*spec: tuple[int, int, str]) -> list[dict[str, object]]:
    return [{"id": id_, "organisation": organisation, "digest": digest} for id_, organisation, digest in spec]


def test_batches_hold_one_organisation_at_most_size_and_never_split_an_address() -> None:
    rows = _rows((1, 1, "a"), (2, 1, "b"), (7, 1, "b"), (3, 1, "c"), (4, 1, "d"), (5, 2, "a"), (6, 2, "e"))
    # size 2: [1, 2] is full, but 7 is b's second message (two collections inviting one address): it stays with 2
    assert send_batches(rows, 2) == [(1, [1, 2, 7]), (1, [3, 4]), (2, [5, 6])]
    assert send_batches(rows, 250) == [(1, [1, 2, 7, 3, 4]), (2, [5, 6])]
    assert send_batches([], 250) == []
