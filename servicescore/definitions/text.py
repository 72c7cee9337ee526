"""Bilingual text: every word a respondent or a report reads exists in Swedish and English."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

Language = Literal["sv", "en"]


class Text(BaseModel):
    """A text in Swedish (``sv``) and English (``en``); neither may be missing or blank."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sv: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _not_a_plain_string(cls, value: Any) -> Any:
        # A plain string is the most common slip; say what shape is wanted instead of "not a dict".
        if isinstance(value, str):
            raise ValueError("needs both a Swedish and an English text, written as {sv: ..., en: ...}")
        return value

    @field_validator("sv", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty; write the text in this language")
        return value.strip()

    def pick(self, language: Language) -> str:
        """The text in ``language``."""
        return self.sv if language == "sv" else self.en
