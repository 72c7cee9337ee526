"""Downloaded reports (PDF bytes) read back, and `servicescore` commands run beside a running app."""

from __future__ import annotations

import asyncio
import subprocess

from click.testing import CliRunner, Result

from servicescore.cli import cli


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, check=True, capture_output=True).stdout.decode()
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with runs of white space as one space."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True).stdout.decode()
    return " ".join(out.split())


async def invoke(*args: str) -> Result:
    """A `servicescore` command beside the running app (commands run their own event loop, so in a thread)."""
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), catch_exceptions=False)
