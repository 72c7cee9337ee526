"""XLSForm import: an ``.xlsx`` form (sheets survey, choices, settings) → an instrument document and a list of
everything that could not be carried over, by sheet and row. Pure: bytes or a path in, no web and no database.

    conversion = convert_xlsform(data, "form.xlsx")
    if conversion.ok:
        text = instrument_yaml(conversion)   # what `surveys import-xlsform` writes
    for line in conversion.lines():          # "form.xlsx: survey row 12: relevant ... cannot be carried over; ..."
        ...
"""

from __future__ import annotations

from servicescore.definitions.xlsform.convert import Conversion, convert_xlsform, convert_xlsform_file
from servicescore.definitions.xlsform.output import instrument_yaml
from servicescore.definitions.xlsform.problems import ImportProblem

__all__ = ["Conversion", "ImportProblem", "convert_xlsform", "convert_xlsform_file", "instrument_yaml"]
