"""Tables for a viewer: the one privacy rule every output applies (DESIGN.md, "Numbers").

The CLI, the API, the exports, the dashboards and the PDF reports take what they show to a person from here:

- `viewer`: who looks (a consultant or a client viewer of one organisation) and the minimum sizes in force. The
  installation's `SERVICESCORE_MIN_GROUP_SIZE` is a floor every output keeps: a caller may ask for a larger
  minimum group, never a smaller one (`group_minimum`); peers need a peer group of at least 5 shown
  organisations, a floor too (`peer_minimum`).
- `privacy`: what a client viewer sees of answers (groups under the minimum left out, small segments blanked,
  keyed pseudonyms for response ids, dates for times) and of score tables (their own rows only).
- `peers`: peer anonymity in benchmarks (only the focus organisation's own peer group, only when large enough,
  labels in a stable documented order).
- `tables` (the API's tables) and `exports` (the export downloads' tables) build tables with these rules. They read
  the snapshot and load the file formats' writers, so they are imported from their own modules, not from here:
  `scores` and the other commands that only need a rule above start without them.
"""

from __future__ import annotations

from servicescore.results.errors import FilterError
from servicescore.results.peers import focus_benchmark, peer_label, peer_labels
from servicescore.results.privacy import client_answers, client_scores, pseudonyms
from servicescore.results.viewer import Viewer, group_minimum, peer_minimum
from servicescore.scoring.schema import MIN_PEERS

__all__ = [
    "MIN_PEERS",
    "FilterError",
    "Viewer",
    "client_answers",
    "client_scores",
    "focus_benchmark",
    "group_minimum",
    "peer_label",
    "peer_labels",
    "peer_minimum",
    "pseudonyms",
]
