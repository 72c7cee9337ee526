"""Pure visit logic: canonical hashing, validation messages, answer rows, review flags and photo re-encoding."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from servicescore.definitions import load_instrument
from servicescore.settings import Settings
from servicescore.visits.answers import answer_rows
from servicescore.visits.content import content_sha256
from servicescore.visits.flags import VisitContext, distance_m, review_flags
from servicescore.visits.images import MAX_PIXELS, PhotoRejected, reencode, sniff
from servicescore.visits.payload import VisitPayload
from servicescore.visits.sync import Outcome, StoredVisit, decide
from servicescore.visits.validation import check_visit

START = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
TOUR = load_instrument(Settings().surveys_dir / "guided-tour.yaml")


def payload(**values: object) -> VisitPayload:
    base: dict[str, object] = {"assignment_id": 1, "status": "draft", "started_at": START.isoformat()}
    return VisitPayload.model_validate({**base, **values})


def test_the_hash_ignores_key_order_and_time_zone() -> None:
    one = payload(answers={"pace": {"value": 3}, "eye_contact": {"value": True}})
    two = VisitPayload.model_validate(
        {"answers": {"eye_contact": {"value": True}, "pace": {"value": 3}}, "status": "draft",
         "started_at": "2026-11-20T12:00:00+01:00", "assignment_id": 1}
    )  # fmt: skip
    assert content_sha256(one) == content_sha256(two)
    assert content_sha256(one) != content_sha256(payload(answers={"pace": {"value": 4}}))


def test_the_contract_table() -> None:
    stored = StoredVisit(revision=2, content_sha256="b", status="draft", history={1: "a", 2: "b"})
    assert decide(None, 1, "a").outcome is Outcome.created
    assert decide(stored, 2, "b").outcome is Outcome.unchanged
    assert decide(stored, 2, "c").outcome is Outcome.conflict
    assert decide(stored, 1, "a").outcome is Outcome.unchanged
    assert decide(stored, 1, "z").outcome is Outcome.conflict
    assert decide(stored, 3, "c").outcome is Outcome.updated
    held = StoredVisit(revision=2, content_sha256="b", status="approved", history={2: "b"})
    assert decide(held, 3, "c").outcome is Outcome.conflict
    returned = StoredVisit(revision=2, content_sha256="b", status="returned", history={2: "b"})
    assert decide(returned, 3, "c").outcome is Outcome.updated


def test_validation_names_each_field() -> None:
    visit = payload(
        status="submitted",
        ended_at=(START + timedelta(days=400)).isoformat(),
        answers={"pace": {"value": 0}, "nope": {"value": 1}, "tour_duration": {"value": -5}, "pace2": {"na": True}},
    )
    problems = {p.field: p.message for p in check_visit(visit, TOUR, now=START + timedelta(hours=2))}
    assert problems["ended_at"].startswith("lies in the future")
    assert problems["answers.pace.value"] == "must be a whole number from 1 to 5 (got 0)"
    assert problems["answers.nope"] == "is not an item of the scorecard guided-tour"
    assert problems["answers.tour_duration.value"] == "must be whole seconds from 0 to 14400 (got -5)"
    assert problems["answers.overall_rating"] == "is required to submit the visit"


def test_answer_rows_follow_the_stored_conventions() -> None:
    visit = payload(
        answers={
            "eye_contact": {"value": False, "comment": "Tittade i golvet."},
            "answers_questions": {"na": True},
            "tour_duration": {"value": 2700},
            "observer_notes": {"value": "Stressad guide."},
            "entrance_photo": {"photos": ["a" * 64]},
        }
    )
    rows = {row.item: (row.value, row.na, row.text) for row in answer_rows(visit)}
    assert rows == {
        "eye_contact": (0.0, False, "Tittade i golvet."),
        "answers_questions": (None, True, None),
        "tour_duration": (2700.0, False, None),
        "observer_notes": (None, False, "Stressad guide."),
    }


def test_flags_find_what_a_consultant_should_check() -> None:
    context = VisitContext(START - timedelta(days=1), START + timedelta(hours=1), 60.6240, 15.7790, unit_is_site=True)
    visit = payload(
        ended_at=(START + timedelta(hours=2, minutes=1)).isoformat(),  # after the window closed
        position={"latitude": 60.6740, "longitude": 15.7790, "accuracy_m": 50},  # 5.6 km north
        answers={"guide_engagement": {"value": 5, "comment": "Otrevlig och stressad."}},
    )
    flags = {flag.code: flag for flag in review_flags(visit, TOUR, context)}
    assert set(flags) == {"outside_window", "far_from_unit", "contradicting_comment"}
    assert round(float(str(flags["far_from_unit"].evidence["km"])), 1) == 5.6
    assert flags["contradicting_comment"].kind == "high"
    assert flags["outside_window"].kind == "ended"
    assert flags["contradicting_comment"].item == "guide_engagement"
    quick = payload(ended_at=(START + timedelta(minutes=2)).isoformat())
    assert [flag.code for flag in review_flags(quick, TOUR, context)] == ["too_short"]
    assert distance_m(60.0, 15.0, 60.0, 15.0) == 0.0
    assert distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(111_195, rel=1e-3)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (3000, 1500), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {2: (60.0, 37.0, 26.0), 1: "N"}  # GPSInfo
    exif[0x0112] = 6  # rotated 90°: the stored copy must come upright
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_reencoded_upright_without_exif_and_shrunk() -> None:
    photo = reencode(jpeg_with_gps())
    assert photo.content_type == "image/jpeg"
    stored = Image.open(io.BytesIO(photo.data))
    assert (stored.width, stored.height) == (1024, 2048)
    assert dict(stored.getexif()) == {}
    assert b"GPS" not in photo.data
    assert b"Exif" not in photo.data


def test_not_images_and_bombs_are_refused() -> None:
    assert sniff(b"PK\x03\x04zip") is None
    with pytest.raises(PhotoRejected, match="not a JPEG, PNG or WebP"):
        reencode(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(PhotoRejected, match="cannot be read"):
        reencode(b"\xff\xd8\xff" + b"\0" * 100)
    side = int(MAX_PIXELS**0.5) + 100
    bomb = io.BytesIO()
    Image.new("1", (side, side)).save(bomb, format="PNG")  # a few kB that would decode to 40+ million pixels
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(PhotoRejected, match="pixels is more than"):
        reencode(bomb.getvalue())


def test_a_long_contradicting_comment_is_cut_between_words() -> None:
    context = VisitContext(START - timedelta(days=1), START + timedelta(hours=1), None, None, unit_is_site=False)
    comment = "Guiden verkade stressad och hoppade över ett rum, men svarade vänligt på frågorna om konstnärens liv."
    visit = payload(answers={"guide_engagement": {"value": 5, "comment": comment}})
    [flag] = [f for f in review_flags(visit, TOUR, context) if f.code == "contradicting_comment"]
    assert flag.evidence["comment"] == "Guiden verkade stressad och hoppade över ett rum, men svarade vänligt på …"
