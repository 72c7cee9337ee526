"""Exports of answers and scores as CSV, XLSX, Parquet and SPSS (``/console/exports``, ``/portal/exports``).

``ROUTES`` is what ``web.routes`` mounts. `GET .../exports/answers` and `GET .../exports/scores` take the
filters `instrument` (required), `wave` (repeat or comma list), `organisation` and `unit` (ids), `format`
(csv, xlsx, parquet, sav), `columns`, and for scores `by` and `level`. Downloads are reads, so they are GET
links without CSRF tokens; a filter the export does not know is refused with 400 and a message naming it.

Modules: `filters` (query → `ExportSpec`), `writers` and `spss` (bytes), `downloads` (file name and media type),
`pages` (the handlers). The tables themselves, and what a client viewer's copy leaves out, come from
`servicescore.results` (`results.exports`, `results.privacy`), the one rule the API and dashboards apply too:

- Only their own organisation: they cannot choose another; naming another organisation's id answers 404, the
  same as an id that does not exist; a unit of another organisation is "unknown unit", as a missing one.
- Answers: as `results.privacy` says (groups under `settings.min_group_size` left out whole, small segments
  blanked, keyed pseudonyms, dates); the XLSX "about" sheet says how many respondents were left out. The same
  rows, pseudonyms and dates are what `/api/v1/responses` gives the same viewer.
- Scores: only their organisation's rows; a group under the minimum keeps its row (so the table shows it
  exists) but carries no figure at all, not even n. Peers come only as the benchmark statistics `rank,
  percentile, peer_mean, peer_best, gap_to_best, n_peers` beside their own rows (filled when the peer group
  has at least 5 organisations), never as a peer's row; rows per unit get none, since peers have other units.
- Known limit: suppression is per export. A client who subtracts an exported unit from the organisation's
  total on the dashboard can still learn something about a left-out unit; the dashboards own that total.

Consultants get every organisation, the stored response ids and times, and the score table as
`servicescore scores` writes it (suppressed groups keep n).
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from servicescore.web.exports.pages import ConsoleExports, PortalExports

ROUTES: list[ControllerRouterHandler] = [ConsoleExports, PortalExports]
