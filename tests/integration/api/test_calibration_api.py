"""``/api/v1/calibration``: the command's tables for consultants; client viewers and shoppers are refused (403)."""

from __future__ import annotations

from typing import Any

import anyio
import numpy as np
import pytest

from servicescore.db.accounts import insert_user
from servicescore.db.calibration import ExerciseRequest, calibration_inputs, create_exercise, record_answers
from servicescore.definitions import load_instruments
from servicescore.identity import Role
from servicescore.scoring.calibration import calibration_tables
from servicescore.settings import Settings
from servicescore.snapshot import catalogue
from servicescore.visits.answers import AnswerRow
from tests.support.api_calls import Client, bearer, in_app, log_in, token_for
from tests.support.api_world import ApiWorld

pytestmark = pytest.mark.anyio

SHOPPERS = ("s1", "s2", "s3", "s4")
ITEMS = ("welcome_warmth", "knowledge_depth", "answers_questions", "guide_engagement", "storytelling", "daily_life")


async def calibrate(client: Client, settings: Settings) -> None:
    """Two exercises of the guided tour that four extra shoppers (and the world's own "shopper") were chosen for;
    "shopper" answers nothing; s1 rates one point above the others, everyone with some noise."""
    engine = client.app.state.engine
    definitions = {d.id: d for d in load_instruments(settings.surveys_dir)}
    ids = {}
    for name in SHOPPERS:
        account = await insert_user(
            username=name,
            role=Role.shopper,
            password_hash="x",
            organisation_slug=None,
            display_name=name,
            language="sv",
        )
        ids[name] = account.id
    rng = np.random.default_rng(4)
    for number in range(2):
        truth = rng.integers(2, 5, len(ITEMS))
        request = ExerciseRequest(
            "guided-tour", "2026-Q1", f"Tour {number}", "transcript", (*SHOPPERS, "shopper"), transcript="Guiden…"
        )
        exercise = await create_exercise(engine, request, definitions)
        for name in SHOPPERS:
            lift = 1 if name == "s1" else 0
            values = np.clip(np.round(truth + lift + rng.normal(0, 0.5, len(ITEMS))), 1, 5)
            rows = [AnswerRow(item, float(v), False, None) for item, v in zip(ITEMS, values, strict=True)]
            await record_answers(engine, exercise, ids[name], rows)


async def test_consultants_get_the_commands_tables(client: Client, world: ApiWorld, settings: Settings) -> None:
    await in_app(client, calibrate, client, settings)
    konsult = await token_for(client, "konsult")
    answer = await client.get(
        "/api/v1/calibration", params={"instrument": "guided-tour", "wave": "2026-Q1"}, headers=bearer(konsult)
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    answers, roster = await in_app(client, calibration_inputs, ["guided-tour"], ["2026-Q1"])
    items = await anyio.to_thread.run_sync(catalogue, settings, ["guided-tour"])
    core = calibration_tables(answers, roster, items).document()
    assert body == core
    assert {(row["exercise"], row["shopper"]) for row in body["left_out"]} == {("1", "shopper"), ("2", "shopper")}
    overall = [row for row in body["agreement"] if row["scope"] == "overall"]
    assert [(row["measurement"], row["units"], row["shoppers"]) for row in overall] == [("ordinal", 12, 4)]
    assert [row["shopper"] for row in body["leniency"]] == list(SHOPPERS)
    assert body["leniency"][0]["offset"] == max(row["offset"] for row in body["leniency"])


async def test_other_roles_are_refused_and_unknown_instruments_named(client: Client, world: ApiWorld) -> None:
    konsult, kund = await token_for(client, "konsult"), await token_for(client, "kund")
    refused = await client.get("/api/v1/calibration", params={"instrument": "guided-tour"}, headers=bearer(kund))
    assert refused.status_code == 403
    assert refused.json()["status_code"] == 403
    unknown = await client.get("/api/v1/calibration", params={"instrument": "no-such"}, headers=bearer(konsult))
    assert unknown.status_code == 404
    assert unknown.json()["errors"] == [{"field": "instrument", "message": 'no instrument "no-such"'}]
    missing = await client.get("/api/v1/calibration", headers=bearer(konsult))
    assert missing.status_code == 400
    await log_in(client, "shopper")
    assert (await client.get("/api/v1/calibration", params={"instrument": "guided-tour"})).status_code == 403
