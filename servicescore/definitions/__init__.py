"""Instrument definitions: Pydantic models of surveys and scorecards, loaded from YAML and checked.

Imports neither the web framework nor the ORM: the web forms, the database loader and scoring all use it.
"""

from __future__ import annotations

from servicescore.definitions.conditions import Condition
from servicescore.definitions.errors import DefinitionError
from servicescore.definitions.follow_up import FollowUp
from servicescore.definitions.instrument import Instrument, Section
from servicescore.definitions.items import (
    ITEM_TYPES,
    NA_TYPES,
    OUTCOME_TYPES,
    Choice,
    ChoiceItem,
    DurationItem,
    EndLabels,
    Item,
    NpsItem,
    NumberItem,
    PhotoItem,
    RatingItem,
    Scale,
    TextItem,
    YesNoItem,
)
from servicescore.definitions.loading import (
    check_paths,
    inspect_paths,
    instrument_files,
    json_schema,
    load_instrument,
    load_instruments,
    parse_instrument,
)
from servicescore.definitions.text import Language, Text

__all__ = [
    "ITEM_TYPES",
    "NA_TYPES",
    "OUTCOME_TYPES",
    "Choice",
    "ChoiceItem",
    "Condition",
    "DefinitionError",
    "DurationItem",
    "EndLabels",
    "FollowUp",
    "Instrument",
    "Item",
    "Language",
    "NpsItem",
    "NumberItem",
    "PhotoItem",
    "RatingItem",
    "Scale",
    "Section",
    "Text",
    "TextItem",
    "YesNoItem",
    "check_paths",
    "inspect_paths",
    "instrument_files",
    "json_schema",
    "load_instrument",
    "load_instruments",
    "parse_instrument",
]
