"""The same client export on SQLite and on PostgreSQL: the snapshot reads either, the tenant rules hold on both."""

from __future__ import annotations

import io

import polars as pl
import pytest

from tests.support.export_world import Client, World, log_in

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


async def test_client_answers_and_scores_on_each_engine(client: Client, world: World) -> None:
    await log_in(client, "kund")
    answers = await client.get("/portal/exports/answers?instrument=visitor-survey&format=csv")
    assert answers.status_code == 200
    frame = pl.read_csv(io.BytesIO(answers.content))
    assert set(frame.get_column("unit")) == {"hemmet"}
    assert frame.get_column("response_id").n_unique() == 6
    scores = await client.get("/portal/exports/scores?instrument=visitor-survey&format=parquet&by=unit")
    table = pl.read_parquet(io.BytesIO(scores.content))
    assert (
        table.filter(pl.col("unit") == "museet").get_column("mean").null_count()
        == table.filter(pl.col("unit") == "museet").height
    )
    other = world.organisations["peer-b"]
    assert (
        await client.get(f"/portal/exports/answers?instrument=visitor-survey&organisation={other}")
    ).status_code == 404
