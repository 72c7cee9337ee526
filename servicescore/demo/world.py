"""The demo world of DESIGN.md, made deterministically from one seed.

Zorngården and Carl Larssons gård are the only real organisations, and only because the founding example
names them: a guide with knowledge and warmth ("a strong five") against a guide who rattled the tour off
("a weak three"). Every other organisation is invented and says so in its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEED = 20_110_606

WAVES: tuple[tuple[str, str, str], ...] = (
    ("2025-Q4", "2025-10-01", "2025-12-31"),
    ("2026-Q1", "2026-01-01", "2026-03-31"),
    ("2026-Q2", "2026-04-01", "2026-06-30"),
    ("2026-Q3", "2026-07-01", "2026-09-30"),
)


@dataclass(frozen=True)
class PeerGroupSpec:
    slug: str
    name: str
    industry: str
    name_en: str = ""  # in English reports


@dataclass(frozen=True)
class UnitSpec:
    slug: str
    name: str
    kind: str
    latitude: float
    longitude: float
    offset: float = 0.0  # how much better or worse than the organisation this unit serves


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    peer_group: str
    quality: float  # the latent service level on the 1–5 scale
    trend: float  # change per wave
    units: tuple[UnitSpec, ...]
    brand_colour: str = ""
    brand: str = ""
    instruments: tuple[str, ...] = field(default=())


HERITAGE = PeerGroupSpec(
    "kulturarv", "Kulturarv och besöksmål", "Museer och besöksmål", "Heritage sites and visitor attractions"
)
CUSTOMER_SERVICE = PeerGroupSpec(
    "kundservice", "Kundservice per telefon", "Telekom, bank och energi", "Customer service by phone"
)
PEER_GROUPS = (HERITAGE, CUSTOMER_SERVICE)

_HERITAGE_INSTRUMENTS = ("guided-tour", "visitor-survey", "employee-pulse")
_SERVICE_INSTRUMENTS = ("mystery-call", "channel-audit", "employee-pulse")


def _site(slug: str, name: str, lat: float, lon: float, offset: float = 0.0) -> UnitSpec:
    return UnitSpec(slug, name, "site", lat, lon, offset)


def _centre(slug: str, name: str, lat: float, lon: float, offset: float = 0.0) -> UnitSpec:
    return UnitSpec(slug, name, "call_centre", lat, lon, offset)


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        "zorngarden",
        "Zorngården",
        "kulturarv",
        4.72,
        0.02,
        (
            _site("hemmet", "Zorns hem", 61.0070, 14.5420, 0.05),
            _site("museet", "Zornmuseet", 61.0066, 14.5430),
            _site("gammelgarden", "Zorns gammelgård", 61.0030, 14.5480, -0.1),
        ),
        brand_colour="#7a2e1f",
        brand="zorngarden",
        instruments=_HERITAGE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "carl-larssons-gard",
        "Carl Larssons gård",
        "kulturarv",
        2.7,
        0.03,
        (
            _site("lilla-hyttnas", "Lilla Hyttnäs", 60.6240, 15.7790),
            _site("besokscentret", "Besökscentret", 60.6235, 15.7800, 0.15),
        ),
        brand_colour="#2f5d50",
        instruments=_HERITAGE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "tallmora-bruk",
        "Tallmora bruksmuseum (fiktivt)",
        "kulturarv",
        3.9,
        0.0,
        (_site("masugnen", "Masugnen", 60.10, 15.20), _site("herrgarden", "Herrgården", 60.11, 15.21, -0.2)),
        instruments=_HERITAGE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "lovnasudden-fyr",
        "Lövnäsuddens fyrplats (fiktiv)",
        "kulturarv",
        4.2,
        -0.03,
        (_site("fyren", "Fyren", 59.40, 18.90), _site("lotsstugan", "Lotsstugan", 59.41, 18.91, 0.1)),
        instruments=_HERITAGE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "granlia-fabod",
        "Granlia fäbodmuseum (fiktivt)",
        "kulturarv",
        3.6,
        0.05,
        (_site("fabodvallen", "Fäbodvallen", 61.80, 13.90), _site("mejeriet", "Mejeriet", 61.81, 13.91, -0.1)),
        instruments=_HERITAGE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "sjohamra-herrgard",
        "Sjöhamra herrgård (fiktiv)",
        "kulturarv",
        4.0,
        0.01,
        (_site("corps-de-logi", "Corps de logi", 59.10, 16.50), _site("parken", "Parken och orangeriet", 59.11, 16.51)),
        instruments=_HERITAGE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "ekbyhult-konsthall",
        "Ekbyhults konsthall (fiktiv)",
        "kulturarv",
        3.4,
        0.02,
        (_site("salarna", "Utställningssalarna", 58.20, 15.60),),
        instruments=_HERITAGE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "mobilia-telekom",
        "Mobilia Telekom (fiktiv)",
        "kundservice",
        2.9,
        0.06,
        (
            _centre("sundsvall", "Kundservice Sundsvall", 62.39, 17.31),
            _centre("malmo", "Kundservice Malmö", 55.60, 13.00, -0.2),
            _centre("foretag", "Företagsservice", 59.33, 18.06, 0.3),
        ),
        instruments=_SERVICE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "kronbanken",
        "Kronbanken (fiktiv)",
        "kundservice",
        3.2,
        -0.02,
        (
            _centre("privat", "Privatkundservice", 59.33, 18.07),
            _centre("foretag", "Företagskundservice", 57.70, 11.97, -0.4),
            _centre("kort", "Kort och betalningar", 59.86, 17.64, 0.1),
        ),
        instruments=_SERVICE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "nordvag-bredband",
        "Nordvåg Bredband (fiktiv)",
        "kundservice",
        3.6,
        0.03,
        (
            _centre("umea", "Kundservice Umeå", 63.83, 20.26),
            _centre("lulea", "Teknisk support Luleå", 65.58, 22.15, 0.2),
        ),
        instruments=_SERVICE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "volt-energi",
        "Volt Energi (fiktiv)",
        "kundservice",
        3.9,
        0.0,
        (
            _centre("vasteras", "Kundservice Västerås", 59.61, 16.55),
            _centre("faktura", "Fakturafrågor", 59.62, 16.56, -0.1),
        ),
        instruments=_SERVICE_INSTRUMENTS,
    ),
    OrganisationSpec(
        "trygga-forsakringar",
        "Trygga Försäkringar (fiktiv)",
        "kundservice",
        4.3,
        0.02,
        (_centre("skador", "Skadeservice", 58.41, 15.62), _centre("privat", "Privatkundservice", 58.42, 15.63, -0.1)),
        instruments=_SERVICE_INSTRUMENTS,
    ),
)

# How many responses each unit gives per wave, by instrument.
RESPONSES_PER_UNIT_AND_WAVE: dict[str, int] = {
    "visitor-survey": 68,
    "employee-pulse": 12,
    "guided-tour": 5,
    "mystery-call": 8,
    "channel-audit": 1,
}
