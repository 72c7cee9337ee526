"""Closing the loop: an instrument may offer to get back to a respondent whose answers show they are unhappy.

```yaml
follow_up:
  consent: contact_consent        # a yes/no item of the last section: "Får vi kontakta dig om dina svar?"
  contact: [name, email, phone]   # the fields asked next to it (never stored as answers)
  when_any:                       # a case opens when consent is yes and any of these holds at completion
    - {item: overall_satisfaction, at_most: 2}
    - {item: recommend, at_most: 6}
  due_hours: 48                   # first contact is due this long after the response was sent
```

The consent must sit in the last section: contact details are never stored before the response is complete,
so they travel with the page that completes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from servicescore.definitions.conditions import Condition
from servicescore.definitions.consistency import Loc, Problem, condition_problems
from servicescore.definitions.ids import Key
from servicescore.definitions.items import Item
from servicescore.definitions.text import Text

if TYPE_CHECKING:
    from servicescore.definitions.instrument import Section

ContactField = Literal["name", "email", "phone"]
CONTACT_FIELDS: tuple[str, ...] = ("name", "email", "phone")
MAX_DUE_HOURS = 24 * 90


class FollowUp(BaseModel):
    """Whom to get back to (consent and a rule on the answers), how to reach them, and how soon."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    consent: Key
    contact: Annotated[list[ContactField], Field(min_length=1)] = ["name", "email", "phone"]
    when_any: Annotated[list[Condition], Field(min_length=1)]
    due_hours: Annotated[int, Field(ge=1, le=MAX_DUE_HOURS)] = 48
    intro: Text | None = None

    def wants_case(self, values: Mapping[str, object]) -> bool:
        """Whether these answers (as ``Condition.holds`` reads them) open a case: consent given and a rule met."""
        return values.get(self.consent) is True and any(rule.holds(values) for rule in self.when_any)


def follow_up_problems(follow_up: FollowUp, sections: Sequence[Section]) -> Iterator[Problem]:
    """What does not fit the instrument: the consent item and the items the rules name."""
    loc: Loc = ("follow_up",)
    if len(set(follow_up.contact)) != len(follow_up.contact):
        yield (*loc, "contact"), f"a field is named twice (got {', '.join(follow_up.contact)}); name each once"
    if "email" not in follow_up.contact and "phone" not in follow_up.contact:
        yield (*loc, "contact"), "needs email or phone (or both), or nobody can be reached"
    items: dict[str, Item] = {item.id: item for section in sections for item in section.items}
    last = {item.id for item in sections[-1].items} if sections else set()
    consent = items.get(follow_up.consent)
    if consent is None:
        yield (*loc, "consent"), f"there is no item {follow_up.consent!r}; name the yes_no item that asks for consent"
    elif consent.type != "yes_no":
        yield (*loc, "consent"), f"item {consent.id!r} is a {consent.type} item; consent is asked with a yes_no item"
    elif consent.id not in last:
        yield (
            (*loc, "consent"),
            f"item {consent.id!r} must be in the last section, so contact details arrive with the completing page",
        )
    for index, rule in enumerate(follow_up.when_any):
        where: Loc = (*loc, "when_any", index)
        if rule.item == follow_up.consent:
            yield (*where, "item"), "the consent is checked anyway; name an item whose answer shows dissatisfaction"
            continue
        yield from condition_problems(rule, items, where)
