"""The world the tenant matrix probes: the demo, client viewers of two organisations, two shoppers with an
assignment and a photo each, and for every kind of object the value each prober owns, another tenant's value,
and a value that exists nowhere."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image

from servicescore.accounts.users import create_account
from servicescore.db.api_tokens import create_token
from servicescore.db.assignments import AssignmentRequest, create_assignment
from servicescore.db.attachments import attachment_key
from servicescore.db.calibration import ExerciseRequest, create_exercise
from servicescore.db.logos import checked_logo, store_logo
from servicescore.db.organisations import set_logo
from servicescore.db.tables import (
    ApiToken,
    Assignment,
    CalibrationExercise,
    CalibrationShopper,
    Case,
    CollectionLink,
    Organisation,
    Response,
    Unit,
)
from servicescore.definitions import Instrument, load_instruments
from servicescore.definitions.items import Item
from servicescore.demo.calibration import WAVE as CALIBRATION_WAVE
from servicescore.demo.calibration import recording, seed_demo_calibration
from servicescore.demo.seed import seed_demo_assignments
from servicescore.identity import Role
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.web.api.tokens_page import new_api_token

PASSWORD = "correct horse battery"
Client = AsyncTestClient[Litestar]
MISSING_ID = "987654"

# username → (role, organisation slug)
ACCOUNTS: dict[str, tuple[Role, str | None]] = {
    "konsult": (Role.consultant, None),
    "kund": (Role.client, "zorngarden"),
    "kund2": (Role.client, "carl-larssons-gard"),
    "shopper": (Role.shopper, None),
    "shopper2": (Role.shopper, None),
}
# Who probes as each role, and who owns "another tenant's" objects for them. A consultant works for every
# organisation, so for them nothing belongs to another tenant.
PROBER: dict[Role, str] = {Role.consultant: "konsult", Role.client: "kund", Role.shopper: "shopper"}
OTHER_TENANT: dict[Role, str] = {Role.client: "kund2", Role.shopper: "shopper2"}


@dataclass(frozen=True)
class Objects:
    """One kind of object: the value that goes into a URL for each owner, and one that exists nowhere."""

    by_owner: dict[str, str]
    missing: str

    def own(self, role: Role) -> str:
        return self.by_owner[PROBER[role]] if PROBER[role] in self.by_owner else next(iter(self.by_owner.values()))

    def other(self, role: Role) -> str | None:
        owner = OTHER_TENANT.get(role)
        return self.by_owner.get(owner) if owner else None


def photo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


PHOTOS = {"shopper": photo((200, 30, 30)), "shopper2": photo((30, 30, 200))}


def sample_value(item: Item) -> object:
    """A valid answer of the item's type (a photo item is never required in the scorecards)."""
    samples: dict[str, object] = {"nps": 7, "yes_no": True, "text": "Bra visning.", "duration": 2700}
    if item.type == "rating":
        return item.scale.max
    if item.type == "choice":
        return [item.values()[0]] if item.multiple else item.values()[0]
    if item.type == "number":
        return item.min if item.min is not None else 1
    return samples[item.type]


def submitted_visit(instrument: Instrument, assignment_id: int) -> dict[str, Any]:
    """A visit that answers every required item that is shown, as the phone sends it."""
    values: dict[str, object] = {}
    for _, item in instrument.items():
        if item.required and (item.show_if is None or item.show_if.holds(values)):
            values[item.id] = sample_value(item)
    now = datetime.now(UTC).replace(microsecond=0)
    return {
        "assignment_id": assignment_id,
        "status": "submitted",
        "started_at": (now - timedelta(hours=1)).isoformat(),
        "ended_at": (now - timedelta(minutes=5)).isoformat(),
        "answers": {item: {"value": value} for item, value in values.items()},
    }


async def seed(client: Client, settings: Settings) -> None:
    """On the demo world (the app's database is a copy of it: `demo_database`), the accounts and a second shopper's
    assignment, in the app's event loop."""
    engine = client.app.state.engine
    instruments = {instrument.id: instrument for instrument in load_instruments(settings.surveys_dir)}
    for username, (role, organisation) in ACCOUNTS.items():
        account = await create_account(username, PASSWORD, role, organisation=organisation)
        if role is not Role.shopper:
            await create_token(account, f"{username}s integration", new_api_token())
    await seed_demo_assignments(engine, instruments)
    now = datetime.now(UTC).replace(microsecond=0)
    request = AssignmentRequest(
        shopper="shopper2", unit="carl-larssons-gard/lilla-hyttnas", instrument="guided-tour", wave="2026-Q4",
        window_start=now - timedelta(days=7), window_end=now + timedelta(days=7), scenario="Följ med på visningen.",
    )  # fmt: skip
    await create_assignment(engine, request, instruments, min_days_between=0)
    # Calibration: the demo's exercises (the shopper is on the panel) and a recorded call for shopper2, not the shopper.
    audio, audio_sha256 = recording()
    storage_for(settings).put_once(attachment_key(audio_sha256), audio)
    await seed_demo_calibration(engine, instruments, PASSWORD, audio_sha256)
    exercise = ExerciseRequest("mystery-call", CALIBRATION_WAVE, "Samtal för shopper2", "recording",
                               ("shopper2", "panel-alva"), file_sha256=audio_sha256, file_type="audio/wav")  # fmt: skip
    await create_exercise(engine, exercise, dict(instruments))
    logo = checked_logo(PHOTOS["shopper"])
    zorngarden = await _first(Organisation.select(Organisation.id).where(Organisation.slug == "zorngarden"), "Zorn")
    sha256 = store_logo(storage_for(settings), logo)
    await set_logo(engine, zorngarden["id"], sha256, content_type=logo.content_type)


async def latest_assignment(shopper: str) -> int:
    row = await (
        Assignment.select(Assignment.id)
        .where(Assignment.shopper.username == shopper)
        .order_by(Assignment.id, ascending=False)
        .first()
    )
    assert row is not None, f"{shopper} has no assignment"
    return int(row["id"])


async def recorded_exercise(shopper: str) -> int:
    """The latest recorded-call calibration exercise the shopper is on."""
    row = await (
        CalibrationShopper.select(CalibrationShopper.exercise)
        .where(
            (CalibrationShopper.shopper.username == shopper) & (CalibrationShopper.exercise.reference == "recording")
        )
        .order_by(CalibrationShopper.exercise, ascending=False)
        .first()
    )
    assert row is not None, f"{shopper} is on no recorded calibration exercise"
    assert await CalibrationExercise.exists().where(CalibrationExercise._meta.primary_key == row["exercise"])
    return int(row["exercise"])


async def _first(query: Any, what: str) -> dict[str, Any]:
    row = await query.first()
    assert row is not None, f"the world has no {what}"
    return dict(row)


async def objects() -> dict[str, Objects]:
    """Every kind of object a URL can name, read from the seeded database (in the app's event loop)."""
    slugs = {row["slug"]: str(row["id"]) for row in await Organisation.select(Organisation.id, Organisation.slug)}
    own_org, other_org = slugs["zorngarden"], slugs["carl-larssons-gard"]
    unit = await _first(Unit.select(Unit.id).where(Unit.organisation == int(own_org)), "unit of Zorngården")
    link = await _first(CollectionLink.select(CollectionLink.collection, CollectionLink.unit), "collection link")
    waiting = await _first(
        Response.select(Response.id, Response.assignment).where(
            (Response.status == "submitted") & Response.assignment.is_not_null()
        ),
        "visit waiting for review",
    )
    cases = {
        owner: str((await _first(Case.select(Case.id).where(Case.organisation == int(org)), f"case of {owner}"))["id"])
        for owner, org in (("kund", own_org), ("kund2", other_org))
    }
    tokens = {
        owner: str(
            (await _first(ApiToken.select(ApiToken.id).where(ApiToken.account.username == owner), "token"))["id"]
        )
        for owner in ("konsult", "kund", "kund2")
    }
    # A peer group and a wave in use: the matrix's empty POST to their delete routes is refused and changes nothing.
    group = await _first(Organisation.select(Organisation.peer_group).where(Organisation.id == int(own_org)), "group")
    used_wave = await _first(Response.select(Response.wave).where(Response.organisation == int(own_org)), "wave")
    return {
        "peer_group": Objects({"konsult": str(group["peer_group"])}, MISSING_ID),
        "wave": Objects({"konsult": str(used_wave["wave"])}, MISSING_ID),
        "organisation": Objects({"kund": own_org, "kund2": other_org}, MISSING_ID),
        "organisation_key": Objects({"kund": "zorngarden", "kund2": "carl-larssons-gard"}, "no-such-organisation"),
        "unit": Objects({"kund": str(unit["id"])}, MISSING_ID),
        "collection": Objects({"konsult": str(link["collection"])}, MISSING_ID),
        "qr": Objects({"konsult": f"{link['collection']}/qr/{link['unit']}"}, f"{MISSING_ID}/qr/{MISSING_ID}"),
        "case": Objects(cases, MISSING_ID),
        "token": Objects(tokens, MISSING_ID),
        "assignment": Objects(
            {name: str(await latest_assignment(name)) for name in ("shopper", "shopper2")}, MISSING_ID
        ),
        "visit": Objects({"konsult": str(waiting["id"])}, str(uuid.uuid4())),
        # The sent visit's assignment: the matrix's empty POSTs to change or cancel it are refused (409), no harm.
        "console_assignment": Objects({"konsult": str(waiting["assignment"])}, MISSING_ID),
        "exercise": Objects({name: str(await recorded_exercise(name)) for name in ("shopper", "shopper2")}, MISSING_ID),
        "photo": Objects({name: hashlib.sha256(data).hexdigest() for name, data in PHOTOS.items()}, "0" * 64),
    }
