"""Every demo scorecard's observer comments speak of what that scorecard observes: a guided tour's of guides and
rooms, a phone call's of the call, a channel audit's of phone, chat, e-mail and website; none is another's sentence.
(Kronbanken's phone-call report quoted "Guiden tittade på klockan och hoppade över rum.")"""

from __future__ import annotations

import re
from functools import cache

from servicescore.definitions import Instrument, load_instruments
from servicescore.definitions.items import ChoiceItem
from servicescore.demo import comments
from servicescore.demo.responses import generate
from servicescore.settings import CHECKOUT_DIR

INSTRUMENTS: dict[str, Instrument] = {i.id: i for i in load_instruments(CHECKOUT_DIR / "surveys")}
SCORECARDS = sorted(key for key, instrument in INSTRUMENTS.items() if instrument.kind == "scorecard")
# Words that place a comment at a guided tour, and words that place it on a customer-service channel.
TOUR_WORDS = re.compile(r"\b(guide\w*|rum|rummen|föremål\w*|visning\w*|familjens|gruppen)\b", re.IGNORECASE)
SERVICE_WORDS = re.compile(r"\b(samtal\w*|koppla\w*|telefon\w*|chatt\w*|e-post\w*|ärende\w*|kö|kön)\b", re.IGNORECASE)


@cache
def demo_comments() -> dict[str, set[str]]:
    """The observer comments (texts of rating, yes/no and text answers) of each scorecard's demo responses."""
    written: dict[str, set[str]] = {key: set() for key in SCORECARDS}
    for response in generate(INSTRUMENTS):
        if response.instrument not in written:
            continue
        choices = {item.id for _, item in INSTRUMENTS[response.instrument].items() if isinstance(item, ChoiceItem)}
        written[response.instrument].update(a.text for a in response.answers if a.text and a.item not in choices)
    return written


def test_each_scorecard_has_demo_comments_from_its_own_pool() -> None:
    for key, texts in demo_comments().items():
        own = {sentence for tier in comments.BY_INSTRUMENT.get(key, {}).values() for sentence in tier}
        assert len(texts) >= 5, key
        assert texts <= own, (key, sorted(texts - own))


def test_no_scorecard_comment_is_another_scorecards() -> None:
    written = demo_comments()
    for key in SCORECARDS:
        for other in SCORECARDS:
            if other != key:
                assert not written[key] & written[other], (key, other, sorted(written[key] & written[other]))


def test_comments_fit_what_the_scorecard_observes() -> None:
    written = demo_comments()
    assert not [text for text in written["guided-tour"] if SERVICE_WORDS.search(text)]
    for key in ("mystery-call", "channel-audit"):
        assert not [text for text in written[key] if TOUR_WORDS.search(text)], key
