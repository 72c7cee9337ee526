"""Verbatim comments for the demo, in the voice of the people the seed articles describe."""

from __future__ import annotations

VISITOR: dict[str, tuple[str, ...]] = {
    "high": (
        "Guiden kunde sitt ämne och berättade med sådan värme att vi glömde tiden.",
        "En stark femma! Man kände att hon verkligen brann för huset och familjen som bodde här.",
        "Vi blev välkomnade redan i entrén och fick svar på alla barnens frågor.",
        "Fantastisk visning, lagom lång och full av historier om hur de levde och arbetade.",
        "Personalen i butiken tog sig tid trots att det var fullt. Vi kommer gärna tillbaka.",
        "Guiden fick hela gruppen att känna sig sedd, även de som stod längst bak.",
        "Bästa besöket i sommar. Kunnig och engagerad guide.",
    ),
    "mid": (
        "Bra visning men lite stressigt mot slutet.",
        "Intressant hus, men guiden pratade tyst och vi hörde inte allt längst bak.",
        "Helt okej. Hade gärna fått veta mer om de som arbetade på gården.",
        "Trevligt bemötande i kassan, men skyltningen till entrén var otydlig.",
        "Visningen höll sig till fakta; det saknades berättelser som gjorde det levande.",
    ),
    "low": (
        "Guiden rabblade bara upp årtal och rum. En svag trea, och det är snällt räknat.",
        "Ingen hälsade när vi kom in och ingen frågade om vi hade frågor.",
        (
            "Det kändes som att guiden hade bråttom hem. Samma produkt som förra veckan på ett annat ställe, "
            "men helt annan service."
        ),
        "Vi fick vänta en halvtimme utan information om varför visningen var sen.",
        "Frågor avfärdades med att det står i broschyren.",
        "För stor grupp, vi såg knappt rummen. Synd på ett så fint hem.",
    ),
}

EMPLOYEE: dict[str, tuple[str, ...]] = {
    "high": (
        "Jag får det stöd jag behöver och kan lösa kundens problem direkt.",
        "Bra introduktion och en chef som lyssnar.",
        "Vi har tid att ta hand om besökarna ordentligt.",
    ),
    "mid": (
        "Systemen fungerar oftast, men vi saknar utbildning i det nya bokningssystemet.",
        "Schemat är pressat under högsäsong.",
    ),
    "low": (
        "Vi har inte mandat att lösa något själva, allt ska skickas vidare.",
        "Verktygen krånglar och kunderna får vänta medan vi startar om.",
        "Ingen frågar oss vad kunderna klagar på.",
    ),
}

OBSERVER: dict[str, tuple[str, ...]] = {
    "high": (
        "Välkomnande och personligt; presenterade sig med namn.",
        "Kopplade ihop föremålen med familjens vardag på ett levande sätt.",
        "Bjöd in till frågor flera gånger och svarade utförligt.",
        "Löste ärendet direkt utan att koppla vidare.",
    ),
    "mid": (
        "Korrekt men opersonligt.",
        "Svarade på frågan men erbjöd ingen uppföljning.",
    ),
    "low": (
        "Kopplades vidare tre gånger och fick förklara ärendet från början varje gång.",
        "Fick inget namn och ingen återkoppling utlovades.",
        "Guiden tittade på klockan och hoppade över rum.",
        "Bad att få tala med chefen men fick höra att chefen inte tar samtal.",
    ),
}

BY_INSTRUMENT: dict[str, dict[str, tuple[str, ...]]] = {"employee-pulse": EMPLOYEE, "visitor-survey": VISITOR}
