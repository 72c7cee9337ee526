"""Checking every answer of a file against its instrument, column-wise: each check is a Polars condition, and
the rows it flags become `Problem`s. No Python loop runs over rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from servicescore.interchange.reading import ROW, Problem
from servicescore.scoring import ANSWER_SCHEMA

_UUID: Final[str] = r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
_TRUE: Final[list[str]] = ["true", "1", "yes", "ja", "x", "sant"]
_FALSE: Final[list[str]] = ["false", "0", "no", "nej", "falskt"]
_YES_NO: Final[dict[str, str]] = {"yes": "1", "ja": "1", "true": "1", "no": "0", "nej": "0", "false": "0"}
_TIME_FORMATS: Final[tuple[str, ...]] = (
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.fZ",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
)
# Response-level columns: every row of one response must agree on them.
_PER_RESPONSE: Final[tuple[str, ...]] = (
    "instrument",
    "wave",
    "organisation",
    "unit",
    "submitted_at",
    "segment",
    "weight",
)
_LENGTHS: Final[dict[str, int]] = {"wave": 40, "organisation": 200, "unit": 200, "segment": 80}
_KEY_SEPARATOR: Final[str] = "\n"
_INDEX: Final[str] = "_index"  # a row's position in the parsed frame
# A response's first row in the file (`_first`: the position of its response's first row, set in `_parsed`).
_FIRST_ROW: Final[pl.Expr] = pl.col(_INDEX) == pl.col("_first")
NUMERIC: Final[list[str]] = ["rating", "nps", "yes_no", "number", "duration"]


@dataclass(frozen=True)
class Check:
    condition: pl.Expr
    column: pl.Expr
    message: pl.Expr
    # A cheaper condition that holds in some row exactly when `condition` does (or another check fails anyway),
    # for the pass that decides whether the file has any problem at all.
    screen: pl.Expr | None = None


def _q(column: str) -> pl.Expr:
    """A cell's text in double quotes, for messages."""
    return pl.lit('"') + pl.col(column).fill_null("") + pl.lit('"')


def _parse_time(column: pl.Expr) -> pl.Expr:
    return pl.coalesce(
        *(column.str.to_datetime(f, time_zone="UTC", time_unit="us", strict=False) for f in _TIME_FORMATS),
        column.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")).dt.replace_time_zone("UTC"),
    )


def _by_distinct(column: str, parse: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """`parse` of each distinct value of a response-level column, given back to every row that holds it: a response's
    11 answers repeat its cell. Parsing a time tries eight formats (1.1M answers: 0.52 -> 0.17 CPU s); the ids'
    intermediate strings, made per row, were the largest of the check."""
    distinct = pl.col(column).unique(maintain_order=True).drop_nulls()
    return pl.col(column).replace_strict(distinct, parse(distinct), default=None)


def _per_response(column: str, parse: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """`parse` of the cell in each response's first row (`_first`), given to every row of the response: its rows
    hold the same response id, so the id is parsed 100,000 times for 1.1M answers and given out by position, where
    `_by_distinct` looks each row's text up among the distinct ones (0.39 s against 0.1 s for the ids)."""
    ordinal = _FIRST_ROW.cast(pl.UInt32).cum_sum() - 1  # a first row's place among the first rows
    return parse(pl.col(column).filter(_FIRST_ROW)).gather(ordinal.gather(pl.col("_first")))


def _canonical_uuid(text: pl.Expr) -> pl.Expr:
    """A UUID as the database keeps it: lower case with its four hyphens (a file may omit them or shout)."""
    plain = text.str.strip_chars().str.to_lowercase().str.replace_all("-", "")
    return pl.concat_str(
        plain.str.slice(0, 8),
        plain.str.slice(8, 4),
        plain.str.slice(12, 4),
        plain.str.slice(16, 4),
        plain.str.slice(20, 12),
        separator="-",
    )


def _with_rules(long: pl.LazyFrame, rules: pl.DataFrame) -> pl.LazyFrame:
    """Each answer with its item's rule (null columns for an unknown instrument or item) and `_rule`, the rule's
    position. The rule's columns are gathered by that position rather than joined: a join copies every column of
    the answers, 350 MB of the 1.2 GB that checking 1.1M answers took at its peak. No instrument or item id holds
    the key's separator, so a key matches only its own pair."""
    keys = rules.select(pl.concat_str("instrument", "item", separator=_KEY_SEPARATOR)).to_series().to_list()
    position = pl.concat_str("instrument", "item", separator=_KEY_SEPARATOR).replace_strict(
        {key: index for index, key in enumerate(keys)}, default=None, return_dtype=pl.UInt32
    )
    return long.with_columns(_rule=position).with_columns(
        pl.lit(rules.get_column(name)).gather(pl.col("_rule")).alias(name)
        for name in rules.columns
        if name not in ("instrument", "item")
    )


def _parsed(long: pl.LazyFrame, rules: pl.DataFrame) -> pl.LazyFrame:
    value = pl.col("value").str.strip_chars()
    lower = value.str.to_lowercase()
    is_yes_no = pl.col("type") == "yes_no"
    number_text = (
        pl.when(is_yes_no & lower.is_in(list(_YES_NO)))
        .then(lower.replace(_YES_NO))
        .otherwise(value)
        # A decimal comma from a Swedish spreadsheet: "4,5".
        .str.replace(r"^(-?\d+),(\d+)$", "$1.$2")
    )
    na = pl.col("na").str.strip_chars().str.to_lowercase()
    return (
        _with_rules(long.with_row_index(_INDEX), rules)
        .with_columns(
            _value=number_text.cast(pl.Float64, strict=False),
            _na=pl.when(na.is_null()).then(False).when(na.is_in(_TRUE)).then(True).when(na.is_in(_FALSE)).then(False),
            _submitted=_by_distinct("submitted_at", lambda column: _parse_time(column.str.strip_chars())),
            _weight=pl.col("weight").str.strip_chars().cast(pl.Float64, strict=False),
        )
        .with_columns(
            _first=pl.col(_INDEX).first().over("response_id"),
        )
        .with_columns(
            _first_row=pl.col(ROW).gather(pl.col("_first")), _rid=_per_response("response_id", _canonical_uuid)
        )
    )


def _answer_key() -> pl.Expr:
    """(response, item) as one integer: the position of the response's first row and the item's rule position (the
    response id's categorical code took 0.25 s at 1.1M answers, the position 0.03 s)."""
    return pl.col("_first").cast(pl.UInt64) * (1 << 32) + pl.col("_rule").cast(pl.UInt64)


def _checks(known_instruments: Sequence[str], instrument_option: str | None) -> list[Check]:
    lit = pl.lit
    known = pl.col("instrument").is_in(list(known_instruments))
    item_known = pl.col("type").is_not_null()
    has_value = pl.col("value").is_not_null()
    numeric = pl.col("type").is_in(NUMERIC)
    textual = pl.col("type").is_in(["text", "choice", "photo"])
    v = pl.col("_value")
    text_length = pl.col("text").str.len_chars()
    choices = pl.col("text").str.split(";").list.eval(pl.element().str.strip_chars())
    checks = [
        Check(pl.col("response_id").is_null(), lit("response_id"), lit("is empty")),
        Check(
            pl.col("response_id").is_not_null() & ~pl.col("response_id").str.strip_chars().str.contains(_UUID),
            lit("response_id"),
            _q("response_id") + lit(" is not a UUID (like 0b6f1c1e-5a43-4cf1-9a6e-2f5d8d3f7a10)"),
            # The rows of a response hold the same id: its first row tells (0.14 -> 0.02 s at 1.1M answers).
            screen=~pl.col("response_id").filter(_FIRST_ROW).str.strip_chars().str.contains(_UUID),
        ),
        Check(pl.col("instrument").is_null(), lit("instrument"), lit("is empty (give it here or with --instrument)")),
        Check(
            pl.col("instrument").is_not_null() & ~known,
            lit("instrument"),
            lit("unknown instrument ") + _q("instrument") + lit(f"; known: {', '.join(sorted(known_instruments))}"),
        ),
        Check(pl.col("item").is_null(), lit("item"), lit("is empty")),
        Check(
            known & pl.col("item").is_not_null() & ~item_known,
            pl.when(pl.col("_col_value") == "value").then(lit("item")).otherwise(pl.col("_col_value")),
            lit("instrument ") + _q("instrument") + lit(" has no item ") + _q("item"),
        ),
        Check(
            numeric & has_value & v.is_null(),
            pl.col("_col_value"),
            _q("value") + lit(" is not a number"),
        ),
        Check(
            textual & has_value,
            pl.col("_col_value"),
            lit("a ") + pl.col("type") + lit(" item takes its answer in text, not value"),
        ),
        Check(
            pl.col("integer").fill_null(False) & v.is_not_null() & (v != v.round(0)),
            pl.col("_col_value"),
            lit("must be a whole number (got ") + pl.col("value").str.strip_chars() + lit(")"),
        ),
        Check(
            v.is_not_null() & ((v < pl.col("low")).fill_null(False) | (v > pl.col("high")).fill_null(False)),
            pl.col("_col_value"),
            lit("must be ") + pl.col("bounds") + lit(" (got ") + pl.col("value").str.strip_chars() + lit(")"),
        ),
        Check(
            pl.col("na").is_not_null() & pl.col("_na").is_null(),
            pl.col("_col_na"),
            _q("na") + lit(" is not true or false"),
        ),
        Check(
            item_known & pl.col("_na").fill_null(False) & ~pl.col("na_allowed"),
            pl.col("_col_na"),
            lit("item ") + _q("item") + lit(" does not allow N/A"),
        ),
        Check(
            pl.col("_na").fill_null(False) & has_value,
            pl.col("_col_value"),
            lit("a value and N/A at once; give one of them"),
        ),
        Check(
            item_known & ~has_value & ~pl.col("_na").fill_null(False) & pl.col("text").is_null(),
            pl.col("_col_value"),
            lit("no value, N/A or text"),
        ),
        Check(
            item_known & (text_length > pl.col("max_length")),
            pl.col("_col_text"),
            lit("longer than ")
            + pl.col("max_length").cast(pl.String)
            + lit(" characters (")
            + text_length.cast(pl.String)
            + lit(")"),
        ),
        Check(
            (pl.col("type") == "choice")
            & pl.col("text").is_not_null()
            & (choices.list.set_difference(pl.col("choices")).list.len() > 0),
            pl.col("_col_text"),
            _q("text") + lit(" is not among the choices: ") + pl.col("choices").list.join(", "),
        ),
        Check(
            (pl.col("type") == "choice") & ~pl.col("multiple") & (choices.list.len() > 1),
            pl.col("_col_text"),
            lit("item ") + _q("item") + lit(" takes one choice"),
        ),
        Check(
            pl.col("type").is_in(NUMERIC) & pl.col("text").is_not_null() & ~pl.col("comment"),
            pl.col("_col_text"),
            lit("item ") + _q("item") + lit(" takes no comment"),
        ),
        Check(pl.col("type") == "photo", pl.col("_col_value"), lit("photo answers cannot be imported from a file")),
        Check(
            pl.col("submitted_at").is_not_null() & pl.col("_submitted").is_null(),
            lit("submitted_at"),
            _q("submitted_at") + lit(" is not a date and time (like 2026-03-01T14:05:00Z)"),
        ),
        Check(
            pl.col("weight").is_not_null() & ~(pl.col("_weight") > 0).fill_null(False),
            lit("weight"),
            _q("weight") + lit(" is not a positive number"),
        ),
        Check(
            pl.col("item").is_not_null() & (pl.col(ROW) != pl.col(ROW).first().over("response_id", "item")),
            pl.when(pl.col("_col_value") == "value").then(lit("item")).otherwise(pl.col("_col_value")),
            lit("item ")
            + _q("item")
            + lit(" is answered twice in this response (also in row ")
            + pl.col(ROW).first().over("response_id", "item").cast(pl.String)
            + lit(")"),
            # Answers of known items, keyed by two integers: the window over two text columns held 190 MB at 1.1M
            # answers. An unknown item fails its own check.
            screen=pl.col("_rule").is_not_null() & _answer_key().is_duplicated(),
        ),
    ]
    for column in ("wave", "organisation", "unit"):
        checks.append(Check(pl.col(column).is_null(), lit(column), lit("is empty")))
    for column, limit in _LENGTHS.items():
        checks.append(
            Check(pl.col(column).str.len_chars() > limit, lit(column), lit(f"longer than {limit} characters"))
        )
    for column in _PER_RESPONSE:
        # The response's first row found once (`_first`) and gathered per column: a window per column cost 7 times
        # as much.
        first = pl.col(column).gather(pl.col("_first"))
        checks.append(
            Check(
                pl.col("response_id").is_not_null() & pl.col(column).ne_missing(first),
                lit(column),
                lit("differs from row ")
                + pl.col("_first_row").cast(pl.String)
                + lit(" of the same response (")
                + pl.when(first.is_null()).then(lit("empty")).otherwise(lit('"') + first + lit('"'))
                + lit(" there)"),
            )
        )
    if instrument_option is not None:
        checks.append(
            Check(
                pl.col("instrument") != instrument_option,
                lit("instrument"),
                _q("instrument") + lit(f' but --instrument is "{instrument_option}"'),
            )
        )
    return checks


def _problems(parsed: pl.DataFrame, checks: Sequence[Check]) -> list[Problem]:
    """Every check's hits in row order. Most files are clean: the conditions alone say so, and the messages are
    built only when one holds. The conditions are asked in one streaming query: in memory their 1.1M-row
    intermediates were all held at once (140-180 MB, the import's peak), and one at a time they took 0.51 s against
    0.33 s, with the same 35-50 MB."""
    screens = (check.condition if check.screen is None else check.screen for check in checks)
    asked = parsed.lazy().select(screen.fill_null(False).any().alias(str(n)) for n, screen in enumerate(screens))
    if not any(asked.collect(engine="streaming").row(0)):
        return []
    flagged = (
        pl.concat(
            [
                # Messages are computed before filtering, so windows (`over`) see every row of a response.
                parsed.lazy()
                .select(
                    pl.col(ROW),
                    column=check.column.cast(pl.String),
                    message=check.message,
                    _check=pl.lit(order),
                    _hit=check.condition.fill_null(False),
                )
                .filter(pl.col("_hit"))
                .drop("_hit")
                for order, check in enumerate(checks)
            ]
        )
        .sort(ROW, "_check")
        .collect()
    )
    return [Problem(row, column, message) for row, column, message, _ in flagged.iter_rows()]


def validate(
    long: pl.LazyFrame, rules: pl.DataFrame, instrument_option: str | None = None
) -> tuple[pl.DataFrame, list[Problem]]:
    """The answers in `ANSWER_SCHEMA` (section null: the database knows it) plus `_row`, and every problem."""
    known = rules.get_column("instrument").unique().to_list()
    parsed = _parsed(long, rules).collect()
    problems = _problems(parsed, _checks(known, instrument_option))
    clean = parsed.select(
        pl.col("_rid").alias("response_id"),
        "instrument",
        "wave",
        "organisation",
        "unit",
        "segment",
        pl.lit(None, pl.String).alias("section"),
        "item",
        pl.col("_value").alias("value"),
        pl.col("_na").fill_null(False).alias("na"),
        "text",
        pl.col("_submitted").alias("submitted_at"),
        pl.col("_weight").fill_null(1.0).alias("weight"),
        ROW,
    ).cast(pl.Schema(ANSWER_SCHEMA))
    return clean, problems
