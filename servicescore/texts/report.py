"""The notes and explanations that report templates print around their tables (``templates/report/``), read as
``t("report.what", name=...)``; their numbers come formatted by the template's filters."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "report.date": {"sv": "Datum", "en": "Date"},
    "report.by_unit": {"sv": "Per enhet", "en": "By unit"},
    "report.trend.caption": {"sv": "Index per mätperiod – {instrument}", "en": "Index by wave – {instrument}"},
    "report.call.note": {
        "sv": "Tider: medelvärde. Andelar: andel samtal där svaret var ja.",
        "en": "Times: the mean. Shares: the share of calls answered yes.",
    },
    "report.mirror.intro": {
        "sv": "Nöjda medarbetare och nöjda kunder hör ihop. Varje punkt är en enhet i jämförelsegruppen; de egna "
        "enheterna är färgade och numrerade som i tabellen.",
        "en": "Satisfied employees and satisfied customers go together. Each point is a unit of the peer group; your "
        "own units are coloured and numbered as in the table.",
    },
    "report.mirror.interval": {"sv": "95 %", "en": "95%"},
    "report.comments.original": {
        "sv": "Kommentarerna återges som de skrevs, på sitt originalspråk.",
        "en": "Comments are quoted as written, in their original language.",
    },
    "report.comments.hidden": {
        "sv": "Kommentarer från enheter med för få svar visas inte: {units}.",
        "en": "Comments from units with too few responses are not shown: {units}.",
    },
    "report.quadrant.importance": {
        "sv": {
            "one": "Betydelse är frågans andel av den förklarade variationen i helhetsbetyget (”{outcome}”): relativ "
            "vikt (Johnson), beräknad på {count} svar med alla frågor besvarade; R² = {r2}. r är frågans korrelation "
            "med helhetsbetyget.",
            "other": "Betydelse är frågans andel av den förklarade variationen i helhetsbetyget (”{outcome}”): "
            "relativ vikt (Johnson), beräknad på {count} svar med alla frågor besvarade; R² = {r2}. r är frågans "
            "korrelation med helhetsbetyget.",
        },
        "en": {
            "one": "Importance is the question's share of the explained variation in the overall rating "
            "(“{outcome}”): relative weight (Johnson), from {count} response that answered every question; "
            "R² = {r2}. r is the question's correlation with the overall rating.",
            "other": "Importance is the question's share of the explained variation in the overall rating "
            "(“{outcome}”): relative weight (Johnson), from {count} responses that answered every question; "
            "R² = {r2}. r is the question's correlation with the overall rating.",
        },
    },
    "report.quadrant.fix_first": {
        "sv": "Åtgärda först: ett förbättringsområde (samma regel som i sammanfattningen) med betydelse över medel; "
        "styrkor och frågor i nivå åtgärdas aldrig först.",
        "en": "Fix first: an area to improve (the rule of the summary) whose importance is above the mean; a strength "
        "or a question in line never comes first.",
    },
    "report.quadrant.lines": {
        "sv": "Streckad lodrät linje: den egna nivån; vågrät: medelbetydelsen. Strecken genom punkterna är 95 % "
        "intervall.",
        "en": "Dashed vertical line: the own level; horizontal: the mean importance. The whiskers are 95% intervals.",
    },
    "report.comparison.test": {
        "sv": "Skillnaden prövas med Welchs t-test, Holm-korrigerat över raderna i tabellen (5 % nivå).",
        "en": "Differences are tested with Welch's t test, Holm-corrected across the rows of the table (5% level).",
    },
    # The methods page (templates/report/_methodology.html)
    "report.method.index": {"sv": "Index 0–100", "en": "Index 0–100"},
    "report.method.index.body": {
        "sv": "Medelvärdet på skalan 1–5 omräknat: (medel − 1) / 4 × 100. Område och totalt: viktat medel av "
        "frågornas index per svarande, vikter enligt undersökningens definition; ja/nej-frågor i observationer ger "
        "intjänade ÷ möjliga poäng.",
        "en": "The mean on the 1–5 scale rescaled: (mean − 1) / 4 × 100. Sections and overall: the weighted mean of "
        "each respondent's item indices, weights from the survey definition; yes/no items of observations score "
        "points earned ÷ points possible.",
    },
    "report.method.top2": {"sv": "Andel 4–5", "en": "Top-2-box"},
    "report.method.top2.body": {
        "sv": "Andelen svar 4 eller 5 av de tillämpliga svaren. ”Ej aktuellt” och obesvarade frågor räknas inte.",
        "en": 'The share of answers 4 or 5 among applicable answers. "Not applicable" and unanswered questions are '
        "not counted.",
    },
    "report.method.nps": {"sv": "NPS", "en": "NPS"},
    "report.method.nps.body": {
        "sv": "Rekommendationsfrågan 0–10 redovisas som NPS: andelen 9–10 (rekommendatörer) minus andelen 0–6 "
        "(kritiker), från −100 till 100.",
        "en": "The 0–10 recommendation question is shown as NPS: the share of 9–10 (promoters) minus the share of "
        "0–6 (detractors), from −100 to 100.",
    },
    "report.method.standing": {"sv": "Styrkor och förbättringsområden", "en": "Strengths and areas to improve"},
    "report.method.standing.body": {
        "sv": "En fråga är en styrka när hela dess 95 % intervall ligger över organisationens egen nivå (medelindex "
        "för frågorna, utom helhetsfrågorna) och den, där jämförelsegruppen visas, ligger säkerställt över gruppen; "
        "ett förbättringsområde när intervallet ligger helt under den egna nivån och frågan säkerställt under "
        "gruppen. ”Åtgärda först” är ett förbättringsområde med betydelse över medel. Samma regel gäller i "
        "sammanfattningen, i analysen av vad som betyder mest och på webben.",
        "en": "A question is a strength when its whole 95% interval lies above the organisation's own level (the "
        "mean index of its questions, the overall questions left out) and, where the peer group is shown, it is "
        "significantly above the peers; an area to improve when its interval lies wholly below its own level and "
        'it is significantly below the peers. "Fix first" is an area to improve of above-mean importance. The same '
        "rule holds in the summary, in what matters most and on the web.",
    },
    "report.method.intervals": {"sv": "Intervall", "en": "Intervals"},
    "report.method.intervals.body": {
        "sv": "95 % konfidensintervall: medel och index med Students t, andelar med Wilsons metod, NPS med justerad "
        "Wald.",
        "en": "95% confidence intervals: means and indices by Student's t, shares by Wilson's method, NPS by "
        "adjusted Wald.",
    },
    "report.method.comparisons": {"sv": "Jämförelser", "en": "Comparisons"},
    "report.method.comparisons.body": {
        "sv": "Skillnader mot jämförelsegruppen och mot föregående mätning prövas med Welchs t-test, Holm-korrigerat "
        "för alla test som visas för en organisation och mätperiod.",
        "en": "Differences to the peer group and to the previous wave are tested with Welch's t test, "
        "Holm-corrected over every test shown for one organisation and wave.",
    },
    "report.method.peers_named": {
        "sv": "Rankingen visar jämförelsegruppens organisationer med namn.",
        "en": "The ranking names the organisations of the peer group.",
    },
    "report.method.peers_anonymous": {
        "sv": "Jämförelsegruppen visas bara när den har minst {min_peers} organisationer, och då anonymt.",
        "en": "Peers are shown only when the group has at least {min_peers} organisations, and then anonymised.",
    },
    "report.method.peers_compared": {
        "sv": "Jämförelsegruppen visas bara när den har minst {min_peers} organisationer, och då anonymt: bara de "
        "organisationer rapporten jämför namnges.",
        "en": "Peers are shown only when the group has at least {min_peers} organisations, and then anonymised: "
        "only the organisations compared are named.",
    },
    "report.method.privacy": {"sv": "Skydd av svarande", "en": "Protecting respondents"},
    "report.method.privacy.body": {
        "sv": "Grupper med färre än {min_n} svarande redovisas inte: inget värde, ingen stapel och inga kommentarer. "
        "Resultat från färre än {uncertain_below} svarande är osäkra och markeras med * i tabellerna.",
        "en": "Groups of fewer than {min_n} respondents are not reported: no value, no bar and no comments. Results "
        "from fewer than {uncertain_below} respondents are uncertain and marked * in the tables.",
    },
    "report.method.wave": {"sv": "Mätperiod", "en": "Wave"},
    "report.method.made_on": {"sv": "Rapporten skapades {date}.", "en": "Report made on {date}."},
    "report.method.agreement": {"sv": "Samstämmighet mellan observatörer", "en": "Agreement between observers"},
    "report.method.agreement.body": {
        "sv": {
            "one": "Krippendorffs α för mätperiodens kalibreringsövningar, där alla observatörer bedömer samma "
            "inspelning, utskrift eller besök: {shoppers} observatörer, {n} övning. Minst 0,8 är pålitligt, "
            "0,667–0,8 preliminärt; områden under 0,667 är markerade med *.",
            "other": "Krippendorffs α för mätperiodens kalibreringsövningar, där alla observatörer bedömer samma "
            "inspelning, utskrift eller besök: {shoppers} observatörer, {n} övningar. Minst 0,8 är pålitligt, "
            "0,667–0,8 preliminärt; områden under 0,667 är markerade med *.",
        },
        "en": {
            "one": "Krippendorff's α of the wave's calibration exercises, in which every observer scores the same "
            "recording, transcript or visit: {shoppers} observers, {n} exercise. 0.8 or more is reliable, 0.667–0.8 "
            "tentative; sections under 0.667 are marked *.",
            "other": "Krippendorff's α of the wave's calibration exercises, in which every observer scores the same "
            "recording, transcript or visit: {shoppers} observers, {n} exercises. 0.8 or more is reliable, "
            "0.667–0.8 tentative; sections under 0.667 are marked *.",
        },
    },
    "report.method.agreement.none": {
        "sv": "Ingen kalibreringsövning i mätperioden: samstämmigheten mellan observatörerna är inte mätt.",
        "en": "No calibration exercise in this wave: agreement between the observers is not measured.",
    },
    "report.method.level": {"sv": "Skalnivå", "en": "Level"},
    "report.method.level.nominal": {"sv": "nominal", "en": "nominal"},
    "report.method.level.ordinal": {"sv": "ordinal", "en": "ordinal"},
    "report.method.level.interval": {"sv": "intervall", "en": "interval"},
    "report.method.adjusted.body": {
        "sv": "Rapporten visar på begäran observationernas index justerat för hur milt eller strängt varje "
        "observatör bedömer, alltid bredvid det ojusterade. Varje observatörs mildhet skattas i skalsteg med en "
        "blandad modell (statsmodels MixedLM, REML) av alla bedömningar 1–5: från kalibreringsövningarna, där alla "
        "bedömer samma inspelning, utskrift eller besök, och från vanliga besök där observatörerna roterar mellan "
        "enheterna (en enhet i en mätperiod som flera observatörer besökt). Varje bedömning 1–5 flyttas med minus "
        "observatörens skattning och stannar inom skalan; sedan räknas index om. Svar från observatörer utan "
        "skattning, från svarande och på andra frågetyper ändras inte. Andelar, NPS och intervall justeras inte.",
        "en": "On request the report shows the observations' index adjusted for how leniently or harshly each "
        "shopper scores, always beside the unadjusted one. Each shopper's offset in scale points is estimated by a "
        "mixed model (statsmodels MixedLM, REML) of every 1–5 rating: from the calibration exercises, in which every "
        "shopper scores the same recording, transcript or visit, and from ordinary visits where shoppers rotate over "
        "units (a unit in a wave that several shoppers visited). Every 1–5 rating is moved by minus its shopper's "
        "offset and clipped to the scale, and the index is computed again. Answers of shoppers without an estimate, "
        "of respondents and of other item types are unchanged. Shares, NPS and intervals are not adjusted.",
    },
    "report.method.adjusted.none": {
        "sv": "{instrument}: inget justerat index ({reason}).",
        "en": "{instrument}: no adjusted index ({reason}).",
    },
    "report.method.adjusted.shoppers": {
        "sv": {
            "one": "{instrument}: {n} observatör med skattad mildhet.",
            "other": "{instrument}: {n} observatörer med skattad mildhet.",
        },
        "en": {
            "one": "{instrument}: {n} shopper with an estimate.",
            "other": "{instrument}: {n} shoppers with an estimate.",
        },
    },
}
