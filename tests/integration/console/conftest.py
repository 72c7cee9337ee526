"""The console's world: a consultant and a shopper, Zorngården with two units, a peer group, a wave, and the
surveys folder copied to the test's own directory (an XLSForm import writes there, never into the checkout)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from servicescore.settings import CHECKOUT_DIR
from tests.support.console_world import Client, World, in_app, make_world


@pytest.fixture
def surveys_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "surveys"
    shutil.copytree(CHECKOUT_DIR / "surveys", folder)
    return folder


@pytest.fixture
def settings_overrides(surveys_dir: Path) -> dict[str, object]:
    return {"surveys_dir": surveys_dir}


@pytest.fixture
async def world(client: Client) -> World:
    return await in_app(client, make_world)
