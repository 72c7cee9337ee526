"""Identifier formats. Ids are stable keys in answers, exports and reports, so they are kept plain."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

_INSTRUMENT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_CHOICE_VALUE = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _instrument_id(value: str) -> str:
    if not _INSTRUMENT_ID.fullmatch(value):
        raise ValueError(
            f"must be lowercase letters and digits joined by single hyphens, like 'guided-tour' (got {value!r})"
        )
    return value


def _key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise ValueError(
            f"must start with a lowercase letter and hold only lowercase letters, digits and underscores, "
            f"like 'guide_knowledge' (got {value!r})"
        )
    return value


def _choice_value(value: str) -> str:
    if not _CHOICE_VALUE.fullmatch(value):
        raise ValueError(f"must be lowercase letters, digits, '_' or '-', like 'first_visit' (got {value!r})")
    return value


# The pattern goes into the JSON Schema only; validation runs the functions above for a clearer message.
InstrumentId = Annotated[
    str, AfterValidator(_instrument_id), Field(json_schema_extra={"pattern": f"^{_INSTRUMENT_ID.pattern}$"})
]
Key = Annotated[str, AfterValidator(_key), Field(json_schema_extra={"pattern": f"^{_KEY.pattern}$"})]
ChoiceValue = Annotated[
    str, AfterValidator(_choice_value), Field(json_schema_extra={"pattern": f"^{_CHOICE_VALUE.pattern}$"})
]
