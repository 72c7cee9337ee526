"""One function per block: (builder, block definition, instrument) → the block's context dict, or None when
the block has nothing to show for this organisation and wave (the report then leaves it out)."""

from __future__ import annotations

from typing import Any, Final

import polars as pl

from servicescore.definitions.reports.report import Block
from servicescore.reporting import charts, sentences
from servicescore.reporting.builder import SCALED, Builder
from servicescore.reporting.request import scorecards
from servicescore.scoring import linkage
from servicescore.scoring.agreement import TENTATIVE_FROM, agreement
from servicescore.scoring.linkage import DEFAULT_MIN_UNITS
from servicescore.scoring.schema import UNCERTAIN_BELOW, Level
from servicescore.scoring.significance import Sample, holm, welch_p

Ctx = dict[str, Any] | None
MIN_MIRROR_UNITS: Final[int] = DEFAULT_MIN_UNITS  # fewer units than this give no correlation worth printing


def _bar(b: Builder, row: dict[str, Any] | None, peer_mean: float | None = None, colour: str | None = None) -> str:
    if row is None or row.get("suppressed"):
        return charts.interval_bar(
            None, None, None, peer_mean, name=b.t("chart.index_bar"), peer_colour=b.brand.colours.accent
        )
    return charts.interval_bar(
        row["index"], row["index_ci_low"], row["index_ci_high"], peer_mean, name=b.t("chart.index_bar"),
        colour=colour or b.brand.colours.primary, peer_colour=b.brand.colours.accent,
    )  # fmt: skip


def cover(b: Builder, _block: Block, instrument: str) -> Ctx:
    first = b.data.organisations[b.request.organisations[0]]
    own_logo = first.logo if b.request.definition.kind == "client" else None
    names = [b.data.organisations[k].name for k in b.request.organisations]
    if b.request.definition.kind == "industry" and b.peer_group:
        names = [b.data.peer_group_name(b.peer_group, b.lang)]
    return {
        "names": names,
        "subtitle": b.data.instruments[instrument].title.pick(b.lang),
        "wave": b.wave,
        # A client report carries the organisation's own uploaded logo when it has one; a report on several
        # organisations the neutral brand's (`request.report_brand`).
        "logo": own_logo or b.brand.logo.as_uri(),
        "logo_alt": first.name if own_logo else b.brand.name,
        "brand": b.brand.name,
    }


def executive_summary(b: Builder, _block: Block, instrument: str) -> Ctx:
    frames = b.frames(instrument)
    bench = b.row(frames.benchmark("overall"), organisation=b.focus, wave=b.wave)
    score = b.row(frames.scores("overall"), organisation=b.focus, wave=b.wave)
    if bench is None or score is None or score["suppressed"]:
        return None
    overall = {**score, **bench}
    said = [sentences.headline(b.data.organisations[b.focus].name, overall, b.wave, b.lang)]
    said += [s for s in (sentences.ranking(overall, b.lang), sentences.change(overall, b.lang)) if s]
    standing = b.standing(instrument)
    strengths = standing.filter(pl.col("standing") == "strength").sort("index", "item", descending=[True, False])
    improve = standing.filter(pl.col("standing") == "improve").sort("index", "item")
    own_mean = standing.item(0, "own_mean") if standing.height else None
    peers = standing.get_column("peer_diff").null_count() < standing.height

    def phrase(r: dict[str, Any]) -> str:
        return sentences.item_sentence(b.item_label(instrument, r["item"]), r, b.lang)

    units = frames.scores("overall", ("organisation", "unit")).filter(
        (pl.col("organisation") == b.focus) & (pl.col("wave") == b.wave)
    )
    return {
        "overall": overall,
        "sentences": said,
        "strengths": [phrase(r) for r in strengths.head(3).iter_rows(named=True)],
        "weaknesses": [phrase(r) for r in improve.head(3).iter_rows(named=True)],
        "own_mean": own_mean,
        "rule": None if own_mean is None else sentences.standing_rule(own_mean, peers, b.lang),
        "bar": _bar(b, score, overall.get("peer_mean")),
        "units": [
            {**r, "label": b.data.units.get((b.focus, r["unit"]), r["unit"]), "bar": _bar(b, r)}
            for r in units.sort("unit").iter_rows(named=True)
        ],
    }


def section_scores(b: Builder, _block: Block, instrument: str) -> Ctx:
    frames = b.frames(instrument)
    rows = []
    levels: tuple[Level, Level] = ("overall", "section")
    for level in levels:
        scored = frames.scores(level).filter((pl.col("organisation") == b.focus) & (pl.col("wave") == b.wave))
        bench = frames.benchmark(level).select(
            "organisation", "wave", *(["section"] if level == "section" else []), "peer_mean"
        )
        keys = ["organisation", "wave", *(["section"] if level == "section" else [])]
        adjusted = b.adjusted(instrument, level)
        if adjusted is not None:
            scored = scored.join(adjusted.select(*keys, "index_adjusted"), on=keys, how="left")
        for r in scored.join(bench, on=keys, how="left").iter_rows(named=True):
            label = b.t["overall"] if level == "overall" else b.section_label(instrument, r["section"])
            rows.append({**r, "label": label, "overall": level == "overall", "bar": _bar(b, r, r["peer_mean"])})
    if not rows:
        return None
    order = [s.id for s in b.data.instruments[instrument].sections]
    rows[1:] = sorted(rows[1:], key=lambda r: order.index(r["section"]))
    return {
        "rows": rows,
        "instrument_title": b.data.instruments[instrument].title.pick(b.lang),
        "adjusted": b.adjustment(instrument) is not None,
    }


def _distributions(b: Builder, instrument: str) -> dict[str, list[float]]:
    """Shares (0–100) of the answers 1–5 of each rating item, for the focus organisation in the wave."""
    answers = b.data.own_answers(instrument, b.focus)
    counted = (
        answers.filter((pl.col("wave") == b.wave) & ~pl.col("na") & pl.col("value").is_not_null())
        .join(
            b.data.catalogue().filter(pl.col("type") == "rating").select("instrument", "item"),
            on=["instrument", "item"],
        )
        .group_by("item", "value")
        .len()
        .with_columns(share=100 * pl.col("len") / pl.col("len").sum().over("item"))
    )
    shares: dict[str, list[float]] = {}
    for item, value, share in counted.select("item", "value", "share").iter_rows():
        shares.setdefault(item, [0.0] * 5)[int(value) - 1] = share
    return shares


def items(b: Builder, _block: Block, instrument: str) -> Ctx:
    frames = b.frames(instrument)
    scored = frames.scores("item").filter((pl.col("organisation") == b.focus) & (pl.col("wave") == b.wave))
    types = dict(b.data.catalogue().filter(pl.col("instrument") == instrument).select("item", "type").iter_rows())
    shares = _distributions(b, instrument)
    by_item = {r["item"]: r for r in scored.iter_rows(named=True)}
    sections = []
    for section in b.data.instruments[instrument].sections:
        rows = []
        for item in section.items:
            r = by_item.get(item.id)
            if r is None or types[item.id] not in SCALED:
                continue
            if types[item.id] == "yes_no" and b.data.instruments[instrument].kind == "survey":
                continue  # a survey's yes/no questions ask for consent or facts, not a rating of the service
            bar = None
            if not r["suppressed"] and item.id in shares:
                bar = charts.distribution_bar(shares[item.id], name=b.t("chart.distribution"), fmt=b.fmt_pct)
            rows.append({**r, "label": item.text.pick(b.lang), "type": types[item.id], "bar": bar})
        if rows:
            sections.append({"title": section.title.pick(b.lang), "rows": rows})
    return {"sections": sections} if sections else None


def league_table(b: Builder, block: Block, instrument: str) -> Ctx:
    frames = b.frames(instrument)
    if b.peer_group is None:
        return None
    bench = frames.benchmark("overall").filter((pl.col("wave") == b.wave) & (pl.col("peer_group") == b.peer_group))
    named = b.request.definition.peers == "named"
    enough_peers = bench.filter(pl.col("n_peers").fill_null(0) >= b.request.definition.min_peers).height > 0
    if bench.height == 0 or (not named and not enough_peers):
        return None
    scored = frames.scores("overall").select(
        "organisation", "wave", "index_ci_low", "index_ci_high", "suppressed", "uncertain"
    )
    table = bench.join(scored, on=["organisation", "wave"], how="left").sort("index", descending=True, nulls_last=True)
    best = table.get_column("index").max()
    rows = [
        {
            **r,
            "name": b.name(r["organisation"]),
            "focus": r["organisation"] in b.request.organisations,
            "position": position,
            "bar": _bar(b, r, colour=None if r["organisation"] in b.request.organisations else "#9aa3ad"),
        }
        for position, r in enumerate(table.iter_rows(named=True), start=1)
    ]
    if block.limit:
        rows = [r for r in rows if r["position"] <= block.limit or r["focus"]]
    return {"rows": rows, "best": best, "group": b.data.peer_group_name(b.peer_group or "", b.lang)}


def comparison(b: Builder, _block: Block, instrument: str) -> Ctx:
    frames = b.frames(instrument)
    keys = list(b.request.organisations)
    rows = []
    for level in ("overall", "section"):
        table = frames.scores(level).filter((pl.col("wave") == b.wave) & pl.col("organisation").is_in(keys))
        groups = [None] if level == "overall" else [s.id for s in b.data.instruments[instrument].sections]
        for section in groups:
            part = table if section is None else table.filter(pl.col("section") == section)
            if part.height == 0:
                continue
            cells = [b.row(part, organisation=k) for k in keys]
            label = b.t["overall"] if section is None else b.section_label(instrument, section)
            rows.append({"label": label, "section": section, "cells": cells, "overall": section is None})
    if not rows:
        return None
    if len(keys) == 2:
        _differences(rows)
    return {"names": [b.data.organisations[k].name for k in keys], "colours": [b.colour(k) for k in keys],
            "rows": rows, "pairwise": len(keys) == 2}  # fmt: skip


def _differences(rows: list[dict[str, Any]]) -> None:
    """Welch tests of the first organisation against the second, Holm-corrected across the rows shown."""
    stats = ("n_eff", "mean", "sd", "top2_pct", "promoters_pct", "detractors_pct", "index")
    pairs = []
    for position, r in enumerate(rows):
        a, c = r["cells"]
        if a is None or c is None or a["suppressed"] or c["suppressed"]:
            continue
        pairs.append({"row": position, **{f"a_{s}": a[s] for s in stats}, **{f"b_{s}": c[s] for s in stats}})
    if not pairs:
        return
    tested = holm(
        pl.LazyFrame(pairs).with_columns(
            family=pl.lit(1),
            p=welch_p(Sample.of("a_"), Sample.of("b_")),
            difference=pl.col("a_index") - pl.col("b_index"),
        ),
        ["p"],
        ["family"],
    ).collect()
    for r in tested.iter_rows(named=True):
        rows[r["row"]]["difference"] = r["difference"]
        rows[r["row"]]["significant"] = r["p_holm"] is not None and r["p_holm"] < 0.05


def trend(b: Builder, _block: Block, instrument: str) -> Ctx:
    frames = b.frames(instrument)
    bench = frames.benchmark("overall")
    waves = sorted(bench.filter(pl.col("organisation") == b.focus).get_column("wave").unique().to_list())
    if len(waves) < 2:
        return None
    series: list[dict[str, Any]] = []
    for key in b.request.organisations:
        values = {r["wave"]: r["index"] for r in bench.filter(pl.col("organisation") == key).iter_rows(named=True)}
        series.append({"name": b.data.organisations[key].name, "values": [values.get(w) for w in waves],
                       "colour": b.colour(key)})  # fmt: skip
    peer_label = b.t["peer_mean"]
    if b.request.definition.kind == "client":
        values = {
            r["wave"]: r["peer_mean"] for r in bench.filter(pl.col("organisation") == b.focus).iter_rows(named=True)
        }
        if any(v is not None for v in values.values()):
            peer_values = [values.get(w) for w in waves]
            series.append({"name": peer_label, "values": peer_values, "colour": b.brand.colours.accent,
                           "dashed": True})  # fmt: skip
    frame = pl.DataFrame(
        [{"wave": w, "series": s["name"], "index": v} for s in series for w, v in zip(waves, s["values"], strict=True)],
        schema={"wave": pl.String, "series": pl.String, "index": pl.Float64},
    )
    chart = charts.trend_chart(
        frame, name=b.t("chart.trend"), fmt=b.fmt, colours={s["name"]: s["colour"] for s in series},
        dashed=[s["name"] for s in series if s.get("dashed")],
    )  # fmt: skip
    return {"chart": chart, "waves": waves, "rows": series}


# (standing, important) → the report's priority: only an area to improve that matters much comes first.
_PRIORITY: Final[dict[tuple[str, bool], str]] = {
    ("improve", True): "quadrant_fix",
    ("improve", False): "quadrant_watch",
    ("strength", True): "quadrant_keep",
    ("strength", False): "quadrant_surplus",
    ("level", True): "quadrant_level",
    ("level", False): "quadrant_level",
}


def quadrant(b: Builder, _block: Block, instrument: str) -> Ctx:
    """Key drivers of the focus organisation's outcome item in the wave, as the scoring core's `drivers` computes
    them (relative weights over its own respondents): importance, r and performance are printed as is. The
    priority is the items' `standing` (the summary's strengths and areas to improve) × importance above or below
    the mean importance: "fix first" is an area to improve that matters much, never a strength."""
    ratings = b.data.catalogue().filter((pl.col("instrument") == instrument) & (pl.col("type") == "rating"))
    outcomes = ratings.filter(pl.col("role") == "outcome").get_column("item").to_list()
    if not outcomes:
        return None
    # Other outcomes (recommendation) are results too, not drivers; other item types are not ratings of service.
    predictors = ratings.filter(pl.col("role").is_null()).get_column("item").to_list()
    standing = b.standing(instrument)
    table = (
        b.frames(instrument)
        .drivers(b.focus, b.wave, outcomes[0], tuple(predictors))
        .drop_nulls(["importance", "performance"])
        .sort("importance", descending=True)
        .with_row_index("number", offset=1)
        .join(standing.select("item", "index_ci_low", "index_ci_high", "standing"), on="item", how="left")
        .with_columns(pl.col("standing").fill_null("level"))
        .sort("number")
    )
    if table.height < 3 or standing.height == 0:
        return None
    mean_importance = round(table.get_column("importance").mean(), 6)  # type: ignore[arg-type]  # a float column
    rows = []
    for r in table.iter_rows(named=True):
        priority = _PRIORITY[(r["standing"], round(r["importance"], 6) >= mean_importance)]
        rows.append({**r, "label": b.item_label(instrument, r["item"]), "priority": b.t[priority],
                     "fix": priority == "quadrant_fix"})  # fmt: skip
    own_mean = standing.item(0, "own_mean")
    chart = charts.quadrant_chart(
        table,
        name=b.t("chart.quadrant"),
        own_mean=own_mean,
        axis_labels=(b.t["performance"], b.t["importance"]),
        own_label=b.t["own_level"],
        fmt=b.fmt,
        tick=b.fmt_tick,
        colour=b.brand.colours.primary,
    )
    return {"chart": chart, "rows": rows, "outcome": b.item_label(instrument, outcomes[0]), "own_mean": own_mean,
            "r_squared": table.item(0, "r_squared"), "n_complete": table.item(0, "n_complete")}  # fmt: skip


def mirror(b: Builder, block: Block, instrument: str) -> Ctx:
    """Unit scores of the employee survey against the customers' in the peer group, linked by the scoring core's
    `linkage` (units shown in both tables only; individuals are never linked)."""
    employee = block.employee_instrument or "employee-pulse"
    if employee not in b.data.instruments:
        return None
    by = ("organisation", "unit")
    in_group = (pl.col("wave") == b.wave) & pl.col("organisation").is_in(b.peer_group_keys())
    customers = b.frames(instrument).scores("overall", by).filter(in_group)
    staff = b.frames(employee).scores("overall", by).filter(in_group)
    linked = linkage(staff, customers, min_units=MIN_MIRROR_UNITS).collect().row(0, named=True)
    if linked["pearson_r"] is None:
        return None
    shown = ~pl.col("suppressed") & pl.col("index").is_not_null()
    units = (
        customers.filter(shown)
        .select("organisation", "unit", customer="index")
        .join(staff.filter(shown).select("organisation", "unit", employee="index"), on=["organisation", "unit"])
    )
    own = pl.col("organisation").is_in(list(b.request.organisations))
    units = units.with_columns(highlight=own).sort(~pl.col("highlight"), "organisation", "unit")
    labelled = units.with_columns(
        label=pl.Series([b.data.units.get((o, u), u) for o, u in units.select("organisation", "unit").iter_rows()]),
        number=pl.when("highlight").then(pl.int_range(1, pl.len() + 1)),
    )
    chart = charts.mirror_scatter(
        labelled,
        name=b.t("chart.mirror"),
        axis_labels=(b.t["employees"], b.t["customers"]),
        tick=b.fmt_tick,
        colour=b.brand.colours.primary,
    )
    return {
        "chart": chart,
        "r": linked["pearson_r"],
        "r_low": linked["pearson_ci_low"],
        "r_high": linked["pearson_ci_high"],
        "rho": linked["spearman_r"],
        "rho_low": linked["spearman_ci_low"],
        "rho_high": linked["spearman_ci_high"],
        "units": linked["n_units"],
        "rows": [r for r in labelled.iter_rows(named=True) if r["highlight"]],
        "employee_title": b.data.instruments[employee].title.pick(b.lang),
    }


_CALL_FACTS: Final[tuple[tuple[str, str, str], ...]] = (
    ("queue_time", "mean", "duration"),
    ("transfers", "mean", "number"),
    ("callback_offered", "top2_pct", "pct"),
    ("briefed_after_transfer", "top2_pct", "pct"),
    ("problem_solved", "top2_pct", "pct"),
    ("call_duration", "mean", "duration"),
)


def mystery_call(b: Builder, _block: Block, instrument: str) -> Ctx:
    frames = b.frames(instrument)
    own = frames.scores("item").filter((pl.col("organisation") == b.focus) & (pl.col("wave") == b.wave))
    peers = frames.pooled_peers(b.focus, "item").filter(pl.col("wave") == b.wave)
    rows = []
    for item, column, kind in _CALL_FACTS:
        mine, theirs = b.row(own, item=item), b.row(peers, item=item)
        if mine is None:
            continue
        rows.append(_call_row(b.item_label(instrument, item), kind, mine, theirs, column))
    if not rows:
        return None
    adjusted = b.adjusted(instrument, "overall")
    if adjusted is None:
        return {"rows": rows, "adjusted": False}
    # Times, counts and yes/no shares are not ratings and are never adjusted: the calls' index (all sections),
    # which their ratings enter, is shown with its adjusted twin above them.
    rows = [{**r, "own_adjusted": None} for r in rows]
    mine = b.row(adjusted, organisation=b.focus, wave=b.wave)
    theirs = b.row(frames.pooled_peers(b.focus, "overall").filter(pl.col("wave") == b.wave))
    if mine is not None:
        index = _call_row(b.t["call_index"], "index", mine, theirs, "index")
        rows.insert(0, {**index, "own_adjusted": None if mine["suppressed"] else mine["index_adjusted"]})
    return {"rows": rows, "adjusted": True}


def _call_row(
    label: str, kind: str, mine: dict[str, Any], theirs: dict[str, Any] | None, column: str
) -> dict[str, Any]:
    return {
        "label": label, "kind": kind, "n": mine["n"], "uncertain": mine["uncertain"] and not mine["suppressed"],
        "own": None if mine["suppressed"] else mine[column],
        "peers": None if theirs is None or theirs["suppressed"] else theirs[column],
    }  # fmt: skip


def comments(b: Builder, block: Block, instrument: str) -> Ctx:
    """Quotes from the focus organisation's shown units only: a unit under the minimum shows no comment."""
    frames = b.frames(instrument)
    unit_scores = frames.scores("overall", ("organisation", "unit")).filter(
        (pl.col("organisation") == b.focus) & (pl.col("wave") == b.wave)
    )
    shown = unit_scores.filter(~pl.col("suppressed")).get_column("unit").to_list()
    hidden = unit_scores.filter(pl.col("suppressed")).get_column("unit").to_list()
    text_items = block.items or [
        i for i, t in b.data.catalogue().filter(pl.col("instrument") == instrument).select("item", "type").iter_rows()
        if t == "text"
    ]  # fmt: skip
    quotes = (
        b.data.own_answers(instrument, b.focus)
        .filter(
            (pl.col("wave") == b.wave)
            & pl.col("unit").is_in(shown)
            & pl.col("item").is_in(text_items)
            & pl.col("text").is_not_null()
        )
        .sort("submitted_at", "response_id")
        .unique("text", keep="first", maintain_order=True)  # a text said in several units: where it was said first
    )
    if quotes.height == 0:
        return None
    limit = block.limit or 8
    picked = quotes.gather_every(max(1, quotes.height // limit)).head(limit)
    return {
        "quotes": [{"text": r["text"], "unit": b.data.units.get((b.focus, r["unit"]), r["unit"])}
                   for r in picked.iter_rows(named=True)],
        "suppressed_units": [b.data.units.get((b.focus, u), u) for u in hidden],
    }  # fmt: skip


def methodology(b: Builder, _block: Block, instrument: str) -> Ctx:
    overall = b.frames(instrument).scores("overall").filter(pl.col("wave") == b.wave)
    keys = list(b.request.organisations)
    if b.request.definition.kind == "industry":
        keys = b.peer_group_keys()
    counts = [{"name": b.name(k), "n": (b.row(overall, organisation=k) or {}).get("n")} for k in keys]
    starts, ends = b.data.waves.get(b.wave, (None, None))
    return {
        "min_n": b.request.min_n,
        "uncertain_below": UNCERTAIN_BELOW,
        "min_peers": b.request.definition.min_peers,
        "peers_named": b.request.definition.peers == "named",
        "counts": counts,
        "instrument_title": b.data.instruments[instrument].title.pick(b.lang),
        "kind": b.data.instruments[instrument].kind,
        "wave_starts": starts,
        "wave_ends": ends,
        "calibration": _calibration(b, instrument),
        "adjustment": _adjustment(b),
    }


def _adjustment(b: Builder) -> list[dict[str, Any]] | None:
    """When the report adjusts for shopper leniency, per scorecard it shows: how many shoppers have an estimate,
    or why there are none (then no adjusted figure is printed). None when the report does not adjust or shows no
    scorecard."""
    if not b.request.adjust_shoppers:
        return None
    available = b.data.available(b.focus)
    shown = {b.request.definition.block_instrument(block, available) for block in b.request.definition.blocks}
    rows = []
    for instrument in (i for i in scorecards(b.data, b.request.definition) if i in shown):
        found = b.data.adjustments.get(instrument)
        reason = "not estimated" if found is None else found.reason
        rows.append({
            "instrument_title": b.data.instruments[instrument].title.pick(b.lang),
            "shoppers": 0 if found is None or reason else found.offsets.height,
            "reason": None if reason is None else sentences.leniency_reason(reason, b.lang),
        })  # fmt: skip
    return rows or None  # no scorecard shown: nothing to adjust, nothing to say


def _calibration(b: Builder, instrument: str) -> Ctx | None:
    """The wave's agreement between shoppers of a scorecard: α per section (one per level of measurement), how
    many shoppers and exercises it rests on; a section under 0.667 is marked. None for a survey."""
    if b.data.instruments[instrument].kind != "scorecard":
        return None
    answers = b.data.calibration.filter((pl.col("instrument") == instrument) & (pl.col("wave") == b.wave))
    roster = answers.select("instrument", "wave", "exercise", "shopper").unique()
    # Only α is printed, so one bootstrap draw suffices (the interval is the command's business).
    table = agreement(answers, roster, b.data.catalogue(), resamples=1).table.filter(pl.col("scope") == "section")
    titles = {section.id: section.title.pick(b.lang) for section in b.data.instruments[instrument].sections}
    rows = [
        {"section": titles.get(r["section"], r["section"]), "measurement": r["measurement"], "alpha": r["alpha"],
         "low": r["alpha"] is not None and r["alpha"] < TENTATIVE_FROM, "reason": r["reason"]}
        for r in table.iter_rows(named=True)
    ]  # fmt: skip
    return {
        "rows": rows,
        "shoppers": answers.get_column("shopper").n_unique(),
        "exercises": answers.get_column("exercise").n_unique(),
    }
