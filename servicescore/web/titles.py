"""Instruments as pages name them: by the title of their current version in the page's language, never by id."""

from __future__ import annotations

from anyio import to_thread

from servicescore.db.names import instrument_titles
from servicescore.definitions.text import Language
from servicescore.settings import Settings


async def titles_in(settings: Settings, language: Language) -> dict[str, str]:
    """Stored instrument id → its title in ``language`` (read in a worker thread: the read blocks)."""
    stored = await to_thread.run_sync(instrument_titles, settings.database)
    return {key: title[language] for key, title in stored.items()}
