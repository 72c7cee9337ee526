"""Exports of answers and scores as CSV, XLSX, Parquet and SPSS (``/console/exports``, ``/portal/exports``).

``ROUTES`` is what ``web.routes`` mounts. `GET .../exports/answers` and `GET .../exports/scores` take the
filters `instrument` (required), `wave` (repeat or comma list), `organisation` and `unit` (ids), `format`
(csv, xlsx, parquet, sav), `columns`, and for scores `by` and `level`. Downloads are reads, so they are GET
links without CSRF tokens; a filter the export does not know is refused with 400 and a message naming it.

Modules: `filters` (query → `ExportSpec`), `tables` (snapshot → table, scope applied), `privacy` (a client's
thinning), `writers` and `spss` (bytes), `downloads` (file name and media type), `pages` (the handlers).

What a client viewer's export holds (decided here, tested in tests/integration/exports):

- Only their own organisation: they cannot choose another; naming another organisation's id answers 404, the
  same as an id that does not exist; a unit of another organisation is "unknown unit", as a missing one.
- Answers: a measured group (instrument × wave × unit) with fewer than `settings.min_group_size` respondents is
  left out whole — ratings, comments and all — since a handful of raw answers gives away the mean that the
  dashboards suppress and may let staff recognise who wrote a comment. The XLSX "about" sheet says how many
  respondents were left out. A segment that would single out fewer than the minimum within a kept group is
  blanked. `response_id` becomes a keyed pseudonym (stable between exports, not the stored id): the real id is
  what a follow-up case carries, and the case names the person who asked to be contacted, so the real id
  would tie every answer of that person to their name after the case is closed. `submitted_at` keeps only the
  date, because a time of day can point at one visitor. Comments of kept groups stay: they are the client's
  own customers' words, shown on their dashboard too.
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
