"""SVG charts from the scoring core's frames: pure functions, frame (or a few numbers) in, SVG text out.

The same functions serve the PDF reports and, later, the web dashboards. Colours come from the Okabe–Ito
palette, which stays distinguishable with the common colour-vision deficiencies. Text inside an SVG costs
WeasyPrint about 1.3 ms per element, so charts label only what the adjacent table does not already say:
bars carry no text (their values stand in the table row beside them); plots label their points sparingly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Final

import polars as pl

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO: Final[dict[str, str]] = {
    "black": "#000000",
    "orange": "#e69f00",
    "sky_blue": "#56b4e9",
    "green": "#009e73",
    "yellow": "#f0e442",
    "blue": "#0072b2",
    "vermillion": "#d55e00",
    "purple": "#cc79a7",
}
# 1 → 5: a diverging scale from vermillion through grey to blue, readable without red–green contrast.
SCALE_COLOURS: Final[tuple[str, ...]] = ("#d55e00", "#e69f00", "#c8c8c8", "#56b4e9", "#0072b2")
SERIES_COLOURS: Final[tuple[str, ...]] = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
GRID: Final[str] = "#d9dde2"
INK: Final[str] = "#3c4148"
# The report's embedded font (its @font-face name); a web page's CSS overrides this presentation attribute.
FONT: Final[str] = "Report Sans"
Formatter = Callable[[float], str]


def _svg(width: float, height: float, body: str, label: str) -> str:
    """The chart's SVG; ``label`` is its accessible name in the report's language (``chart.*`` of
    ``servicescore.texts``), the alt text of the PDF's image."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}" font-family="{FONT}" role="img" aria-label="{escape(label)}">{body}</svg>'
    )


def _x(value: float, width: float, low: float = 0.0, high: float = 100.0) -> float:
    return round((min(max(value, low), high) - low) / (high - low) * width, 2)


def interval_bar(
    index: float | None,
    low: float | None,
    high: float | None,
    peer_mean: float | None = None,
    *,
    name: str,
    colour: str = SERIES_COLOURS[0],
    peer_colour: str = OKABE_ITO["orange"],
    width: float = 200,
    height: float = 16,
) -> str:
    """One index on a 0–100 track: a bar, its 95 % interval as a whisker, the peer mean as a tick.

    A suppressed group (index None) draws the empty track only: no bar, no figure.
    """
    mid = height / 2
    parts = [f'<rect x="0" y="{mid - 3:g}" width="{width:g}" height="6" fill="#eef0f3"/>']
    parts += [f'<line x1="{_x(v, width)}" x2="{_x(v, width)}" y1="1" y2="{height - 1:g}" stroke="{GRID}" '
              'stroke-width="0.6"/>' for v in (25, 50, 75)]  # fmt: skip
    if index is not None:
        parts.append(f'<rect x="0" y="{mid - 4:g}" width="{_x(index, width)}" height="8" fill="{colour}" rx="1"/>')
        if low is not None and high is not None:
            x1, x2 = _x(low, width), _x(high, width)
            parts.append(
                f'<path d="M{x1} {mid}H{x2}M{x1} {mid - 3}V{mid + 3}M{x2} {mid - 3}V{mid + 3}" stroke="{INK}" '
                'stroke-width="1.2" fill="none"/>'
            )
    if peer_mean is not None:
        x = _x(peer_mean, width)
        parts.append(f'<path d="M{x} 0V{height:g}" stroke="{peer_colour}" stroke-width="2.4"/>')
    return _svg(width, height, "".join(parts), name)


def distribution_bar(
    shares: Sequence[float | None],
    *,
    name: str,
    width: float = 200,
    height: float = 14,
    fmt: Formatter | None = None,
) -> str:
    """Shares (0–100) of the answers 1…5 stacked left to right; segments of 12 % or more carry their value."""
    parts: list[str] = []
    x = 0.0
    for share, colour in zip(shares, SCALE_COLOURS, strict=True):
        if not share:
            continue
        w = share / 100 * width
        parts.append(f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="{height:g}" fill="{colour}"/>')
        if fmt is not None and share >= 12:
            ink = "#ffffff" if colour in (SCALE_COLOURS[0], SCALE_COLOURS[4]) else "#1f2328"
            parts.append(
                f'<text x="{x + w / 2:.2f}" y="{height / 2 + 3.2:.2f}" font-size="8.5" text-anchor="middle" '
                f'fill="{ink}">{escape(fmt(share))}</text>'
            )
        x += w
    return _svg(width, height, "".join(parts), name)


def trend_chart(
    frame: pl.DataFrame,
    *,
    name: str,
    fmt: Formatter,
    colours: dict[str, str] | None = None,
    dashed: Sequence[str] = (),
    width: float = 460,
    height: float = 190,
) -> str:
    """Index by wave, one line per series: ``frame`` has columns ``wave, series, index`` (null: not shown).

    Every shown point is labelled with its value; ``dashed`` series (the peer mean) are drawn dashed.
    """
    waves = sorted(frame.get_column("wave").unique().to_list())
    series = frame.get_column("series").unique(maintain_order=True).to_list()
    colours = colours or {}
    values = [v for v in frame.get_column("index").to_list() if v is not None]
    low = max(0.0, (min(values) // 10) * 10 - 10) if values else 0.0
    high = min(100.0, (max(values) // 10) * 10 + 10) if values else 100.0
    left, right, top, bottom = 34.0, 40.0, 10.0, 24.0
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(waves) - 1)

    def px(i: int) -> float:
        return left + (i * step if len(waves) > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    parts: list[str] = []
    for tick in (low, (low + high) / 2, high):  # tens and their midpoint: whole numbers, written without decimals
        y = py(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 5}" y="{y + 3:.1f}" font-size="8" text-anchor="end" fill="{INK}">'
                     f"{tick:.0f}</text>")  # fmt: skip
    for i, wave in enumerate(waves):
        parts.append(f'<text x="{px(i):.1f}" y="{height - 6}" font-size="8.5" text-anchor="middle" fill="{INK}">'
                     f"{escape(wave)}</text>")  # fmt: skip
    for s, line in enumerate(series):
        colour = colours.get(line, SERIES_COLOURS[s % len(SERIES_COLOURS)])
        rows = frame.filter(pl.col("series") == line)
        points = [(waves.index(w), v) for w, v in zip(rows["wave"], rows["index"], strict=True) if v is not None]
        if not points:
            continue
        dash = ' stroke-dasharray="4 3"' if line in dashed else ""
        path = "".join(f"{'M' if k == 0 else 'L'}{px(i):.1f} {py(v):.1f}" for k, (i, v) in enumerate(points))
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for i, v in points:
            parts.append(f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="2.8" fill="{colour}"/>')
            if line not in dashed:
                parts.append(f'<text x="{px(i):.1f}" y="{py(v) - 6:.1f}" font-size="8.5" text-anchor="middle" '
                             f'fill="{colour}" font-weight="600">{escape(fmt(v))}</text>')  # fmt: skip
    return _svg(width, height, "".join(parts), name)


STANDING_FILLS: Final[dict[str, str]] = {"improve": OKABE_ITO["vermillion"], "level": "#ffffff"}


def quadrant_chart(
    frame: pl.DataFrame,
    *,
    name: str,
    own_mean: float,
    axis_labels: tuple[str, str],
    own_label: str,
    fmt: Formatter,
    tick: Formatter,
    colour: str = SERIES_COLOURS[0],
    width: float = 420,
    height: float = 260,
) -> str:
    """Importance–performance: ``frame`` has ``number, importance, performance, index_ci_low, index_ci_high,
    standing``; the vertical line is the organisation's own level ``own_mean`` (`scoring.standing`), the
    horizontal one the mean importance. Each point carries its number (the table beside the chart names the item)
    and its 95 % interval as a whisker, so a point whose whisker crosses the own level is visibly "in line";
    strengths are filled in ``colour``, areas to improve in vermillion, the rest hollow. The axes carry their
    end values, whole tens and fives written by ``tick`` ("80", never "80,0"), and the lines theirs by ``fmt``."""
    left, right, top, bottom = 30.0, 8.0, 14.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    rows = frame.drop_nulls(["importance", "performance"])
    if rows.height == 0:
        return _svg(width, height, "", name)
    imp: list[float] = rows.get_column("importance").to_list()
    ends: list[float] = [own_mean]
    for column in ("performance", "index_ci_low", "index_ci_high"):
        ends += rows.get_column(column).drop_nulls().to_list()
    i_lo = max(0.0, math.floor(min(imp) / 5) * 5.0)
    i_hi = max(i_lo + 5.0, math.ceil(max(imp) / 5) * 5.0)  # importance in % of R²: whole fives
    p_lo, p_hi = _nice_range(min(ends), max(ends))

    def px(p: float) -> float:
        return left + (p - p_lo) / (p_hi - p_lo) * plot_w

    def py(i: float) -> float:
        return top + plot_h - (i - i_lo) / (i_hi - i_lo) * plot_h

    mean_i = sum(imp) / len(imp)
    parts = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GRID}"/>',
        f'<line x1="{px(own_mean):.1f}" x2="{px(own_mean):.1f}" y1="{top}" y2="{top + plot_h}" stroke="{INK}" '
        'stroke-dasharray="3 3" stroke-width="0.8"/>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{py(mean_i):.1f}" y2="{py(mean_i):.1f}" stroke="{INK}" '
        'stroke-dasharray="3 3" stroke-width="0.8"/>',
        f'<text x="{px(own_mean):.1f}" y="{top - 4}" font-size="8" text-anchor="middle" fill="{INK}">'
        f"{escape(own_label)} {escape(fmt(own_mean))}</text>",
    ]
    for value, anchor in ((p_lo, "start"), (p_hi, "end")):
        parts.append(f'<text x="{px(value):.1f}" y="{top + plot_h + 11:.1f}" font-size="8" text-anchor="{anchor}" '
                     f'fill="{INK}">{escape(tick(value))}</text>')  # fmt: skip
    for value, write in ((i_lo, tick), (mean_i, fmt), (i_hi, tick)):
        parts.append(f'<text x="{left - 4}" y="{py(value) + 3:.1f}" font-size="8" text-anchor="end" fill="{INK}">'
                     f"{escape(write(value))}</text>")  # fmt: skip
    for number, i, p, low, high, kind in rows.select(
        "number", "importance", "performance", "index_ci_low", "index_ci_high", "standing"
    ).iter_rows():
        x, y = px(p), py(i)
        if low is not None and high is not None:
            parts.append(f'<path d="M{px(low):.1f} {y:.1f}H{px(high):.1f}" stroke="{INK}" stroke-width="1"/>')
        fill = STANDING_FILLS.get(str(kind), colour)
        ink = colour if fill == "#ffffff" else "#ffffff"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{fill}" stroke="{colour}" stroke-width="1.2"/>')
        parts.append(f'<text x="{x:.1f}" y="{y + 3:.1f}" font-size="8.5" text-anchor="middle" '
                     f'fill="{ink}" font-weight="700">{number}</text>')  # fmt: skip
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" font-size="8.5" text-anchor="middle" '
                 f'fill="{INK}">{escape(axis_labels[0])}</text>')  # fmt: skip
    parts.append(f'<text x="9" y="{top + plot_h / 2}" font-size="8.5" text-anchor="middle" fill="{INK}" '
                 f'transform="rotate(-90 9 {top + plot_h / 2})">{escape(axis_labels[1])}</text>')  # fmt: skip
    return _svg(width, height, "".join(parts), name)


def mirror_scatter(
    frame: pl.DataFrame,
    *,
    name: str,
    axis_labels: tuple[str, str],
    tick: Formatter,
    colour: str = SERIES_COLOURS[0],
    width: float = 420,
    height: float = 260,
) -> str:
    """Units as points: ``frame`` has ``number, employee, customer, highlight``; highlighted units (the
    organisation's own) are coloured and carry their number, which the table beside the chart names; the
    others are grey and nameless (anonymised peers). The axes carry their end values (whole tens) by ``tick``."""
    rows = frame.drop_nulls(["employee", "customer"])
    left, right, top, bottom = 34.0, 10.0, 10.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    if rows.height == 0:
        return _svg(width, height, "", name)
    e_lo, e_hi = _nice_range(rows["employee"].min(), rows["employee"].max())  # type: ignore[arg-type]  # numeric columns
    c_lo, c_hi = _nice_range(rows["customer"].min(), rows["customer"].max())  # type: ignore[arg-type]  # numeric columns

    def px(e: float) -> float:
        return left + (e - e_lo) / (e_hi - e_lo) * plot_w

    def py(c: float) -> float:
        return top + plot_h - (c - c_lo) / (c_hi - c_lo) * plot_h

    parts = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GRID}"/>']
    for value, anchor in ((e_lo, "start"), (e_hi, "end")):
        parts.append(f'<text x="{px(value):.1f}" y="{top + plot_h + 11:.1f}" font-size="8" text-anchor="{anchor}" '
                     f'fill="{INK}">{escape(tick(value))}</text>')  # fmt: skip
    for value in (c_lo, c_hi):
        parts.append(f'<text x="{left - 4}" y="{py(value) + 3:.1f}" font-size="8" text-anchor="end" fill="{INK}">'
                     f"{escape(tick(value))}</text>")  # fmt: skip
    ordered = rows.sort("highlight")  # own units drawn last, on top
    for number, e, c, own in ordered.select("number", "employee", "customer", "highlight").iter_rows():
        if not own:
            parts.append(f'<circle cx="{px(e):.1f}" cy="{py(c):.1f}" r="4" fill="#9aa3ad" fill-opacity="0.7"/>')
            continue
        parts.append(f'<circle cx="{px(e):.1f}" cy="{py(c):.1f}" r="7" fill="{colour}" stroke="#ffffff"/>')
        parts.append(f'<text x="{px(e):.1f}" y="{py(c) + 3:.1f}" font-size="8.5" text-anchor="middle" '
                     f'fill="#ffffff" font-weight="700">{number}</text>')  # fmt: skip
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 4}" font-size="8.5" text-anchor="middle" '
                 f'fill="{INK}">{escape(axis_labels[0])}</text>')  # fmt: skip
    parts.append(f'<text x="9" y="{top + plot_h / 2}" font-size="8.5" text-anchor="middle" fill="{INK}" '
                 f'transform="rotate(-90 9 {top + plot_h / 2})">{escape(axis_labels[1])}</text>')  # fmt: skip
    return _svg(width, height, "".join(parts), name)


def _nice_range(low: float, high: float) -> tuple[float, float]:
    """An axis from the tens below ``low`` to the tens above ``high`` with room for a point's radius."""
    return max(0.0, math.floor((low - 2) / 10) * 10), min(100.0, math.ceil((high + 2) / 10) * 10)
