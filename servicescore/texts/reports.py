"""Interface strings of the reports pages (see ``servicescore.texts``)."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "reports.title": {"sv": "Rapporter", "en": "Reports"},
    "reports.console.intro": {
        "sv": "Välj rapport, organisation, mätperiod och språk. Rapporten skapas som PDF med kundens logotyp och "
        "färger; en rapport som redan finns med samma data hämtas direkt.",
        "en": "Choose the report, organisation, wave and language. The report is made as a PDF in the client's "
        "logo and colours; a report already made from the same data is sent at once.",
    },
    "reports.field.report": {"sv": "Rapport", "en": "Report"},
    "reports.field.organisation": {"sv": "Organisation", "en": "Organisation"},
    "reports.field.compare": {"sv": "Jämför med", "en": "Compare with"},
    "reports.field.compare.hint": {
        "sv": "Bara för jämförelser: kryssa i en eller flera organisationer till.",
        "en": "For comparisons only: tick one or more further organisations.",
    },
    "reports.field.wave": {"sv": "Mätperiod", "en": "Wave"},
    "reports.field.wave.latest": {"sv": "Senaste med svar", "en": "Latest with answers"},
    "reports.field.lang": {"sv": "Rapportens språk", "en": "Report language"},
    "reports.field.adjust_shoppers": {
        "sv": "Visa även observationernas index justerat för shopparnas mildhet (bredvid det ojusterade)",
        "en": "Also show scorecard indices adjusted for shopper leniency (beside the unadjusted ones)",
    },
    "reports.download": {"sv": "Hämta PDF", "en": "Download PDF"},
    "reports.kind.client": {"sv": "kundrapport", "en": "client report"},
    "reports.kind.comparison": {"sv": "jämförelse", "en": "comparison"},
    "reports.kind.industry": {"sv": "branschrapport", "en": "industry report"},
    "reports.portal.intro": {
        "sv": "Era rapporter som PDF, en per mätperiod. Jämförelser med andra organisationer visas anonymt.",
        "en": "Your reports as PDF, one per wave. Comparisons with other organisations are shown anonymised.",
    },
    "reports.portal.none": {
        "sv": "Det finns inga svar att rapportera ännu.",
        "en": "There are no answers to report yet.",
    },
    "reports.portal.wave": {"sv": "Mätperiod {wave}", "en": "Wave {wave}"},
    "reports.portal.link": {
        "sv": "{report}, {wave}, {in_language} (PDF)",
        "en": "{report}, {wave}, {in_language} (PDF)",
    },
    "reports.error.heading": {"sv": "Rapporten kunde inte skapas", "en": "The report could not be made"},
    "reports.error.report": {
        "sv": "Rapport: det finns ingen rapport ”{value}”. Välj en av: {choices}.",
        "en": "Report: there is no report “{value}”. Choose one of: {choices}.",
    },
    "reports.error.organisation": {
        "sv": "Organisation: det finns ingen organisation ”{value}”.",
        "en": "Organisation: there is no organisation “{value}”.",
    },
    "reports.error.no_organisation": {
        "sv": "Organisation: välj en organisation.",
        "en": "Organisation: choose an organisation.",
    },
    "reports.error.too_few": {
        "sv": "Jämför med: en jämförelse behöver minst en organisation till.",
        "en": "Compare with: a comparison needs at least one more organisation.",
    },
    "reports.error.wave": {
        "sv": "Mätperiod: det finns ingen mätperiod ”{value}”. Välj en av: {choices}.",
        "en": "Wave: there is no wave “{value}”. Choose one of: {choices}.",
    },
    "reports.error.adjust": {
        "sv": "Justerat för shopparnas mildhet: väljs bara av konsulter.",
        "en": "Adjusted for shopper leniency: only consultants choose it.",
    },
    "reports.error.lang": {
        "sv": "Rapportens språk: ”{value}” finns inte. Välj sv eller en.",
        "en": "Report language: “{value}” is not offered. Choose sv or en.",
    },
    "reports.error.no_data": {
        "sv": "Mätperiod: {value} har inga svar att rapportera i den valda mätperioden.",
        "en": "Wave: {value} has no answers to report in the chosen wave.",
    },
}
