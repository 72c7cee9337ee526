"""The executive summary's sentences, written from the numbers (no sentence states what the numbers do not).

The words are ``sentence.*`` in ``servicescore.texts``; here each sentence is chosen and its numbers formatted."""

from __future__ import annotations

import re
from typing import Any, Final

from servicescore.formats import Lang, integer, interval, number, signed
from servicescore.texts import translate


def headline(name: str, row: dict[str, Any], wave: str, lang: Lang) -> str:
    """``Zorngården får index 90,7 (95 % intervall 89,4–91,9) från 188 svar under 2026-Q3.``"""
    return translate(
        "sentence.headline", lang, name=name, index=number(row["index"], lang), wave=wave, n=int(row["n"]),
        ci=interval(row["index_ci_low"], row["index_ci_high"], lang), count=integer(row["n"], lang),
    )  # fmt: skip


def ranking(row: dict[str, Any], lang: Lang) -> str | None:
    """``Det ger plats 1 av 7 i jämförelsegruppen; +14,2 indexenheter mot gruppens medel (76,5), …``; None without
    peers."""
    if row.get("rank") is None or row.get("peer_mean") is None:
        return None
    verdict = translate("sentence.ranking." + ("significant" if row.get("peer_significant") else "not_significant"),
                        lang)  # fmt: skip
    return translate(
        "sentence.ranking", lang, rank=row["rank"], peers=row["n_peers"], diff=signed(row["peer_diff"], lang),
        peer_mean=number(row["peer_mean"], lang), verdict=verdict,
    )  # fmt: skip


def change(row: dict[str, Any], lang: Lang) -> str | None:
    """``Jämfört med 2026-Q2 (88,1) är förändringen +2,6, en säkerställd förbättring.``"""
    if row.get("change") is None:
        return None
    what = ("improvement" if row["change"] > 0 else "decline") if row.get("previous_significant") else "none"
    return translate(
        "sentence.change", lang, wave=row["previous_wave"], before=number(row["previous_index"], lang),
        delta=signed(row["change"], lang), verdict=translate(f"sentence.change.{what}", lang),
    )  # fmt: skip


def item_sentence(label: str, row: dict[str, Any], lang: Lang) -> str:
    """``”Hur blev du bemött?” får index 93,4, +12,0 mot jämförelsegruppen (81,4).`` (peers only when shown)."""
    index = number(row["index"], lang)
    if row.get("peer_mean") is None:
        return translate("sentence.item", lang, label=label, index=index)
    return translate(
        "sentence.item.peers", lang, label=label, index=index, diff=signed(row["peer_diff"], lang),
        peer_mean=number(row["peer_mean"], lang),
    )  # fmt: skip


def standing_rule(own_mean: float, peers: bool, lang: Lang) -> str:
    """What makes a strength or an area to improve (`scoring.standing`), with the organisation's own level."""
    return translate("sentence.standing_rule" + (".peers" if peers else ""), lang, own=number(own_mean, lang))


# Why `scoring.leniency` has no estimates, by the start of its reason: the catalogue's sentence.
_LENIENCY_REASONS: Final[tuple[tuple[str, str], ...]] = (
    ("fewer than", "few_shoppers"),
    ("the mixed model has no fit", "no_fit"),
    ("the mixed model did not converge", "no_convergence"),
    ("the shoppers differ no more than chance", "chance"),
    ("the ratings differ between shoppers by constant", "constant"),
    ("not estimated", "not_estimated"),
)


def leniency_reason(reason: str, lang: Lang) -> str:
    """Why there is no leniency estimate (`scoring.leniency`'s reason), in `lang`; an unknown reason as it is."""
    key = next((key for start, key in _LENIENCY_REASONS if reason.startswith(start)), None)
    least = re.match(r"fewer than (\d+)", reason)  # the scoring core's MIN_SHOPPERS, said in its reason
    return reason if key is None else translate(f"sentence.leniency.{key}", lang, min=least[1] if least else "")
