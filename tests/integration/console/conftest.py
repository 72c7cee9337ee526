"""The console's world: a consultant and a shopper, Zorngården with two units, a peer group, a wave, and the
surveys folder copied to the test's own directory (an XLSForm import writes there, never into the checkout)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from console_world import PASSWORD, Client, in_app

from servicescore.accounts.account import Role
from servicescore.accounts.users import create_account
from servicescore.db.tables import Organisation, PeerGroup, Unit, Wave
from servicescore.settings import CHECKOUT_DIR


@pytest.fixture
def surveys_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "surveys"
    shutil.copytree(CHECKOUT_DIR / "surveys", folder)
    return folder


@pytest.fixture
def settings_overrides(surveys_dir: Path) -> dict[str, object]:
    return {"surveys_dir": surveys_dir}


@dataclass(frozen=True)
class World:
    organisation_id: int
    other_organisation_id: int
    unit_ids: tuple[int, int]
    peer_group_id: int
    wave_id: int


async def make_world() -> World:
    group = PeerGroup(slug="kulturarv", name="Kulturarv", industry="Museer")
    await group.save()
    zorn = Organisation(slug="zorngarden", name="Zorngården", peer_group=group.id)
    await zorn.save()
    larsson = Organisation(slug="carl-larssons-gard", name="Carl Larssons gård", peer_group=group.id)
    await larsson.save()
    museum = Unit(organisation=zorn.id, slug="museet", name="Zornmuseet", latitude=61.0047, longitude=14.5374)
    await museum.save()
    farm = Unit(organisation=zorn.id, slug="gammelgarden", name="Gammelgården")
    await farm.save()
    await Unit(organisation=larsson.id, slug="lilla-hyttnas", name="Lilla Hyttnäs").save()
    wave = Wave(key="2026-Q4")
    await wave.save()
    await create_account("konsult", PASSWORD, Role.consultant)
    await create_account("shopper", PASSWORD, Role.shopper, display_name="Sam Lind")
    await create_account("kund", PASSWORD, Role.client, organisation="zorngarden")
    return World(zorn.id, larsson.id, (museum.id, farm.id), group.id, wave.id)


@pytest.fixture
async def world(client: Client) -> World:
    return await in_app(client, make_world)
