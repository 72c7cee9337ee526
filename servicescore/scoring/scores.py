"""Score tables: one row per group with n, mean, intervals, index, top-2-box and NPS (README, "Methods").

Levels
------
- ``item``: the statistics of the answers to one item. n counts respondents with an applicable answer
  (N/A and missing are excluded); the input holds one answer per response and item, so this is the row count.
- ``section`` and ``overall``: first a score on 0–100 *per respondent* (`respondent_scores`), then the group
  statistics of those respondent scores. A respondent's section score is the weighted mean of their applicable
  item scores — rating, NPS and yes/no items score `(value − min)/(max − min) × 100` (a yes/no item 100 for yes,
  0 for no) with the item's weight; a yes/no item weighs `weight × points`, so in a scorecard whose items keep
  weight 1 the section score is earned ÷ possible points. A section whose items are all N/A (or unanswered) has
  no score for that respondent: null, never 0. The overall score is the section-weight-weighted mean of the
  respondent's non-null section scores. At these levels `mean` and `index` are the same 0–100 number, and
  top-2-box and NPS columns are null.

Boxes: on a rating or NPS item top-2-box is the share of the two highest scale points (4–5 on 1–5; 9–10,
the promoters, on 0–10) and bottom-box the two lowest; on a yes/no item top is "yes" and bottom "no"; number
and duration items have no boxes. Every item with a bounded scale has an index: ratings, NPS and yes/no items,
and number and duration items whose definition gives both ends (`min`/`max`, `max_seconds`); an unbounded one
has none.

Intervals (95 %): the mean's is Student t, except on a yes/no item, whose mean is a proportion: Wilson. The
index interval is the mean's interval mapped onto 0–100. A t interval stops at the ends of the item's scale
(it is clipped: nobody can answer above the top), so an index interval stays within 0–100. A group whose
answers are all equal (no variance) has no t interval at all (null, never zero width); a proportion keeps its
Wilson interval, which is never of zero width.

Respondent weights are sampling weights, not frequency weights: n stays the respondent count, means and
shares are weighted, the standard deviation is `√(Σw(x − x̄)²/Σw · n/(n − 1))`, and interval widths use Kish's
effective n (`n_eff`, equal to n when every weight is 1).

Determinism: every sum is exact in fixed point (`exact_sum`: terms to 2⁻⁶⁴, added as 128-bit integers), or a
float sum of whole numbers (unweighted 1–5, 0–10 and yes/no answers), which is exact too; so the same answers
give the same bits whatever order the rows arrive in and however many threads add them.

Groups with fewer than `min_n` respondents are suppressed: every statistic except n is null. Groups whose
(effective, when weighted) n is under 30 are flagged `uncertain`. A group in which nobody gave an applicable
answer (n = 0) has no row at all.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from typing import Final, NamedTuple

import polars as pl

from servicescore.scoring import nps as nps_
from servicescore.scoring.intervals import t_half_width, to_index, wilson_high, wilson_low
from servicescore.scoring.schema import (
    DEFAULT_MIN_N,
    GROUPABLE,
    MIN_N_FLOOR,
    NUMERIC_TYPES,
    SCALED_TYPES,
    SCORE_STATISTICS,
    UNCERTAIN_BELOW,
    Level,
)

Frame = pl.LazyFrame | pl.DataFrame


def group_keys(by: Sequence[str], level: Level) -> list[str]:
    """The grouping columns of a score table: `instrument, wave, *by` plus the column the level implies."""
    unknown = [c for c in by if c not in GROUPABLE]
    if unknown:
        raise ValueError(f"by: cannot group by {unknown}; choose from {list(GROUPABLE)}")
    if level == "overall" and {"section", "item"} & set(by):
        raise ValueError("by: the overall score spans every section and item; drop section/item or use another level")
    if level == "section" and "item" in by:
        raise ValueError("by: a section score spans its items; drop item or use level='item'")
    implied = {"item": ["item"], "section": ["section"], "overall": []}[level]
    return ["instrument", "wave", *dict.fromkeys([*with_organisation(by), *implied])]


def with_organisation(by: Sequence[str]) -> list[str]:
    """A unit is (organisation, unit): grouping by unit groups by the unit's organisation first, so two
    organisations' units of the same name ("main") never merge."""
    columns = list(by)
    if "unit" in columns and "organisation" not in columns:
        columns.insert(columns.index("unit"), "organisation")
    return columns


def _applicable() -> pl.Expr:
    return ~pl.col("na").fill_null(False) & pl.col("value").is_not_null()


def _thresholds(catalogue: Frame) -> pl.LazyFrame:
    """Per item, where top-2-box, bottom-box and detractors start (null where the item has no such box)."""
    kind = pl.col("type")
    boxed = kind.is_in(["rating", "nps"])
    return catalogue.lazy().select(
        "instrument",
        "item",
        # yes/no: "top" is yes and "bottom" is no; rating and NPS: the two top and two bottom scale points.
        _top_from=pl.when(boxed).then(pl.col("scale_max") - 1).when(kind == "yes_no").then(pl.col("scale_max")),
        _bottom_to=pl.when(boxed).then(pl.col("scale_min") + 1).when(kind == "yes_no").then(pl.col("scale_min")),
        _detractor_to=pl.when(kind == "nps").then(pl.lit(nps_.DETRACTOR_TO)),
    )


def sufficient_sums(
    x: pl.Expr, w: pl.Expr | None, scale: float | None = None, *, counts: Mapping[str, pl.Expr]
) -> list[pl.Expr]:
    """One pass over the applicable rows: the (weighted) sums every statistic of a group is computed from.

    `counts` names boolean row conditions (top box, bottom box, detractor) whose weighted count is wanted.
    Without weights every w is 1 and the sums take their cheaper unweighted form. With a `scale` every sum is
    `exact_sum` at that scale; without one the caller vouches that float sums are exact (integers).
    """

    def total(term: pl.Expr) -> pl.Expr:
        return term.sum() if scale is None else exact_sum(term, scale)

    if w is None:
        n = pl.len().cast(pl.Float64)
        return [
            pl.len().alias("n"),
            n.alias("_sw"),
            n.alias("_sw2"),
            total(x).alias("_swx"),
            total(x * x).alias("_swx2"),
            *(condition.sum().cast(pl.Float64).alias(name) for name, condition in counts.items()),
        ]
    wx = w * x
    return [
        pl.len().alias("n"),
        total(w).alias("_sw"),
        total(w * w).alias("_sw2"),
        total(wx).alias("_swx"),
        total(wx * x).alias("_swx2"),
        *(total(w * condition.cast(pl.Float64)).alias(name) for name, condition in counts.items()),
    ]


def exact_sum(x: pl.Expr, scale: float) -> pl.Expr:
    """Σx with every term rounded to a multiple of 1/`scale` and added as a 128-bit integer.

    Floating-point addition is not associative: a float sum changes its last bits with the order the rows
    arrive in (threads, joins), and those bits decide ties, ranks and Spearman ρ. An integer sum is the same in
    any order, so the same answers give the same bits on every run and machine.
    """
    return (x * scale).round().cast(pl.Int128).sum().cast(pl.Float64) / scale


# Fixed-point sums: the finest scale is 2⁶⁴ (terms kept to about 5e-20); a coarser one is chosen only when rows
# × the largest term² would not fit in a signed 128-bit integer with room to spare.
_FINEST_SCALE_BITS: Final[int] = 64
_INT128_BITS: Final[int] = 124


def fixed_point_scale(rows: int, largest: float) -> float:
    """The scale at which `rows` terms of magnitude up to `largest`² sum without overflow in 128 bits."""
    magnitude = 2 * math.ceil(math.log2(max(largest, 1.0)))
    return 2.0 ** min(_FINEST_SCALE_BITS, _INT128_BITS - max(rows, 1).bit_length() - magnitude)


def _counted() -> pl.Expr:
    return (pl.col("n") > 0) & (pl.col("_sw") > 0)


def n_eff() -> pl.Expr:
    """Kish's effective n, (Σw)²/Σw²: the n a weighted sample is as informative as."""
    return pl.when(_counted()).then(pl.col("_sw") ** 2 / pl.col("_sw2"))


def weight_total() -> pl.Expr:
    """Σw of the group in the answers' own weights (n without weights): what pools groups into one mean."""
    return pl.when(_counted()).then(pl.col("_sw") * pl.col("_top_weight"))


def mean() -> pl.Expr:
    return pl.when(_counted()).then(pl.col("_swx") / pl.col("_sw"))


# Σwx² − (Σwx)²/Σw cancels: with non-integer weights, equal answers leave a variance of about 1e-16·mean²
# instead of 0. Anything under this share of mean² is rounding, not spread (a single differing answer among
# ten million 1–5 ratings still gives a variance near 1e-7).
_ROUNDING: Final[float] = 1e-12


def sd() -> pl.Expr:
    n, m = pl.col("n"), mean()
    population = (pl.col("_swx2") - pl.col("_swx") * m) / pl.col("_sw")
    population = pl.when(population > _ROUNDING * m * m).then(population).otherwise(0.0)
    return pl.when(n > 1).then((population * n / (n - 1)).sqrt())


def share(weighted_count: str) -> pl.Expr:
    return pl.when(_counted()).then(pl.col(weighted_count) / pl.col("_sw"))


def statistics() -> list[list[pl.Expr]]:
    """Every score column from the sums and the item's scale (`_min`, `_max`, `_has_top`, `_is_nps`), in three
    stages: each stage reads the columns the stage before wrote."""
    ne, half = pl.col("n_eff"), pl.col("_half")
    lo, hi = pl.col("_min"), pl.col("_max")
    top, prom, det = share("_swtop"), share("_swtop"), share("_swdet")
    has_top, is_nps, is_share = pl.col("_has_top"), pl.col("_is_nps"), pl.col("_is_share")
    first = [n_eff().alias("n_eff"), weight_total().alias("weight_total"), mean().alias("mean"), sd().alias("sd")]
    # The t quantile is a scipy call per column: computed once, as its own column, then reused. No variance, no
    # interval: a zero-width one would claim a certainty that a handful of equal answers does not give.
    half_width = [pl.when(pl.col("sd") > 0).then(t_half_width(pl.col("sd"), ne)).alias("_half")]
    # A t interval near the end of a scale can reach past it (4.9 ± 0.2 on 1–5); nobody can answer above the top,
    # so the interval stops at the scale's ends and an index interval stays within 0–100. The mean of a yes/no
    # item is a proportion: its interval is Wilson's, on the 0–1 scale, which never leaves it.
    share_of_yes = (pl.col("mean") - lo) / (hi - lo)
    low = (
        pl.when(is_share)
        .then(lo + (hi - lo) * wilson_low(share_of_yes, ne))
        .otherwise((pl.col("mean") - half).clip(lo, hi))
    )
    high = (
        pl.when(is_share)
        .then(lo + (hi - lo) * wilson_high(share_of_yes, ne))
        .otherwise((pl.col("mean") + half).clip(lo, hi))
    )
    second = [
        low.alias("ci_low"),
        high.alias("ci_high"),
        to_index(pl.col("mean"), lo, hi).alias("index"),
        to_index(low, lo, hi).alias("index_ci_low"),
        to_index(high, lo, hi).alias("index_ci_high"),
        pl.when(has_top).then(100 * top).alias("top2_pct"),
        pl.when(has_top).then(100 * wilson_low(top, ne)).alias("top2_ci_low"),
        pl.when(has_top).then(100 * wilson_high(top, ne)).alias("top2_ci_high"),
        pl.when(has_top).then(100 * share("_swbottom")).alias("bottom_pct"),
        pl.when(is_nps).then(nps_.nps(prom, det)).alias("nps"),
        pl.when(is_nps).then(nps_.nps_ci_low(prom, det, ne)).alias("nps_ci_low"),
        pl.when(is_nps).then(nps_.nps_ci_high(prom, det, ne)).alias("nps_ci_high"),
        pl.when(is_nps).then(100 * prom).alias("promoters_pct"),
        pl.when(is_nps).then(100 * det).alias("detractors_pct"),
    ]
    return [first, half_width, second]


def suppress(min_n: int) -> list[pl.Expr]:
    """Null every statistic of a group under `min_n` respondents; flag groups under an effective n of 30 as
    uncertain."""
    hidden = pl.col("n") < min_n
    shown = [c for c in SCORE_STATISTICS if c not in ("n", "suppressed", "uncertain")]
    return [
        *(pl.when(~hidden).then(pl.col(c)).alias(c) for c in shown),
        hidden.alias("suppressed"),
        # Weighted, a group is as informative as its effective n (equal to n without weights).
        (pl.col("n_eff").fill_null(0.0) < UNCERTAIN_BELOW).alias("uncertain"),
    ]


def _check_min_n(min_n: int) -> None:
    if min_n < MIN_N_FLOOR:
        raise ValueError(f"min_n: groups under {MIN_N_FLOOR} respondents are never shown (got {min_n})")


def scores(
    answers: Frame,
    catalogue: Frame,
    by: Sequence[str] = ("organisation",),
    level: Level = "item",
    min_n: int = DEFAULT_MIN_N,
    *,
    weighted: bool | None = None,
    facts: SummationFacts | None = None,
) -> pl.LazyFrame:
    """The score table of `answers` grouped by `instrument, wave, *by` (see the module docstring).

    `weighted`: use the answers' `weight` column. None (the default) decides by one cheap pass over that column:
    weights that are all equal change no statistic, so the cheaper unweighted sums are used. False ignores the
    weights, True always applies them.

    `facts`: the `summation_facts` of a larger table that `answers` are a part of (its rows of some waves: every
    group lies within a wave), so the part's rows are the rows of the whole's table, bit for bit; default: the
    facts of `answers`.
    """
    _check_min_n(min_n)
    keys = group_keys(by, level)
    answers = answers.lazy()
    summation = summation_of(summation_facts(answers) if facts is None else facts, weighted, level)
    if level == "item":
        summed = _item_sums(answers, catalogue.lazy().collect(), keys, summation)
    else:
        summed = _respondent_sums(answers, catalogue, keys, level, summation)
    first, second, third = statistics()
    return (
        summed.with_columns(_top_weight=pl.lit(summation.top_weight))
        .with_columns(first)
        .with_columns(second)
        .with_columns(third)
        .with_columns(suppress(min_n))
        .select(*strings(keys), *SCORE_STATISTICS)
        .with_columns(pl.col("n").cast(pl.Int64))
    )


def rescored(
    table: pl.DataFrame,
    answers: Frame,
    organisations: Collection[str],
    catalogue: Frame,
    by: Sequence[str],
    *,
    level: Level,
    min_n: int,
    facts: SummationFacts,
) -> pl.DataFrame:
    """`scores(answers, catalogue, by, level, min_n, facts=facts)` made from `table`, the same call's table of
    answers that differed from `answers` only in the rows of `organisations`, summed the same way (the same
    `summation_of(facts, None, level)`): those organisations' groups are scored again, the others' rows kept.

    Exact, bit for bit (up to the order of the rows, which `scores` does not fix either): the table groups by
    organisation, so no group spans two organisations, and a group's row is computed from its own rows, the
    catalogue and the summation alone.
    """
    if "organisation" not in group_keys(by, level):
        raise ValueError("rescored: only a table grouped by organisation is scored again organisation by organisation")
    changed = pl.col("organisation").is_in(sorted(organisations))
    fresh = scores(answers.lazy().filter(changed), catalogue, by, level, min_n, facts=facts).collect()
    return pl.concat([table.filter(~changed), fresh])


class Summation(NamedTuple):
    """How a score table adds: the weight expression (None: unweighted), the fixed-point scale of the sums
    (None: plain float sums) and the largest weight, which the weights were divided by."""

    weight: pl.Expr | None
    scale: float | None
    top_weight: float = 1.0


class SummationFacts(NamedTuple):
    """What decides a `Summation`, from one pass over the answers; the facts of parts combine (`combined`) into the
    facts of the whole, so a table scored part by part adds exactly as the whole table would."""

    low: float | None  # the smallest and largest weight (None without any)
    high: float | None
    missing: int  # rows without a weight
    rows: int
    largest: float | None  # the largest applicable |value|
    whole: bool  # every applicable value a whole number
    weighted: bool  # the answers have a weight column


def summation_facts(answers: Frame) -> SummationFacts:
    """The `SummationFacts` of `answers`: one cheap pass over the weights and values."""
    answers = answers.lazy()
    schema = answers.collect_schema()
    value = pl.col("value").filter(_applicable())
    w = pl.col("weight") if "weight" in schema else pl.lit(None, pl.Float64)
    low, high, missing, rows, largest, whole = (
        answers.select(
            w.min().alias("low"),
            w.max().alias("high"),
            w.null_count().alias("missing"),
            pl.len().alias("rows"),
            value.abs().max().alias("largest"),
            (value == value.round()).all().alias("whole"),
        )
        .collect()
        .row(0)
    )
    return SummationFacts(low, high, int(missing), int(rows), largest, bool(whole), "weight" in schema)


def combined(parts: Sequence[SummationFacts]) -> SummationFacts:
    """The facts of the answers of all `parts` together (at least one)."""

    def present(values: list[float | None]) -> list[float]:
        return [v for v in values if v is not None]

    lows, highs = present([p.low for p in parts]), present([p.high for p in parts])
    largest = present([p.largest for p in parts])
    return SummationFacts(
        min(lows) if lows else None,
        max(highs) if highs else None,
        sum(p.missing for p in parts),
        sum(p.rows for p in parts),
        max(largest) if largest else None,
        all(p.whole for p in parts),
        all(p.weighted for p in parts),
    )


def summation_of(facts: SummationFacts, weighted: bool | None, level: Level) -> Summation:
    """How answers with these `facts` are summed (`Summation`).

    Weights are divided by the largest one: every statistic is the same for weights multiplied by a constant, and
    weights of at most 1 keep fixed-point terms in range. Plain float sums are kept only where they are exact
    anyway: unweighted whole-number answers at item level.
    """
    low, high, missing, rows, largest, whole, has_weight = facts
    equal = has_weight and not missing and low == high and high is not None and high > 0
    # A respondent without a weight counts as an unweighted one.
    top = max(high if high is not None and high > 0 else 1.0, 1.0 if missing else 0.0)
    if weighted is False or (weighted is None and (not has_weight or equal)):
        # Weights that are all equal change no statistic, so the cheaper unweighted sums are used; `weight_total`
        # is still Σw: n times the common weight (n when weights are ignored or absent).
        common = top if equal and weighted is None else 1.0
        scale = None if whole and level == "item" else fixed_point_scale(rows, max(largest or 0.0, 100.0))
        return Summation(None, scale, common)
    weight = pl.col("weight").fill_null(1.0) / top
    return Summation(weight, fixed_point_scale(rows, max(largest or 0.0, 100.0)), top)


def matching_keys(catalogue: Frame, answers: pl.LazyFrame) -> pl.LazyFrame:
    """The catalogue with `instrument` and `item` in the answers' dtype.

    A snapshot may store key columns dictionary-encoded (Categorical), which halves the cost of grouping
    10M answers; a join needs both sides in the same dtype.
    """
    schema, catalogue = answers.collect_schema(), catalogue.lazy()
    present = catalogue.collect_schema()
    return catalogue.with_columns(
        pl.col(c).cast(schema[c]) for c in ("instrument", "item", "section") if c in schema and c in present
    )


def strings(keys: Sequence[str]) -> list[pl.Expr]:
    """Grouping columns back to plain text on the small result frame: the output contract is String."""
    return [pl.col(k).cast(pl.String) for k in keys]


def _item_sums(answers: pl.LazyFrame, catalogue: pl.DataFrame, keys: list[str], summation: Summation) -> pl.LazyFrame:
    """Sums per group of item answers, with the top-box, bottom-box and detractor counts.

    Where a box starts depends on the item's scale. Rather than joining the catalogue onto every answer, each
    distinct threshold of the catalogue (a handful: 4 for 1–5 ratings, 9 for NPS, …) is counted for every
    group, and the aggregated frame — where the item is a grouping key — picks the count its scale needs.
    """
    thresholds = _thresholds(catalogue).collect()
    x = pl.col("value")
    # Box name, threshold column, and whether the box lies at or above the threshold (else at or below).
    boxes = [("top", "_top_from", True), ("bottom", "_bottom_to", False), ("det", "_detractor_to", False)]
    counts: dict[str, pl.Expr] = {}
    picks: list[pl.Expr] = []
    for box, column, upper in boxes:
        levels = thresholds[column].drop_nulls().unique().sort().to_list()
        counts |= {f"_{box}_{i}": (x >= t) if upper else (x <= t) for i, t in enumerate(levels)}
        chosen = [pl.when(pl.col(column) == t).then(pl.col(f"_{box}_{i}")) for i, t in enumerate(levels)]
        picks.append((pl.coalesce(chosen) if chosen else pl.lit(None, pl.Float64)).alias(f"_sw{box}"))
    scales = (
        matching_keys(catalogue, answers)
        .filter(pl.col("type").is_in(NUMERIC_TYPES))
        .join(matching_keys(thresholds, answers), on=["instrument", "item"], how="left")
        .select(
            "instrument",
            "item",
            "_top_from",
            "_bottom_to",
            "_detractor_to",
            _min=pl.col("scale_min"),
            _max=pl.col("scale_max"),
            _has_top=pl.col("type").is_in(SCALED_TYPES),
            _is_nps=pl.col("type") == "nps",
            _is_share=pl.col("type") == "yes_no",
        )
    )
    return (
        answers.select(*keys, "value", "na", *(["weight"] if summation.weight is not None else []))
        .filter(_applicable())
        .group_by(keys)
        .agg(sufficient_sums(x, summation.weight, summation.scale, counts=counts))
        .join(scales, on=["instrument", "item"], how="inner")
        .with_columns(picks)
    )


def item_scores_0_100(answers: Frame, catalogue: Frame) -> pl.LazyFrame:
    """Every answer to a scaled item with its 0–100 score (`_score`, null when N/A or missing) and the weight
    it carries inside its section (`_item_weight`: the item weight, times a yes/no item's points)."""
    answers = answers.lazy()
    items = matching_keys(catalogue, answers).filter(
        pl.col("type").is_in(SCALED_TYPES) & pl.col("scored").fill_null(True)
    )
    # A yes/no item's points scale its weight: `weight: 3` triples it as it triples a rating's.
    item_weight = pl.col("_iw").fill_null(1.0) * pl.when(pl.col("type") == "yes_no").then(pl.col("points")).fill_null(
        1.0
    )
    return (
        answers.lazy()
        .join(
            items.select("instrument", "item", "type", "scale_min", "scale_max", "points", _iw=pl.col("weight")),
            on=["instrument", "item"],
            how="inner",
        )
        .with_columns(
            _score=pl.when(_applicable()).then(to_index(pl.col("value"), pl.col("scale_min"), pl.col("scale_max"))),
            _item_weight=item_weight,
        )
    )


# A respondent's score sums a few dozen 0–100 scores times item weights: 2⁴⁰ keeps them to 1e-12, far from overflow.
_RESPONDENT_SCALE: Final[float] = 2.0**40


def _weighted_mean(x: pl.Expr, w: pl.Expr) -> pl.Expr:
    """Σwx/Σw over the rows where x is not null (exact sums); null when there are none (never 0)."""
    w_present = pl.when(x.is_not_null()).then(w)
    total = exact_sum(w_present, _RESPONDENT_SCALE)
    return pl.when(total > 0).then(exact_sum(x * w_present, _RESPONDENT_SCALE) / total)


def respondent_scores(
    answers: Frame,
    catalogue: Frame,
    level: Level = "overall",
    keep: Sequence[str] = ("organisation", "unit", "segment"),
) -> pl.LazyFrame:
    """One 0–100 score per respondent (level ``overall``) or per respondent and section (``section``).

    Columns: `instrument, wave, *keep, response_id, [section], score, weight`. A section without an applicable
    answer has a null score; a respondent's overall score is null only when every section is.
    """
    if level == "item":
        raise ValueError("level: respondent scores exist for sections and overall, not items")
    respondent = ["instrument", "wave", *keep, "response_id"]
    sections = (
        item_scores_0_100(answers, catalogue)
        .group_by([*respondent, "section"])
        .agg(
            score=_weighted_mean(pl.col("_score"), pl.col("_item_weight")),
            weight=pl.col("weight").first().fill_null(1.0),
        )
    )
    if level == "section":
        return sections
    section_weights = (
        matching_keys(catalogue, answers.lazy())
        .group_by("instrument", "section")
        .agg(_sw=pl.col("section_weight").first())
    )
    return (
        sections.join(section_weights, on=["instrument", "section"], how="left")
        .group_by(respondent)
        .agg(score=_weighted_mean(pl.col("score"), pl.col("_sw").fill_null(1.0)), weight=pl.col("weight").first())
    )


def _respondent_sums(
    answers: Frame, catalogue: Frame, keys: list[str], level: Level, summation: Summation
) -> pl.LazyFrame:
    keep = [k for k in keys if k not in ("instrument", "wave", "section")]
    none = pl.lit(None, dtype=pl.Float64)
    return (
        respondent_scores(answers, catalogue, level, keep)
        .filter(pl.col("score").is_not_null())
        .group_by(keys)
        .agg(sufficient_sums(pl.col("score"), summation.weight, summation.scale, counts={}))
        .with_columns(
            _swtop=none,
            _swbottom=none,
            _swdet=none,
            _min=pl.lit(0.0),
            _max=pl.lit(100.0),
            _has_top=pl.lit(False),
            _is_nps=pl.lit(False),
            _is_share=pl.lit(False),
        )
    )
