"""The segment of a response answered on the web: the group it belongs to within its unit (``segment`` in answer
files, in score tables grouped ``--by segment``, and in the demo).

The rule, in order:

1. **The link's segment.** A link made for one group of respondents (a QR code at the café rather than the
   entrance) puts every response through it in that group, whatever the answers say.
2. **The instrument's segment question.** Otherwise, the answer to the instrument's segment question, when it is a
   single choice answered with a value (not N/A): the question whose id is ``segment``, or for the shipped
   instruments the one the demo groups by (``visitor-survey``: ``visit_type``, first visit or returning). The value
   stored is the choice's value, the stable key answer files also use, never its translated text.
3. Otherwise the response has no segment (null), as an imported file with an empty ``segment`` cell.

The segment follows the answers: it is computed again from all answers with each page saved, so a respondent who
goes back and changes the deciding answer moves the response to the other segment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from servicescore.collections.answers import StoredAnswer
from servicescore.definitions import Instrument
from servicescore.definitions.items import ChoiceItem

SEGMENT_ITEM_ID: Final = "segment"
# The shipped instruments' segment questions: the items servicescore.demo.seed groups the demo's responses by.
SHIPPED_SEGMENT_ITEMS: Final[Mapping[str, str]] = {"visitor-survey": "visit_type"}
SEGMENT_LENGTH: Final = 80  # response.segment is VARCHAR(80)


def segment_item(instrument: Instrument) -> ChoiceItem | None:
    """The instrument's segment question, if it has one that can decide a segment (a single choice)."""
    for item_id in (SEGMENT_ITEM_ID, SHIPPED_SEGMENT_ITEMS.get(instrument.id)):
        if item_id is None:
            continue
        try:
            item = instrument.item(item_id)
        except KeyError:
            continue
        if isinstance(item, ChoiceItem) and not item.multiple:
            return item
    return None


def segment_of(
    instrument: Instrument, answers: Mapping[str, StoredAnswer], link_segment: str | None = None
) -> str | None:
    """The response's segment under the rule above."""
    if link_segment:
        return link_segment[:SEGMENT_LENGTH]
    item = segment_item(instrument)
    answer = answers.get(item.id) if item is not None else None
    if item is None or answer is None or answer.na or answer.text not in item.values():
        return None
    return answer.text
