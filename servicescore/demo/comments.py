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

# A scorecard's comments are the observer's own notes on what the instrument observes: a guided tour, a phone call to
# customer service, an audit of the contact channels. Each tier holds as many sentences as every other scorecard's
# same tier, so the seeded draws (and every score of the demo) are the same whichever instrument is commented.
GUIDED_TOUR: dict[str, tuple[str, ...]] = {
    "high": (
        "Välkomnande och personligt; guiden presenterade sig med namn.",
        "Knöt ihop föremålen med familjens vardag på ett levande sätt.",
        "Bjöd in till frågor i varje rum och svarade utförligt.",
        "Berättade om konstnärernas liv med sådan värme att gruppen glömde tiden.",
    ),
    "mid": (
        "Korrekt men opersonligt; guiden höll sig till årtal och fakta.",
        "Svarade på frågor men bjöd inte själv in till dem.",
    ),
    "low": (
        "Guiden rabblade upp årtal och rum utan att berätta om dem som bodde här.",
        "Ingen hälsade gruppen välkommen och guiden sa inte sitt namn.",
        "Guiden tittade på klockan och hoppade över rum.",
        "De som stod längst bak hörde inte guiden i de små rummen.",
    ),
}

MYSTERY_CALL: dict[str, tuple[str, ...]] = {
    "high": (
        "Välkomnande och personligt; presenterade sig med namn.",
        "Lyssnade färdigt på ärendet och ställde bra följdfrågor.",
        "Sammanfattade vad vi kommit överens om och när jag får besked.",
        "Löste ärendet direkt utan att koppla vidare.",
    ),
    "mid": (
        "Korrekt men opersonligt.",
        "Svarade på frågan men erbjöd ingen uppföljning.",
    ),
    "low": (
        "Kopplades vidare tre gånger och fick förklara ärendet från början varje gång.",
        "Fick inget namn och ingen återkoppling utlovades.",
        "Tjugo minuter i telefonkön utan besked om plats i kön eller väntetid.",
        "Bad att få tala med chefen men fick höra att chefen inte tar samtal.",
    ),
}

CHANNEL_AUDIT: dict[str, tuple[str, ...]] = {
    "high": (
        "Telefonnummer, chatt och e-postadress syns direkt på startsidan.",
        "Chatten svarade inom en minut och kopplade till en människa när boten inte förstod.",
        "E-postsvaret kom samma dag och besvarade just min fråga.",
        "Öppet kvällar och lördagar, när kunderna faktiskt hinner ringa.",
    ),
    "mid": (
        "Vanliga frågor täcker grunderna men inte det kunderna oftast ringer om.",
        "Automatisk bekräftelse på e-posten, men inget om när svaret kommer.",
    ),
    "low": (
        "Telefonen stänger klockan 16 och under lunchen, och ingen erbjuder att ringa upp.",
        "Chattboten förstod inte frågan och det gick inte att komma vidare till en människa.",
        "Inget svar på e-posten under hela granskningsperioden.",
        "Det går inte att ta reda på hur man klagar eller vem som ansvarar för kundservice.",
    ),
}

BY_INSTRUMENT: dict[str, dict[str, tuple[str, ...]]] = {
    "channel-audit": CHANNEL_AUDIT,
    "employee-pulse": EMPLOYEE,
    "guided-tour": GUIDED_TOUR,
    "mystery-call": MYSTERY_CALL,
    "visitor-survey": VISITOR,
}
