"""The scoring core: Polars frames in, frames out; no web framework, no ORM, no file or database I/O.

Public functions (column names are a public contract, documented in the README):

- `scores(answers, catalogue, by, level, min_n)` — score tables (`scores` module docstring: levels, weights);
- `respondent_scores(answers, catalogue, level)` — one 0–100 score per respondent (and section);
- `benchmark(scores, organisations, min_peers, names, focus=)` and `anonymise_peers` — peer benchmarks;
- `items_frame(instruments)` — the item catalogue of instrument definitions;
- `trends(scores)` — change from wave to wave with Holm-corrected significance;
- `drivers(answers, catalogue, outcome_item, by)` — key-driver (importance–performance) tables;
- `linkage(employee, customer, min_units)` — the Satisfaction Mirror;
- `poststratify`, `rake`, `kish_n_eff` — respondent weights;
- `agreement(answers, roster, catalogue)` — Krippendorff's α between mystery shoppers of calibration exercises;
- `leniency(observations)` — each shopper's offset from a linear mixed model, flagged beyond ±0.5 points.
"""

from __future__ import annotations

from servicescore.scoring.agreement import agreement
from servicescore.scoring.benchmark import benchmark
from servicescore.scoring.catalogue import items_frame
from servicescore.scoring.drivers import drivers
from servicescore.scoring.leniency import leniency
from servicescore.scoring.linkage import linkage
from servicescore.scoring.peers import anonymise_peers
from servicescore.scoring.schema import ANSWER_SCHEMA, CATALOGUE_SCHEMA, ORGANISATION_SCHEMA, SCORE_STATISTICS
from servicescore.scoring.scores import respondent_scores, scores
from servicescore.scoring.trends import trends
from servicescore.scoring.weighting import kish_n_eff, poststratify, rake

__all__ = [
    "ANSWER_SCHEMA",
    "CATALOGUE_SCHEMA",
    "ORGANISATION_SCHEMA",
    "SCORE_STATISTICS",
    "agreement",
    "anonymise_peers",
    "benchmark",
    "drivers",
    "items_frame",
    "kish_n_eff",
    "leniency",
    "linkage",
    "poststratify",
    "rake",
    "respondent_scores",
    "scores",
    "trends",
]
