"""Running `servicescore` commands from async tests (the commands run their own event loop, so in a thread)."""

from __future__ import annotations

import asyncio

from click.testing import CliRunner, Result

from servicescore.cli import cli


async def invoke(*args: str) -> Result:
    runner = CliRunner()
    return await asyncio.to_thread(runner.invoke, cli, list(args), catch_exceptions=False)
