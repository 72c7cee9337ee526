"""The shipped instruments (the checkout's surveys/), read and validated once per test process: a world that
opens surveys would otherwise spend a fifth of a second per test parsing the same files."""

from __future__ import annotations

from functools import cache

from servicescore.definitions import Instrument, load_instruments
from servicescore.settings import CHECKOUT_DIR


@cache
def shipped_instruments() -> dict[str, Instrument]:
    """Instrument id → instrument; the models are frozen, so tests share them safely."""
    return {instrument.id: instrument for instrument in load_instruments(CHECKOUT_DIR / "surveys")}
