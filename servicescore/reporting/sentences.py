"""The executive summary's sentences, written from the numbers (no sentence states what the numbers do not)."""

from __future__ import annotations

from typing import Any, Final

from servicescore.reporting.numbers import Lang, integer, interval, number, signed


def headline(name: str, row: dict[str, Any], wave: str, lang: Lang) -> str:
    """``Zorngården får index 90,7 (95 % intervall 89,4–91,9) från 188 svar under 2026-Q3.``"""
    ci = interval(row["index_ci_low"], row["index_ci_high"], lang)
    index, n = number(row["index"], lang), integer(row["n"], lang)
    if lang == "sv":
        return f"{name} får index {index} (95 % intervall {ci}) från {n} svar under {wave}."
    return f"{name} scores an index of {index} (95% interval {ci}) from {n} responses in {wave}."


def ranking(row: dict[str, Any], lang: Lang) -> str | None:
    """``Det är plats 1 av 7 i jämförelsegruppen, 14,2 över gruppens medel (76,5).``; None without peers."""
    if row.get("rank") is None or row.get("peer_mean") is None:
        return None
    diff, peer = signed(row["peer_diff"], lang), number(row["peer_mean"], lang)
    if lang == "sv":
        verdict = "en säkerställd skillnad" if row.get("peer_significant") else "ingen säkerställd skillnad"
        return (f"Det ger plats {row['rank']} av {row['n_peers']} i jämförelsegruppen; {diff} indexenheter mot "
                f"gruppens medel ({peer}), {verdict}.")  # fmt: skip
    verdict = "a significant difference" if row.get("peer_significant") else "not a significant difference"
    return (f"That is rank {row['rank']} of {row['n_peers']} in the peer group; {diff} index points against the "
            f"peer mean ({peer}), {verdict}.")  # fmt: skip


def change(row: dict[str, Any], lang: Lang) -> str | None:
    """``Jämfört med 2026-Q2 (88,1) är förändringen +2,6, en säkerställd förbättring.``"""
    if row.get("change") is None:
        return None
    before, delta = number(row["previous_index"], lang), signed(row["change"], lang)
    up = row["change"] > 0
    if lang == "sv":
        what = ("en säkerställd förbättring" if up else "en säkerställd försämring") if row.get(
            "previous_significant") else "ingen säkerställd förändring"  # fmt: skip
        return f"Jämfört med {row['previous_wave']} ({before}) är förändringen {delta}, {what}."
    what = ("a significant improvement" if up else "a significant decline") if row.get(
        "previous_significant") else "not a significant change"  # fmt: skip
    return f"Against {row['previous_wave']} ({before}) the change is {delta}, {what}."


def item_sentence(label: str, row: dict[str, Any], lang: Lang) -> str:
    """``”Hur blev du bemött?” får index 93,4, +12,0 mot jämförelsegruppen (81,4).`` (peers only when shown)."""
    quoted = f"”{label}”" if lang == "sv" else f"“{label}”"
    text = f"{quoted} {'får index' if lang == 'sv' else 'scores'} {number(row['index'], lang)}"
    if row.get("peer_mean") is not None:
        peers = "mot jämförelsegruppen" if lang == "sv" else "against the peers"
        text += f", {signed(row['peer_diff'], lang)} {peers} ({number(row['peer_mean'], lang)})"
    return text + "."


def standing_rule(own_mean: float, peers: bool, lang: Lang) -> str:
    """What makes a strength or an area to improve (`scoring.standing`), with the organisation's own level."""
    own = number(own_mean, lang)
    if lang == "sv":
        if peers:
            return (
                f"Styrka: frågans 95 % intervall ligger helt över den egna nivån (frågornas medelindex, {own}), och "
                "frågan ligger säkerställt över jämförelsegruppen; förbättringsområde: helt under den egna nivån och "
                "säkerställt under jämförelsegruppen."
            )
        return (
            f"Styrka: frågans 95 % intervall ligger helt över den egna nivån (frågornas medelindex, {own}); "
            "förbättringsområde: helt under den egna nivån."
        )
    rule = (
        "Strength: the question's 95% interval lies wholly above the organisation's own level "
        f"(its mean item index, {own})"
    )
    if peers:
        return (
            f"{rule} and it is significantly above the peers; area to improve: wholly below its own level and "
            "significantly below the peers."
        )
    return f"{rule}; area to improve: wholly below its own level."


# Why `scoring.leniency` has no estimates, by the start of its reason, in Swedish; English prints the reason as is.
_LENIENCY_REASONS_SV: Final[tuple[tuple[str, str], ...]] = (
    ("fewer than", "för få observatörer har bedömt samma sak som en annan observatör (minst 3 behövs)"),
    ("the mixed model has no fit", "modellen gick inte att skatta på bedömningarna"),
    ("the mixed model did not converge", "modellen konvergerade inte"),
    ("the shoppers differ no more than chance", "observatörerna skiljer sig inte mer än slumpen"),
    ("the ratings differ between shoppers by constant", "bedömningarna saknar variation utöver fasta skillnader"),
    ("not estimated", "ingen skattning gjordes"),
)


def leniency_reason(reason: str, lang: Lang) -> str:
    """Why there is no leniency estimate (`scoring.leniency`'s reason), in `lang`."""
    if lang == "en":
        return reason
    return next((sv for start, sv in _LENIENCY_REASONS_SV if reason.startswith(start)), reason)
