"""The report context: the documented dictionary every report template receives (templates are an API).

Pure: report data (frames) in, a plain dict out; no web, no database, no files. The same context feeds the
web dashboards. Numbers stay numbers (floats, None when suppressed or missing); templates format them with
the filters ``num``, ``signed``, ``pct``, ``ci``, ``integer`` and ``dur`` (`template_filters`, on `formats`), so a
test can format the scoring core's value the same way and find it in the PDF.

Top level::

    report        {id, kind, title}
    lang          "sv" | "en"
    t             the catalogue in `lang` (`texts.Words`): ``t.index`` a table word, ``t("key", name=...)`` any text
    organisations [{key, name, colour}]  the organisations asked for, focus first
    focus         the focus organisation's name
    instrument    {id, title}            the report's main instrument
    wave          "2026-Q3"; period {starts, ends} (long dates)
    generated_on  long date of today; generated_iso the same as YYYY-MM-DD (PDF metadata)
    blocks        [block], each {type, anchor, title, ...}; a block without data is left out
    contents      [{anchor, title}] of the blocks after the contents block

Blocks (besides type, anchor, title and instrument_title, the title of the instrument the block shows; a block
without an instrument of its own is left out where another block of its type names that instrument):

- cover: subtitle, names, wave, date
- executive_summary: overall {n, index, index_ci_low, index_ci_high, rank, n_peers, peer_mean, change, …},
  sentences [str], strengths [str], weaknesses [str] (the items' `scoring.standing`, shared with the quadrant),
  own_mean (the organisation's own level), rule (the sentence that states the rule)
- section_scores: rows [{label, n, index, index_ci_low, index_ci_high, peer_mean, suppressed, uncertain,
  bar (SVG), index_adjusted (when adjusted)}], overall row first; instrument_title; adjusted (the report adjusts
  this scorecard for shopper leniency: `results.shoppers.adjusted_scores`)
- items: sections [{title, rows [{label, type, n, mean, index, top2_pct, nps, promoters_pct, detractors_pct,
  suppressed, uncertain, bar (SVG or None)}]}]; an NPS item prints its NPS, never a top-2-box
- league_table: rows [{rank, name, n, index, index_ci_low, index_ci_high, change, focus, suppressed, uncertain,
  bar}]
- comparison: names [str], rows [{label, cells [{index, index_ci_low, index_ci_high, n, suppressed, uncertain}],
  difference, significant}]
- trend: chart (SVG), waves [str], rows [{name, values [float|None]}]
- quadrant: chart (SVG), outcome (item text), r_squared, n_complete, own_mean, rows [{number, label, item,
  importance (% of R²), r, performance, standing, priority, fix}]: the scoring core's `drivers` for the focus in
  the wave; priority from the item's standing × importance above or below the mean (blocks.quadrant)
- mirror: chart (SVG), r, r_low, r_high, rho, rho_low, rho_high, units (count): the scoring core's `linkage`;
  rows [{number, label, employee, customer}] of the organisations asked for
- mystery_call: rows [{label, kind ('duration'|'number'|'pct'), n, uncertain, own, peers}]; adjusted: then a
  first row of kind 'index' (the calls' index) and own_adjusted on every row (None for the facts: not adjusted)
- comments: quotes [{text, unit}], suppressed_units [str]
- methodology: min_n, uncertain_below, min_peers, peers_named, counts [{name, n}], period, instrument_title,
  waves [str],
  calibration (scorecards; None for surveys): rows [{section, measurement, alpha (None: reason), low (α under
  0.667), reason}], shoppers, exercises — Krippendorff's α of the wave's calibration exercises;
  adjustment (None unless the report adjusts for shopper leniency): [{instrument_title, shoppers (with an
  estimate), reason (why there is none, in `lang`; None when there are estimates)}]
"""

from __future__ import annotations

from typing import Any

from servicescore.definitions.reports.brands import Brand
from servicescore.formats import long_date
from servicescore.reporting import blocks
from servicescore.reporting.builder import Builder
from servicescore.reporting.data import ReportData
from servicescore.reporting.request import ReportRequest
from servicescore.texts import CATALOGUE, Words

BUILDERS = {
    "cover": blocks.cover,
    "executive_summary": blocks.executive_summary,
    "section_scores": blocks.section_scores,
    "items": blocks.items,
    "league_table": blocks.league_table,
    "comparison": blocks.comparison,
    "trend": blocks.trend,
    "quadrant": blocks.quadrant,
    "mirror": blocks.mirror,
    "mystery_call": blocks.mystery_call,
    "comments": blocks.comments,
    "methodology": blocks.methodology,
}


class NoData(LookupError):
    """The organisation has no answers to any instrument the report reads."""


def build_context(data: ReportData, request: ReportRequest, brand: Brand) -> dict[str, Any]:
    """The context of one report (see the module docstring for its keys)."""
    definition = request.definition
    focus = data.organisations[request.organisations[0]]
    available = data.available(focus.key)
    instrument = next((i for i in definition.instrument if i in available), None)
    if instrument is None:
        raise NoData(f"{focus.name} has no answers to {', '.join(definition.instrument)}")
    builder = Builder(data, request, instrument, brand)
    rendered: list[dict[str, Any]] = []
    # A block that names its instrument says what a block of its type on the report's instrument would say again
    # (the industry report's generic league table of mystery calls beside "Ranking – mystery calls").
    named = {(block.type, block.instrument) for block in definition.blocks if block.instrument is not None}
    for number, block in enumerate(definition.blocks):
        block_instrument = definition.block_instrument(block, available)
        if block.type == "contents":
            rendered.append({"type": "contents", "anchor": "contents", "title": builder.t["contents"]})
            continue
        if block_instrument is None or (block.instrument is None and (block.type, block_instrument) in named):
            continue
        made = BUILDERS[block.type](builder, block, block_instrument)
        if made is None:
            continue
        made.setdefault("type", block.type)
        made.setdefault("instrument_title", data.instruments[block_instrument].title.pick(request.lang))
        made["anchor"] = f"b{number}-{block.type}"
        heading = f"label.{block.type}"  # a block's own heading, when the catalogue has one (a cover has none)
        default = builder.t(heading) if heading in CATALOGUE else None
        made["title"] = block.title.pick(request.lang) if block.title else made.get("title", default)
        rendered.append(made)
    after_contents = False
    contents = []
    for made in rendered:
        if made["type"] == "contents":
            after_contents = True
        elif after_contents:
            contents.append({"anchor": made["anchor"], "title": made["title"]})
    starts, ends = data.waves.get(builder.wave, (None, None))
    return {
        "report": {"id": definition.id, "kind": definition.kind, "title": definition.title.pick(request.lang)},
        "lang": request.lang,
        "t": Words(request.lang),
        "organisations": [
            {"key": key, "name": data.organisations[key].name, "colour": builder.colour(key)}
            for key in request.organisations
        ],
        "focus": focus.name,
        "instrument": {"id": instrument, "title": data.instruments[instrument].title.pick(request.lang)},
        "wave": builder.wave,
        "period": {
            "starts": long_date(starts, request.lang) if starts else None,
            "ends": long_date(ends, request.lang) if ends else None,
        },
        "generated_on": long_date(request.today, request.lang),
        "generated_iso": request.today.isoformat(),
        "blocks": rendered,
        "contents": contents,
    }
