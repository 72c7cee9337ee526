"""The words of a report's frame (headings, column names, legends) in Swedish and English.

Templates read them as ``t.<key>``; the blocks' own text (sentences, names) comes from the context.
"""

from __future__ import annotations

from typing import Final

from servicescore.reporting.numbers import Lang

_LABELS: Final[dict[str, tuple[str, str]]] = {
    "page": ("Sida", "Page"),
    "of": ("av", "of"),
    "contents": ("Innehåll", "Contents"),
    "executive_summary": ("Sammanfattning", "Executive summary"),
    "section_scores": ("Resultat per område", "Scores by section"),
    "items": ("Resultat per fråga", "Scores by question"),
    "league_table": ("Jämförelsegruppen", "The peer group"),
    "comparison": ("Sida vid sida", "Side by side"),
    "trend": ("Utveckling över tid", "Trend across waves"),
    "quadrant": ("Vad betyder mest?", "What matters most?"),
    "mirror": ("Nöjdhetsspegeln", "The Satisfaction Mirror"),
    "mystery_call": ("Testsamtal: fakta", "Mystery calls: the facts"),
    "comments": ("Kommentarer i urval", "Selected comments"),
    "methodology": ("Metod och definitioner", "Method and definitions"),
    "index": ("Index", "Index"),
    "n": ("Antal svar", "Responses"),
    "n_short": ("n", "n"),
    "interval": ("95 % intervall", "95% interval"),
    "peer_mean": ("Jämförelsegruppens medel", "Peer mean"),
    "rank": ("Placering", "Rank"),
    "change": ("Förändring", "Change"),
    "previous_wave": ("Föregående mätning", "Previous wave"),
    "wave": ("Mätperiod", "Wave"),
    "organisation": ("Organisation", "Organisation"),
    "unit": ("Enhet", "Unit"),
    "section": ("Område", "Section"),
    "question": ("Fråga", "Question"),
    "mean": ("Medel 1–5", "Mean 1–5"),
    "top2": ("Andel 4–5", "Top-2-box"),
    "distribution": ("Fördelning 1–5", "Distribution 1–5"),
    "promoters": ("Rekommendatörer", "Promoters"),
    "detractors": ("Kritiker", "Detractors"),
    "strengths": ("Styrkor", "Strengths"),
    "weaknesses": ("Förbättringsområden", "Areas to improve"),
    "none_meets": ("Ingen fråga uppfyller regeln nedan.", "No question meets the rule below."),
    "overall": ("Totalt", "All sections"),  # not "Overall": the visitor survey has a section of that name
    "difference": ("Skillnad", "Difference"),
    "significant": ("säkerställd skillnad", "significant difference"),
    "not_significant": ("ej säkerställd", "not significant"),
    "suppressed": ("för få svar", "too few responses"),
    "uncertain": ("osäkert, färre än 30 svar", "uncertain, fewer than 30 responses"),
    "uncertain_note": (
        "* Osäkert: färre än 30 svar (effektivt antal när svaren är viktade).",
        "* Uncertain: fewer than 30 responses (the effective number when responses are weighted).",
    ),
    "importance": ("Betydelse för helhetsbetyget", "Importance for the overall rating"),
    "performance": ("Resultat (index)", "Performance (index)"),
    "importance_pct": ("Betydelse (%)", "Importance (%)"),
    "employees": ("Medarbetarnas index", "Employee index"),
    "customers": ("Kundernas index", "Customer index"),
    "measure": ("Mått", "Measure"),
    "peers": ("Övriga i gruppen", "Other peers"),
    "prepared_for": ("Framtagen för", "Prepared for"),
    "prepared_by": ("Framtagen av", "Prepared by"),
    "period": ("Period", "Period"),
    "instrument": ("Undersökning", "Survey"),
    "no_data": ("Inga resultat att visa för den här mätperioden.", "No results to show for this wave."),
    "legend_bar": ("Stapel: index med 95 % intervall", "Bar: index with 95% interval"),
    "legend_peer": ("Streck: jämförelsegruppens medel", "Tick: peer mean"),
    "quadrant_keep": ("Behåll", "Keep up"),
    "quadrant_fix": ("Åtgärda först", "Fix first"),
    "quadrant_watch": ("Bevaka", "Watch"),
    "quadrant_surplus": ("Möjligt överskott", "Possible surplus"),
    "quadrant_level": ("I nivå", "In line"),
    "priority": ("Prioritet", "Priority"),
    "own_level": ("Egen nivå", "Own level"),
    "standing_strength": ("Styrka", "Strength"),
    "standing_improve": ("Förbättringsområde", "Area to improve"),
    "standing_level": ("I nivå", "In line"),
    "adjusted": ("Justerat för shopparnas mildhet", "Adjusted for shopper leniency"),
    "adjusted_note": (
        "Justerat: varje bedömning 1–5 flyttad med observatörens skattade mildhet (se Metod). Tider, antal och "
        "ja/nej-andelar justeras inte.",
        "Adjusted: every 1–5 rating moved by its shopper's estimated leniency (see Methods). Times, counts and "
        "yes/no shares are not adjusted.",
    ),
    "call_index": ("Index, alla områden", "Index, all sections"),
}


def labels(lang: Lang) -> dict[str, str]:
    """Every frame word in ``lang``."""
    position = 0 if lang == "sv" else 1
    return {key: pair[position] for key, pair in _LABELS.items()}
