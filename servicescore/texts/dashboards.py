"""Interface strings of the dashboards pages and the client portal's start page (see ``servicescore.texts``).

The words inside the blocks (column names, legends) are the PDF report's own (``label.*``, `t.<word>`).
"""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "dashboard.title": {"sv": "Resultat", "en": "Results"},
    "dashboard.heading": {"sv": "Resultat för {name}", "en": "Results for {name}"},
    "dashboard.console.heading": {"sv": "Resultat per organisation", "en": "Results by organisation"},
    "dashboard.console.choose": {
        "sv": "Välj en organisation och visa dess resultat, jämförelser och trender.",
        "en": "Choose an organisation to see its results, comparisons and trends.",
    },
    "dashboard.scope": {"sv": "{instrument}, mätperiod {wave}", "en": "{instrument}, wave {wave}"},
    "dashboard.scope.unit": {"sv": "Enhet: {unit}", "en": "Unit: {unit}"},
    "dashboard.scope.segment": {"sv": "Segment: {segment}", "en": "Segment: {segment}"},
    "dashboard.filters": {"sv": "Urval", "en": "Filters"},
    "dashboard.field.organisation": {"sv": "Organisation", "en": "Organisation"},
    "dashboard.field.wave": {"sv": "Mätperiod", "en": "Wave"},
    "dashboard.field.unit": {"sv": "Enhet", "en": "Unit"},
    "dashboard.field.segment": {"sv": "Segment", "en": "Segment"},
    "dashboard.all_units": {"sv": "Alla enheter", "en": "All units"},
    "dashboard.all_segments": {"sv": "Alla svarande", "en": "All respondents"},
    "dashboard.show": {"sv": "Visa", "en": "Show"},
    "dashboard.no_data": {
        "sv": "{name} har inga räknade svar ännu. Resultaten visas här när de första svaren har kommit in.",
        "en": "{name} has no counted answers yet. Results appear here once the first answers are in.",
    },
    "dashboard.peers_anonymised": {
        "sv": "Övriga organisationer i jämförelsegruppen visas anonymt.",
        "en": "The other organisations of the peer group are shown anonymised.",
    },
    "dashboard.suppressed_note": {
        "sv": "Ett streck (–) betyder att gruppen har färre än {n} svar och därför inte visas.",
        "en": "A dash (–) means the group has fewer than {n} responses and is not shown.",
    },
    "dashboard.chart_table": {
        "sv": "Diagrammet visar samma värden som tabellen.",
        "en": "The chart shows the same values as the table.",
    },
    "dashboard.table_region": {"sv": "Tabell: {title}", "en": "Table: {title}"},
    "dashboard.by_unit": {"sv": "Per enhet", "en": "By unit"},
    "dashboard.headline.index": {"sv": "Index {wave}", "en": "Index {wave}"},
    "dashboard.headline.rank": {"sv": "Placering", "en": "Rank"},
    "dashboard.headline.rank_of": {"sv": "{rank} av {n}", "en": "{rank} of {n}"},
    "dashboard.headline.change": {"sv": "Förändring", "en": "Change"},
    "dashboard.headline.n": {"sv": "Antal svar", "en": "Responses"},
    # The PDF's "Jämförelsegruppens medel" with a soft hyphen: a key-figure card is about 125 px wide on a 360–390 px
    # phone, and Debian's Chromium has no Swedish dictionary for `hyphens: auto`, so the word broke with no hyphen.
    "dashboard.headline.peer_mean": {"sv": "Jämförelse\u00adgruppens medel", "en": "Peer mean"},
    "dashboard.quadrant.importance": {
        "sv": "Betydelse (%) är frågans andel av den förklarade variationen i helhetsbetyget (”{outcome}”): relativ "
        "vikt (Johnson) från {n} svar med alla frågor besvarade, R² = {r2}. r är frågans korrelation med "
        "helhetsbetyget.",
        "en": "Importance (%) is the question's share of the explained variation in the overall rating (“{outcome}”): "
        "relative weight (Johnson) from {n} responses that answered every question, R² = {r2}. r is the question's "
        "correlation with the overall rating.",
    },
    "dashboard.quadrant.fix_first": {
        "sv": "Åtgärda först: ett förbättringsområde (samma regel som i sammanfattningen) med betydelse över medel.",
        "en": "Fix first: an area to improve (the rule of the summary) whose importance is above the mean.",
    },
    "dashboard.mirror.units": {
        "sv": {"one": "{n} enhet", "other": "{n} enheter"},
        "en": {"one": "{n} unit", "other": "{n} units"},
    },
    "dashboard.calls.note": {
        "sv": "Tider: medelvärde. Andelar: andel samtal där svaret var ja.",
        "en": "Times: the mean. Shares: the share of calls answered yes.",
    },
    "dashboard.comments.suppressed": {
        "sv": "Kommentarer från enheter med för få svar visas inte: {units}.",
        "en": "Comments from units with too few responses are not shown: {units}.",
    },
    "dashboard.comments.none": {"sv": "Inga kommentarer att visa.", "en": "No comments to show."},
    "dashboard.error.heading": {"sv": "Urvalet gick inte att visa", "en": "The filters could not be shown"},
    "dashboard.error.wave": {
        "sv": "Mätperiod: {name} har inga resultat för ”{value}”. Välj en av: {choices}.",
        "en": "Wave: {name} has no results for “{value}”. Choose one of: {choices}.",
    },
    "dashboard.error.unit": {
        "sv": "Enhet: {name} har ingen enhet ”{value}” med svar. Välj en av: {choices}.",
        "en": "Unit: {name} has no unit “{value}” with answers. Choose one of: {choices}.",
    },
    "dashboard.error.segment": {
        "sv": "Segment: {name} har inga svar i segmentet ”{value}”. Välj ett av: {choices}.",
        "en": "Segment: {name} has no answers in the segment “{value}”. Choose one of: {choices}.",
    },
    "dashboard.error.none": {"sv": "(inga)", "en": "(none)"},
    "dashboard.error.back": {"sv": "Visa utan urval", "en": "Show without filters"},
    # The client portal's start page
    "dashboard.portal.parts": {"sv": "I portalen", "en": "In the portal"},
    "portal.figures.heading": {"sv": "Nyckeltal för {name}", "en": "Key figures of {name}"},
    "portal.figures.about": {"sv": "Mätperiod {wave}: {instrument}", "en": "Wave {wave}: {instrument}"},
    "portal.figures.change": {"sv": "Förändring sedan förra mätningen", "en": "Change since the last wave"},
    "portal.figures.no_previous": {"sv": "Ingen tidigare mätning", "en": "No earlier wave"},
    "portal.figures.rank": {"sv": "Placering bland jämförbara", "en": "Rank among peers"},
    "portal.figures.no_peers": {
        "sv": "För få jämförbara organisationer att visa",
        "en": "Too few comparable organisations to show",
    },
    "portal.figures.cases": {"sv": "Öppna ärenden", "en": "Open cases"},
    "portal.figures.overdue": {"sv": "{n} har passerat svarstiden", "en": "{n} past the response time"},
    "portal.figures.none_overdue": {"sv": "Inget har passerat svarstiden", "en": "None past the response time"},
    "portal.figures.none": {
        "sv": "Det finns inga svar att visa ännu.",
        "en": "There are no answers to show yet.",
    },
    "dashboard.portal.dashboard": {"sv": "Resultat och jämförelser", "en": "Results and comparisons"},
    "dashboard.portal.dashboard.hint": {
        "sv": "Index, placering, trender och vad som betyder mest för era kunder.",
        "en": "Index, rank, trends and what matters most to your customers.",
    },
    "dashboard.portal.reports": {"sv": "Rapporter", "en": "Reports"},
    "dashboard.portal.reports.hint": {"sv": "Färdiga rapporter som PDF.", "en": "Finished reports as PDF."},
    "dashboard.portal.exports": {"sv": "Exportera data", "en": "Export data"},
    "dashboard.portal.exports.hint": {
        "sv": "Svar och resultat som CSV, Excel eller Parquet.",
        "en": "Answers and scores as CSV, Excel or Parquet.",
    },
    "dashboard.portal.cases": {"sv": "Uppföljning", "en": "Follow-up"},
    "dashboard.portal.cases.hint": {
        "sv": "Kunder som bett om att bli kontaktade.",
        "en": "Customers who asked to be contacted.",
    },
    "dashboard.portal.tokens": {"sv": "API-nycklar", "en": "API tokens"},
    "dashboard.portal.tokens.hint": {
        "sv": "Hämta era resultat till egna system via JSON-API:t.",
        "en": "Fetch your results into your own systems through the JSON API.",
    },
}
