"""Interface strings of the exports pages (see ``servicescore.texts``)."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "exports.title": {"sv": "Export", "en": "Export"},
    "exports.heading": {"sv": "Exportera data", "en": "Export data"},
    "exports.intro.consultant": {
        "sv": "Svar och resultattabeller för alla organisationer, som CSV, Excel (XLSX), Parquet eller SPSS (.sav). "
        "Text som börjar med =, +, -, @, tabb eller vagnretur får en inledande ' i CSV och Excel, så att ett "
        "kalkylprogram visar den i stället för att köra den.",
        "en": "Answers and score tables for every organisation, as CSV, Excel (XLSX), Parquet or SPSS (.sav). "
        "Text starting with =, +, -, @, tab or carriage return gets a leading ' in CSV and Excel, so that a "
        "spreadsheet shows it instead of running it.",
    },
    "exports.intro.client": {
        "sv": "Er organisations svar och resultat. För att skydda de svarande utelämnas grupper (enhet och "
        "mätperiod) med färre än {min_n} svarande, svars-id ersätts med pseudonymer och svarstiden anges bara "
        "som datum. Jämförelsen med andra organisationer ges bara som anonym statistik.",
        "en": "Your organisation's answers and results. To protect respondents, groups (unit and wave) with fewer "
        "than {min_n} respondents are left out, response ids are replaced by pseudonyms and the time of an "
        "answer is given as a date only. Other organisations appear only as anonymous statistics.",
    },
    "exports.answers.heading": {"sv": "Svar", "en": "Answers"},
    "exports.answers.body": {
        "sv": "En rad per svar (långt format, samma kolumner som importen läser). SPSS får en rad per svarande "
        "med variabel- och värdeetiketter.",
        "en": "One row per answer (long layout, the columns the import reads). SPSS gets one row per respondent "
        "with variable and value labels.",
    },
    "exports.scores.heading": {"sv": "Resultat", "en": "Scores"},
    "exports.scores.body": {
        "sv": "En rad per grupp: antal, medelvärde, index 0–100, topp-2, NPS med 95 % konfidensintervall. Grupper "
        "med färre än {min_n} svarande visas utan siffror.",
        "en": "One row per group: n, mean, index 0–100, top-2-box, NPS with 95% intervals. Groups with fewer "
        "than {min_n} respondents are shown without figures.",
    },
    "exports.field.instrument": {"sv": "Enkät eller protokoll", "en": "Survey or scorecard"},
    "exports.field.waves": {"sv": "Mätperioder (ingen vald: alla)", "en": "Waves (none chosen: all)"},
    "exports.field.organisation": {"sv": "Organisation", "en": "Organisation"},
    "exports.field.unit": {"sv": "Enhet", "en": "Unit"},
    "exports.field.format": {"sv": "Filformat", "en": "File format"},
    "exports.field.by": {"sv": "Gruppera per", "en": "Group by"},
    "exports.field.level": {"sv": "Nivå", "en": "Level"},
    "exports.field.columns": {"sv": "Kolumner (valfritt, kommaseparerade)", "en": "Columns (optional, comma list)"},
    "exports.all.organisations": {"sv": "Alla organisationer", "en": "All organisations"},
    "exports.all.units": {"sv": "Alla enheter", "en": "All units"},
    "exports.level.item": {"sv": "Fråga", "en": "Item"},
    "exports.level.section": {"sv": "Avsnitt", "en": "Section"},
    "exports.level.overall": {"sv": "Totalt", "en": "Overall"},
    "exports.by.organisation": {"sv": "Organisation", "en": "Organisation"},
    "exports.by.unit": {"sv": "Enhet", "en": "Unit"},
    "exports.by.segment": {"sv": "Segment", "en": "Segment"},
    "exports.by.section": {"sv": "Avsnitt", "en": "Section"},
    "exports.by.item": {"sv": "Fråga", "en": "Item"},
    "exports.format.csv": {"sv": "CSV", "en": "CSV"},
    "exports.format.xlsx": {"sv": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "exports.format.parquet": {"sv": "Parquet", "en": "Parquet"},
    "exports.format.sav": {"sv": "SPSS (.sav)", "en": "SPSS (.sav)"},
    "exports.submit.answers": {"sv": "Ladda ner svar", "en": "Download answers"},
    "exports.submit.scores": {"sv": "Ladda ner resultat", "en": "Download scores"},
    "exports.none": {
        "sv": "Det finns inga räknade svar ännu.",
        "en": "There are no counted answers yet.",
    },
    # Refusals: each says what was wrong and where.
    "exports.error.heading": {"sv": "Exporten gick inte att göra", "en": "The export could not be made"},
    "exports.error.unknown_filter": {
        "sv": "Okänt filter ”{name}”. Tillåtna: {known}.",
        "en": "Unknown filter “{name}”. Allowed: {known}.",
    },
    "exports.error.twice": {
        "sv": "Filtret ”{name}” får bara anges en gång.",
        "en": "The filter “{name}” may be given only once.",
    },
    "exports.error.not_an_id": {
        "sv": "Filtret ”{name}” ska vara ett id-nummer, inte ”{value}”.",
        "en": "The filter “{name}” must be an id number, not “{value}”.",
    },
    "exports.error.too_many": {
        "sv": "För många filtervärden (högst {limit}).",
        "en": "Too many filter values (at most {limit}).",
    },
    "exports.error.format": {
        "sv": "Okänt filformat ”{value}”. Välj {known}.",
        "en": "Unknown file format “{value}”. Choose {known}.",
    },
    "exports.error.no_instrument": {
        "sv": "Välj en enkät eller ett protokoll (filtret ”instrument”).",
        "en": "Choose a survey or scorecard (the filter “instrument”).",
    },
    "exports.error.instrument": {
        "sv": "Okänd enkät eller protokoll ”{value}” i filtret ”instrument”. Finns: {known}.",
        "en": "Unknown survey or scorecard “{value}” in the filter “instrument”. Stored: {known}.",
    },
    "exports.error.wave": {
        "sv": "Mätperioden ”{value}” i filtret ”wave” har inga räknade svar för {instrument}. Finns: {known}.",
        "en": "The wave “{value}” in the filter “wave” has no counted answers of {instrument}. Waves: {known}.",
    },
    "exports.error.unit": {
        "sv": "Okänd enhet ”{value}” i filtret ”unit”.",
        "en": "Unknown unit “{value}” in the filter “unit”.",
    },
    "exports.error.unit_elsewhere": {
        "sv": "Enheten ”{unit}” hör till {owner}, inte till {organisation}. "
        "Välj en enhet hos {organisation} eller alla enheter.",
        "en": "The unit “{unit}” belongs to {owner}, not to {organisation}. "
        "Choose a unit of {organisation} or all units.",
    },
    "exports.error.by": {
        "sv": "Kolumnen ”{value}” i filtret ”by” finns inte. Välj bland: {known}.",
        "en": "The column “{value}” in the filter “by” does not exist. Choose from: {known}.",
    },
    "exports.error.level": {
        "sv": "Okänd nivå ”{value}” i filtret ”level”. Välj {known}.",
        "en": "Unknown level “{value}” in the filter “level”. Choose {known}.",
    },
    "exports.error.by_level": {
        "sv": "Nivån ”{level}” kan inte grupperas per ”{value}”: ta bort det ur ”by” eller välj en annan nivå.",
        "en": "The level “{level}” cannot be grouped by “{value}”: drop it from “by” or choose another level.",
    },
    "exports.error.column": {
        "sv": "Kolumnen ”{value}” i filtret ”columns” finns inte. Finns: {known}.",
        "en": "The column “{value}” in the filter “columns” does not exist. Columns: {known}.",
    },
    "exports.error.xlsx_rows": {
        "sv": "{rows} rader får inte plats i Excel (högst {limit}). Välj CSV eller Parquet, eller färre mätperioder.",
        "en": "{rows} rows do not fit in Excel (at most {limit}). Choose CSV or Parquet, or fewer waves.",
    },
    # The "about" sheet of an XLSX export.
    "exports.about.kind": {"sv": "Export", "en": "Export"},
    "exports.about.kind.answers": {"sv": "Svar", "en": "Answers"},
    "exports.about.kind.scores": {"sv": "Resultat", "en": "Scores"},
    "exports.about.instrument": {"sv": "Enkät eller protokoll", "en": "Survey or scorecard"},
    "exports.about.waves": {"sv": "Mätperioder", "en": "Waves"},
    "exports.about.organisation": {"sv": "Organisation", "en": "Organisation"},
    "exports.about.unit": {"sv": "Enhet", "en": "Unit"},
    "exports.about.all": {"sv": "alla", "en": "all"},
    "exports.about.rows": {"sv": "Rader", "en": "Rows"},
    "exports.about.withheld": {
        "sv": "Svarande i utelämnade små grupper",
        "en": "Respondents in small groups left out",
    },
    "exports.about.minimum": {"sv": "Minsta gruppstorlek", "en": "Minimum group size"},
    "exports.about.created": {"sv": "Skapad", "en": "Created"},
    "exports.about.local_time": {"sv": "{moment} (svensk tid)", "en": "{moment} (Swedish time)"},
    # SPSS labels.
    "exports.sav.yes": {"sv": "Ja", "en": "Yes"},
    "exports.sav.no": {"sv": "Nej", "en": "No"},
    "exports.sav.na": {"sv": "Ej aktuellt", "en": "Not applicable"},
    "exports.sav.comment": {"sv": "Kommentar", "en": "Comment"},
    "exports.sav.column.response_id": {"sv": "Svarets id", "en": "Response id"},
    "exports.sav.column.instrument": {"sv": "Enkät eller protokoll", "en": "Survey or scorecard"},
    "exports.sav.column.wave": {"sv": "Mätperiod", "en": "Wave"},
    "exports.sav.column.organisation": {"sv": "Organisation", "en": "Organisation"},
    "exports.sav.column.unit": {"sv": "Enhet", "en": "Unit"},
    "exports.sav.column.segment": {"sv": "Segment", "en": "Segment"},
    "exports.sav.column.section": {"sv": "Avsnitt", "en": "Section"},
    "exports.sav.column.item": {"sv": "Fråga", "en": "Item"},
    "exports.sav.column.submitted_at": {"sv": "Inskickat", "en": "Submitted"},
    "exports.sav.column.weight": {"sv": "Vikt", "en": "Weight"},
    "exports.sav.column.n": {"sv": "Antal svarande", "en": "Respondents"},
    "exports.sav.column.n_eff": {"sv": "Effektivt antal (vägt)", "en": "Effective n (weighted)"},
    "exports.sav.column.weight_total": {"sv": "Summa vikter", "en": "Sum of weights"},
    "exports.sav.column.mean": {"sv": "Medelvärde", "en": "Mean"},
    "exports.sav.column.sd": {"sv": "Standardavvikelse", "en": "Standard deviation"},
    "exports.sav.column.ci_low": {"sv": "Medelvärde, 95 % KI nedre", "en": "Mean, 95% CI low"},
    "exports.sav.column.ci_high": {"sv": "Medelvärde, 95 % KI övre", "en": "Mean, 95% CI high"},
    "exports.sav.column.index": {"sv": "Index 0–100", "en": "Index 0–100"},
    "exports.sav.column.index_ci_low": {"sv": "Index, 95 % KI nedre", "en": "Index, 95% CI low"},
    "exports.sav.column.index_ci_high": {"sv": "Index, 95 % KI övre", "en": "Index, 95% CI high"},
    "exports.sav.column.top2_pct": {"sv": "Topp-2 (%)", "en": "Top-2-box (%)"},
    "exports.sav.column.top2_ci_low": {"sv": "Topp-2, 95 % KI nedre", "en": "Top-2-box, 95% CI low"},
    "exports.sav.column.top2_ci_high": {"sv": "Topp-2, 95 % KI övre", "en": "Top-2-box, 95% CI high"},
    "exports.sav.column.bottom_pct": {"sv": "Botten-2 (%)", "en": "Bottom-box (%)"},
    "exports.sav.column.nps": {"sv": "NPS", "en": "NPS"},
    "exports.sav.column.nps_ci_low": {"sv": "NPS, 95 % KI nedre", "en": "NPS, 95% CI low"},
    "exports.sav.column.nps_ci_high": {"sv": "NPS, 95 % KI övre", "en": "NPS, 95% CI high"},
    "exports.sav.column.promoters_pct": {"sv": "Ambassadörer (%)", "en": "Promoters (%)"},
    "exports.sav.column.detractors_pct": {"sv": "Kritiker (%)", "en": "Detractors (%)"},
    "exports.sav.column.suppressed": {
        "sv": "Dold (för få svarande)",
        "en": "Suppressed (too few respondents)",
    },
    "exports.sav.column.uncertain": {"sv": "Osäker (under 30 svarande)", "en": "Uncertain (under 30 respondents)"},
    "exports.sav.column.rank": {"sv": "Placering bland jämförbara", "en": "Rank among peers"},
    "exports.sav.column.percentile": {"sv": "Percentil bland jämförbara", "en": "Percentile among peers"},
    "exports.sav.column.peer_mean": {"sv": "Jämförbaras medelindex", "en": "Peer mean index"},
    "exports.sav.column.peer_best": {"sv": "Bästa jämförbaras index", "en": "Best peer index"},
    "exports.sav.column.gap_to_best": {"sv": "Avstånd till bästa", "en": "Gap to best"},
    "exports.sav.column.n_peers": {"sv": "Antal jämförbara", "en": "Number of peers"},
}
