"""Partners and countries of an agenda entry: reading the place mentions of its text.

Which places a name can be is the gazetteer's answer (``gazetteer.py``: GeoNames plus the
curated tables of ``data/gazetteer/``); this module reads the words around each name
(``context_cues.csv``) to decide which mentions are partners, which only give a country
and which are no place of the entry at all.

How a mention becomes a partner (events.md "partners" and "countries", checked against the
dev gold):

* Candidates are capitalised n-grams (up to 7 words, joined by spaces, hyphens or apostrophes,
  with connectors such as "di", "de", "of", "and" inside). The longest name in the index wins:
  "Monaco di Baviera" is Munich, not Monaco; "Republic of Korea" is one country.
* A name with several readings is decided, in order, by the country written next to it
  ("Valencia (Spain)", "Cordoba - Argentina", "Alexandria, Virginia - USA"), by the countries
  the entry names or implies elsewhere with other names ("Tripoli, au nord du Liban",
  "Italian-Palestinian project ... Bethlehem", "state of Carabobo", "Monaco, capoluogo della
  Baviera"), by the kind of place (country, then region or city as the regions table says;
  "City of" / "Mayor of" before a name makes it the city: "Mayor of Québec"), by curated
  aliases, by primary over alternate GeoNames names, and last by a prominence score
  (population, number of names in other languages, capital).
* Some exonyms belong to one language (aliases.csv "lang"): Italian "Colonia" is Köln, "L'Aia"
  The Hague; French "Vienne" is Vienna, "La Haye" The Hague; English "Hanover" is Hannover.
  A country name that needs its article is not read without it (country_names.csv "exclude":
  a bare "Salvador" is Salvador da Bahia, the country is "El Salvador").
* Every named city is a partner (Italian ones too: Bari), except: Torino itself and its
  districts (GeoNames lists Lingotto, Porta Palazzo ... as towns); the seat of a consulate,
  embassy or chamber of commerce ("Consul General ... in Milan"); a city named in passing
  ("compared with Calgary", "like Barcelona", "as Bilbao did", "as the Games had changed that
  of Barcelona", "sur le modèle de Barcelone"; but "cities like Lyon", "such as Lyon" are
  lists); a city inside the name of an instrument ("Paris Agreement", "Trattato di Lisbona")
  or of a thing ("Milano Cortina 2026"); a city inside an organisation's name ("Wayne State
  University", "University of Lyon", "Politecnico di Torino": its seat, whose country counts;
  "University" itself is no city); a city inside the name of a festival, fair or prize ("a
  film awarded at the Locarno Film Festival"), unless Torino was there ("took part in the
  Cannes Film Festival", a title "Torino at the Cannes Film Festival"); a city in a dashed
  compound naming a route ("the Torino-Lyon railway line": its country counts); a
  capitalised word that continues a person's name ("Robert Needham", "D. E. Shaw").
* A one-word city name that is also an ordinary word or a given name (common_words.csv:
  Nice, Split, Mobile, Union, Come, Alba, Porto, Sofia, Taylor ...) of English, Italian or the
  entry's language is a city only after a place cue ("in", "to", "à", "da", "Mayor of", a list
  of places), with its country named, or for a city of a million people; never when a
  capitalised word or a number follows it ("Mobile Learning Week", "in March 2007") and, at
  the start of a sentence, only with its country written next to it ("More than 40 cities").
* A region is a partner only when the entry names no partner city of the same country: then
  the delegation or event is with the region as a whole (seed "delegation ... from Wallonia"
  -> Wallonia, BE; dev06 "Delegation from Gyeonggi Province" -> Gyeonggi, KR). When a city of
  that country is named, the region only locates it (dev02 "Victoria, British Columbia", dev06
  "Valencia, capital of the state of Carabobo", dev07 "Belo Horizonte, capital of the State of
  Minas Gerais", dev05 Rosario and "the province of Santa Fe", seed Wenzhou in "the Zhejiang
  province"): it gives the country, not a partner.
* A country is a partner place (kind "country", at country_centroid) only when a mission or a
  delegation goes to or comes from it and no city or region of it is named ("Delegation from
  Rumania"). Otherwise a named country, a demonym or an adjective ("Consul General of the
  Republic of Korea", "Ambassador of Japan", "Moroccan community", "chinois", "brasiliana",
  "sino-italiennes") only adds its code to countries.
* countries = the countries of the partners, of foreign seats, of context regions, and every
  country named or implied, except those named in passing or inside an instrument's name;
  never IT.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections import defaultdict
from itertools import accumulate, compress
from typing import NamedTuple

from intl_metrics.enrich.gazetteer import (
    _CITY,
    _CITY_PRIORITY,
    _COUNTRY,
    _DEMONYM,
    _HOME,
    _NEAR_MIN_LEN,
    _PRIORITY,
    _REGION,
    _THING,
    GAZETTEER_DIR,
    Gazetteer,
    _fold_text,
    _Index,
    country_centroid,
    country_name,
    name_key,
    near_city,
    world_region,
)
from intl_metrics.schema import Evidence, Place

# The gazetteer's names are re-exported for callers that read them here.
__all__ = [
    "GAZETTEER_DIR",
    "Gazetteer",
    "PlaceReader",
    "country_centroid",
    "country_name",
    "find_partners",
    "name_key",
    "world_region",
]

_ONLY_DEMONYM = frozenset([_DEMONYM])
_ONLY_CITY = frozenset([_CITY])
_NOT_PLACES = frozenset([_HOME, _THING])
_COUNTRY_KINDS = frozenset([_COUNTRY, _DEMONYM])

_MAX_NGRAM = 7  # words, connectors included ("Democratic People's Republic of Korea")
_MAX_SEGMENT_CHARS = 20_000  # bound the work on hostile input; real entries are far shorter
# A city of another country with this share of the chosen city's people or more makes a
# name a close call (Valencia ES / VE, Bethlehem PS / US; not Paris FR / US, Lille FR /
# BE) when nothing in the text settles it: the event is flagged for review.
_CLOSE_CALL = 0.3
_PASSING_RULE = "context_cues.csv:passing"
_MILLION_CITY = 1_000_000  # an ordinary word that names a city this big still counts as the city
_PASSING_WINDOW = 6  # words between a "compared with" cue and the place it belittles
_SEAT_WINDOW = 12  # words between "Consul"/"Chamber" and "in <seat>"

# fmt: off
# Lower-case words allowed inside a name: Monaco di Baviera, Frankfurt am Main, Republic of
# the Congo, Bosnia and Herzegovina, Democratic People's Republic of Korea.
_CONNECTORS = frozenset({
    "di", "de", "del", "della", "dei", "degli", "delle", "dello", "d", "l", "la", "le", "les",
    "los", "las", "el", "al", "da", "do", "dos", "das", "du", "des", "of", "on", "upon", "am",
    "an", "im", "in", "der", "den", "sur", "sous", "en", "et", "y", "i", "e", "and", "und",
    "the", "s", "aan", "op", "ter", "van", "von", "zu", "bei", "ob", "sul", "sulla", "nel",
    "nella",
})
_ARTICLES = frozenset({
    "the", "a", "an", "la", "le", "les", "l", "il", "lo", "i", "gli", "un", "une", "una", "uno",
    "des", "del", "della", "dei", "degli",
})
_MOVEMENT_PREPS = frozenset({
    "to", "from", "in", "into", "of", "for", "à", "a", "au", "aux", "en", "de", "du", "des", "d",
    "da", "dal", "dalla", "dall", "dai", "nel", "nella", "negli", "per", "verso",
})
# fmt: on
_LIST_JOINERS = frozenset(["and", "et", "e", "y", "or", "ou", "o", "und"])
# Small words inside a surname: "Lo Russo", "De Luca", "van Dam", "Dalla Chiesa".
_PARTICLES = frozenset(
    ["lo", "la", "le", "li", "de", "di", "da", "del", "della", "dalla", "dal", "van", "von", "der",
     "den", "du", "dos", "das", "mac", "mc"]
)  # fmt: skip
_OF_WORDS = frozenset(["of", "de", "di", "d", "du", "della", "del", "dello"])
_SENTENCE_PUNCT = frozenset(".;:!?\n")
_JOINERS = frozenset([" ", "-", "'", "’", "‐"])
_APOSTROPHES = frozenset(["'", "’"])
# "the Egyptian Museum of Torino", "dell'Istituto ... di Torino"
_HOME_PREPS = frozenset(["of", "in", "di", "de", "a", "à", "du"])

_SPLIT_RE = re.compile(r"(\w+)")  # the fastest split; digits and "_" are harmless
# The same split on ASCII text (most entries), where \w is just these characters: faster.
_ASCII_SPLIT_RE = re.compile(r"([0-9A-Z_a-z]+)")
_DOTTED_RE = re.compile(r"\b(?:[A-Z]\.){2,}")
_DOTTED_HINT_RE = re.compile(r"\.[A-Z]\.")

# --------------------------------------------------------------------------- matching

# Dashes that join two places into one compound ("the Torino-Lyon railway line").
_HYPHENS = frozenset(["-", "–", "‐", "—"])  # unspaced: "Cordoba - Argentina" is no compound
# "St. Petersburg", "Ste. Foy": the dot of the abbreviation is no sentence end.
_SAINT_DOT_RE = re.compile(r"\b(St|Ste|Sts|Mt|Ft)\. (?=[A-Z])")
# Words that may stand between a comparison word and the place: "like that of Barcelona",
# "come a Barcellona", "as the City of Barcelona did".
_FILLERS = (
    _ARTICLES
    | _MOVEMENT_PREPS
    | frozenset(
        [
            "that",
            "those",
            "city",
            "citta",
            "ville",
            "quello",
            "quella",
            "quelli",
            "quelle",
            "celle",
            "celui",
            "ceux",
            "celles",
        ]
    )
)
_NEAR_STEPS = 4  # filler words at most between a comparison word and the place
_EVENT_WINDOW = 12  # words before an event's name searched for "attended" / "awarded"
_NAME_TAIL = 3  # capitalised words between a city and its organisation's head word
_NAME_LEAD = 5  # words between "University"/"Festival" and "of <city>"
_LINK_WINDOW = 3  # words between a compound of places and "railway", "line" ...
_ORG, _EVENT = 1, 2


_NO_CODES: frozenset[str] = frozenset()


class _Mention:
    __slots__ = (
        "ambiguous",
        "attached",
        "cands",
        "chosen",
        "code",
        "cue",
        "end",
        "fixed",
        "key",
        "kinds",
        "loc",
        "role",
        "start",
        "weak",
        "why",
    )

    def __init__(self, start: int, end: int, key: str, info: tuple) -> None:
        self.start = start  # first word index
        self.end = end  # last word index (inclusive)
        self.key = key
        # The kinds of its readings, the one country they all share (or None), the readings.
        self.kinds: frozenset[int]
        self.code: str | None
        self.kinds, self.code, self.cands, _ = info
        self.chosen: tuple = ()
        # partner / seat / country / country-partner / drop
        self.role = "partner"
        # weak: an ordinary word that needs a place cue or its country; cue: a place cue
        # stands right before it; fixed: the words around it chose city or region.
        self.weak = self.cue = self.fixed = False
        self.attached: frozenset[str] | set[str] = _NO_CODES
        # The rule that set its role (seat, drop, route), and whether its reading was a
        # close call between places of several countries that nothing in the text decided.
        self.why = ""
        self.ambiguous = False


class _Cues:
    """The one-word cue sets of context_cues.csv, looked up once per gazetteer."""

    def __init__(self, cues: dict[str, frozenset[str]]) -> None:
        empty: frozenset[str] = frozenset()
        self.seat_words = cues.get("seat", empty)
        self.seat_preps = cues.get("seat_prep", empty)
        self.heads = cues.get("name_head", empty)
        self.openers = cues.get("opener", empty)
        self.place_cues = cues.get("place_cue", empty)
        self.thing_after = cues.get("thing_after", empty)
        self.region_after = cues.get("region_after", empty)
        self.org_heads = cues.get("org_head", empty)
        self.event_heads = cues.get("event_head", empty)
        self.links = cues.get("link", empty)


_MAX_CACHED = 100_000  # words or gaps remembered across entries; then the caches start over


def _reading_info(cands: tuple) -> tuple[frozenset[int], str | None, tuple, bool]:
    """(kinds of a name's readings, the one country they all share or None, the readings,
    inert). inert: Torino, its districts, things named after places: never a place."""
    kinds = frozenset(c[0] for c in cands)
    codes = {c[2] for c in cands if c[0] in (_COUNTRY, _DEMONYM, _REGION, _CITY)}
    if len(codes) != 1:
        codes = {c[2] for c in cands if c[0] in (_COUNTRY, _DEMONYM)}
    inert = (_THING in kinds or _HOME in kinds) and _COUNTRY not in kinds
    return kinds, next(iter(codes)) if len(codes) == 1 else None, cands, inert


class _Readings(dict):
    """Name key -> _reading_info of its readings in entries of one language (None: no
    name), worked out once per key."""

    __slots__ = ("italian", "overlay", "phrases")

    def __init__(
        self,
        phrases: dict[str, tuple],
        overlay: dict[str, tuple] | None,
        italian: dict[str, tuple] | None = None,
    ) -> None:
        super().__init__()
        self.phrases = phrases
        self.overlay = overlay or {}
        self.italian = italian or {}

    def __missing__(self, key: str) -> tuple | None:
        cands = self.overlay.get(key) or self.phrases.get(key)
        extra = self.italian.get(key)
        if extra:
            # English and French pages keep Italian names of foreign cities (Monaco for
            # Munich, Mosca, Lione): their Italian readings come after the others, for
            # the countries the entry names to choose (Monaco ... the capital of Bavaria).
            cands = (*cands, *(c for c in extra if c not in cands)) if cands else extra
        info = self[key] = _reading_info(cands) if cands else None
        return info


class _BreakCache(dict):
    """Gap -> whether it ends a sentence, worked out once per distinct gap."""

    __slots__ = ()

    def __missing__(self, gap: str) -> bool:
        brk = self[gap] = not _SENTENCE_PUNCT.isdisjoint(gap)
        return brk


# How a word can start a mention (_FoldCache.start_words); _NEAR: one letter off a large
# city's name (read as that city only after a place cue).
_LOWER, _ACRONYM, _GROWS, _SINGLE, _NEAR = range(5)


class _FoldCache(dict):
    """Word -> its folded key, worked out once per distinct word; a new word that can start
    a mention is noted in start_words on the way, with how: a lower-case adjective
    (chinois), an acronym (US, UAE), the first word of a longer name (New, Monaco), a
    one-word name or name prefix."""

    __slots__ = ("ix", "near", "start_words")

    def __init__(self, ix: _Index, start_words: dict[str, int], near: dict[str, int]) -> None:
        super().__init__()
        self.ix = ix
        self.start_words = start_words
        self.near = near

    def __missing__(self, word: str) -> str:
        ix = self.ix
        key = self[word] = _fold_text(word)
        if not word[0].isupper():
            if key in ix.lower_starts:
                self.start_words[word] = _LOWER
        elif len(word) > 1 and word.isupper():  # only acronyms: US, UK, UAE (not NUR)
            if word in ix.acronyms:
                self.start_words[word] = _ACRONYM
        elif key in ix.start_keys:
            if word in ix.acronyms:
                self.start_words[word] = _ACRONYM
            else:
                self.start_words[word] = _GROWS if key in ix.name_prefixes else _SINGLE
        elif (
            len(key) >= _NEAR_MIN_LEN
            and key not in ix.surnames
            and key not in ix.given_names
            and (ref := near_city(ix, key)) is not None
        ):
            self.start_words[word] = _NEAR
            self.near[word] = ref
        return key


class _Tokens:
    """Words of title + description with their folded keys and the gaps between them."""

    __slots__ = (
        "_ends",
        "_parts",
        "_removed",
        "_title_end",
        "breaks",
        "cue_ends",
        "gaps",
        "inert",
        "keys",
        "sentence_starts",
        "title_chars",
        "words",
    )

    def __init__(self, title: str, description: str, gaz: PlaceReader) -> None:
        # The title ends like a sentence; long hostile input is cut to bound the work.
        self.title_chars = min(len(title), _MAX_SEGMENT_CHARS)
        text = f"{title[:_MAX_SEGMENT_CHARS]}\n{description[:_MAX_SEGMENT_CHARS]}"
        # Where dots were taken out, to give spans of the text as written (few entries).
        self._removed: list[list[int]] = []
        if _DOTTED_HINT_RE.search(text):  # a cheap literal-led test before the real pattern
            text = self._without_dots(text, _DOTTED_RE)  # U.S.A. -> USA
        if "t. " in text:  # literal test first: most entries have no "St. "
            text = self._without_dots(text, _SAINT_DOT_RE)  # St. Gallen -> St Gallen
        # [gap, word, gap, word, ..., gap]: list slicing instead of a Python loop per word.
        parts = (_ASCII_SPLIT_RE if text.isascii() else _SPLIT_RE).split(text)
        self._parts = parts  # for char_span, with the first gap as written
        self._ends: list[int] | None = None
        words = parts[1::2]
        gaps = parts[0:-1:2]  # text between the previous word and this one
        n = len(words)
        # A sentence (or the title, or the description) starts at this word. Gaps repeat
        # (" ", ", ", ". "): whether one breaks a sentence is looked up, at C speed.
        break_cache = gaz._break_cache
        if len(break_cache) > _MAX_CACHED:  # bound the memory on endless or hostile input
            break_cache.clear()
        breaks = list(map(break_cache.__getitem__, gaps))
        # An empty title leaves the newline before the first word: no word is in the title.
        self._title_end = 0 if n and "\n" in gaps[0] else -1
        if n:
            gaps[0] = ""
            breaks[0] = True
        self.sentence_starts = list(compress(range(n), breaks))
        fold_cache = gaz._fold_cache
        if len(fold_cache) > _MAX_CACHED:
            fold_cache.clear()
            gaz._start_words.clear()
            gaz._near_words.clear()
        keys = list(map(fold_cache.__getitem__, words))
        self.words, self.keys, self.gaps, self.breaks = words, keys, gaps, breaks
        # Filled by find_cues; only the kinds found get a set (look-ups use .get / in).
        self.cue_ends: defaultdict[str, set[int]] = defaultdict(set)
        # Spans of names that are never places of the entry (Torino, Porta Susa): kept apart
        # from the mentions, only compounds ("Torino-Lyon") and name boundaries need them.
        self.inert: list[tuple[int, int]] = []

    def _without_dots(self, text: str, regex: re.Pattern[str]) -> str:
        """The text with the dots of the regex's matches taken out; where they were is kept:
        the positions of the new text at which a dot went (before the character there)."""
        pieces: list[str] = []
        removed: list[int] = []
        last = 0
        for m in regex.finditer(text):
            pieces.append(text[last : m.start()])
            segment = m.group()
            at = m.start() - len(removed)  # where the match starts in the new text
            for ch in segment:
                if ch == ".":
                    removed.append(at)
                else:
                    at += 1
            pieces.append(segment.replace(".", ""))
            last = m.end()
        if not removed:
            return text
        pieces.append(text[last:])
        self._removed.append(removed)
        return "".join(pieces)

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Characters [start, end) of the words first..last (inclusive) in the text as
        written: the title, a newline, the description."""
        ends = self._ends
        if ends is None:  # where each part (gap, word, gap ...) ends, one C pass
            ends = self._ends = list(accumulate(map(len, self._parts)))
        start, end = ends[2 * first], ends[2 * last + 1]
        for removed in reversed(self._removed):  # undo the last change first
            start += bisect_right(removed, start)
            end += bisect_right(removed, end - 1)
        return start, end

    def find_cues(self, cue_first: dict[str, tuple[tuple[str, ...], dict[str, tuple]]]) -> None:
        """Where each kind of cue phrase ends (phrases never cross a sentence break); for
        not_passing, every word the phrase covers."""
        keys, breaks = self.keys, self.breaks
        ends = self.cue_ends
        n = len(keys)
        for i in compress(range(n), map(cue_first.__contains__, keys)):
            singles, by_second = cue_first[keys[i]]
            for kind in singles:
                ends[kind].add(i)
            j = i + 1
            if not by_second or j >= n or breaks[j]:
                continue
            for kind, rest in by_second.get(keys[j], ()):
                end = j + len(rest)  # the phrase's last word
                if rest and (
                    end >= n or keys[j + 1 : end + 1] != rest or True in breaks[j + 1 : end + 1]
                ):
                    continue
                if kind == "not_passing":
                    ends[kind].update(range(i, end + 1))
                else:
                    ends[kind].add(end)

    def sentence_start(self, i: int) -> int:
        """Index of the first word of the sentence holding word i."""
        return self.sentence_starts[bisect_right(self.sentence_starts, i) - 1]

    def cue_at(self, kind: str, end: int) -> bool:
        return end in self.cue_ends.get(kind, ())

    def title_end(self) -> int:
        """Index of the description's first word (the title is joined to it by a newline)."""
        if self._title_end < 0:
            gaps = self.gaps
            self._title_end = next(
                (i for i in self.sentence_starts if "\n" in gaps[i]), len(self.words)
            )
        return self._title_end


# One reader per gazetteer: its caches belong with the index they were built from.
_READERS: weakref.WeakKeyDictionary[Gazetteer, PlaceReader] = weakref.WeakKeyDictionary()
_LAST_READER: list[PlaceReader | None] = [None]


class PlaceReader:
    """Reads the place mentions of entries with one gazetteer: partners and countries."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gaz = gazetteer
        self._ix: _Index = gazetteer._ix
        # Per word seen: its folded key; whether and how it can start a mention (a
        # capitalised word whose key starts a name, an acronym, a lower-case adjective). Per
        # gap: whether it ends a sentence. Per name key and language: its readings. Words,
        # gaps and names repeat across entries: each is worked out once (bounded caches).
        self._start_words: dict[str, int] = {}
        self._near_words: dict[str, int] = {}  # a word one letter off a city -> the city
        self._fold_cache = _FoldCache(self._ix, self._start_words, self._near_words)
        self._break_cache = _BreakCache()
        self._tables: dict[str, _Readings] = {}
        self._adjective_infos: dict[tuple[int, str], tuple] = {}
        self._langs: dict[str, frozenset[str]] = {}
        self._cues = _Cues(self._ix.cues)
        self._name_heads = self._cues.org_heads | self._cues.event_heads
        self._flag_words = self._name_heads | self._cues.seat_words
        cues = self._cues
        # Words before a name that make it a place, not a person's given name.
        self._place_before = cues.place_cues | _MOVEMENT_PREPS
        # Capitalised words after a name that are part of a place's or a thing's name,
        # even when some people bear them as surnames ("the Paris Mayor", "Milan Fair").
        self._not_surnames = (
            self._name_heads | cues.heads | cues.thing_after | cues.region_after | cues.links
        )

    @classmethod
    def of(cls, gazetteer: Gazetteer | None = None) -> PlaceReader:
        """The reader of a gazetteer (default: the process-wide one), made once."""
        gaz = gazetteer or Gazetteer.default()
        last = _LAST_READER[0]
        if last is not None and last._gaz is gaz:  # one gazetteer labels most entries
            return last
        reader = _READERS.get(gaz)
        if reader is None:
            reader = _READERS[gaz] = cls(gaz)
        _LAST_READER[0] = reader
        return reader

    def find_partners(
        self, title: str, description: str, language: str
    ) -> tuple[list[Place], list[str]]:
        """(partner places in order of first mention, sorted foreign country codes)."""
        reading = self.read(title, description, language)
        return reading.partners, reading.countries

    def read(
        self, title: str, description: str, language: str, *, passed_over: bool = False
    ) -> PlaceReading:
        """Partners and countries with the evidence of each; with ``passed_over``, also
        the place names that were read and set aside, with the rule that did it."""
        toks = _Tokens(title, description, self)
        mentions = self._scan(toks, language)
        if not mentions:  # no name, or only Torino and things named after places
            return _NOTHING
        langs = self._langs.get(language)
        if langs is None:
            # English words show up in every page (Summit, Forum), Italian place names too
            # (Piazza Castello, Porta Palazzo).
            langs = self._langs[language] = frozenset([language, "en", "it"])
        toks.find_cues(self._ix.cue_first)
        weak = self._classify(toks, mentions, langs)
        live = [m for m in mentions if m.role != "drop"]
        if not live:
            if passed_over:
                return self._passed_over(_NOTHING, toks, mentions, title, description)
            return _NOTHING
        context = self._context(live)
        by_start = {m.start: m for m in mentions}
        regions = set()
        for m in live:
            self._resolve(toks, m, by_start, context)
            if m.chosen[0] == _REGION and m.role != "drop":
                regions.add(m.chosen[1])
        # A name read as a region once ("the Province of Santa Fe") is that region throughout
        # the entry (the title's "Delegation from Santa Fe"), unless its own words make it
        # the city ("the City of Québec").
        if regions:
            for m in live:
                if m.chosen[0] == _CITY and not m.fixed:
                    for c in m.cands:
                        if c[0] == _REGION and c[1] in regions:
                            m.chosen = c
                            break
        if weak:
            self._confirm_weak(toks, live, context)
        reading = self._collect(live, toks, title, description)
        if passed_over:
            return self._passed_over(reading, toks, mentions, title, description)
        return reading

    def _passed_over(
        self,
        reading: PlaceReading,
        toks: _Tokens,
        mentions: list[_Mention],
        title: str,
        description: str,
    ) -> PlaceReading:
        """The reading with the names set aside (for ``intl-metrics explain``)."""
        aside = []
        for m in mentions:
            if m.role == "drop" or m.role == "seat":
                label = m.chosen[2] if m.chosen else (m.code or "")
                rule = m.why or "places:no-reading"
                _located(toks, m)
                aside.append(_evidence(title, description, m.role, label, rule, m))
        return reading._replace(passed_over=tuple(aside))

    def _readings(self, language: str) -> _Readings:
        """A new name -> readings table for entries in this language (the first one, or one
        that replaces a table grown too big on endless or hostile input)."""
        overlay = self._ix.lang_phrases.get(language)
        italian = None if language == "it" else self._ix.lang_phrases.get("it")
        table = self._tables[language] = _Readings(self._ix.phrases, overlay, italian)
        return table

    def _adjective(self, kind: int, code: str) -> tuple:
        """The reading info of a demonym or an acronym: one candidate of that kind."""
        info = self._adjective_infos.get((kind, code))
        if info is None:
            cand = (kind, -1, code, True, _PRIORITY[kind], 0.0)
            info = self._adjective_infos[(kind, code)] = _reading_info((cand,))
        return info

    def _scan(self, toks: _Tokens, language: str) -> list[_Mention]:
        """Longest gazetteer names among capitalised n-grams, plus lower-case adjectives."""
        ix = self._ix
        words = toks.words
        n = len(words)
        # The few words that can start a name at all, found at C speed.
        positions = list(compress(range(n), map(self._start_words.__contains__, words)))
        if not positions:
            return []
        keys, gaps, breaks = toks.keys, toks.gaps, toks.breaks
        inert = toks.inert
        mentions: list[_Mention] = []
        lower_demonyms, prefixes, acronyms = ix.lower_demonyms, ix.prefixes, ix.acronyms
        readings = self._tables.get(language)
        if readings is None or len(readings) > _MAX_CACHED:
            readings = self._readings(language)
        name_prefixes, name_seconds = ix.name_prefixes, ix.name_seconds
        place_cues = self._cues.place_cues
        resume = 0
        start_words = self._start_words
        for i in positions:
            if i < resume:
                continue
            how = start_words[words[i]]
            first = keys[i]
            if how == _NEAR:  # "took part in Gothenberg": a misspelt city after a place cue
                if i and not breaks[i] and gaps[i] == " " and keys[i - 1] in place_cues:
                    ref = self._near_words[words[i]]
                    cand = (_CITY, ref, ix.places[ref].country, False, _CITY_PRIORITY, 0.0)
                    near = _Mention(i, i, first, _reading_info((cand,)))
                    near.why, near.ambiguous = "places:near-spelling", True
                    mentions.append(near)
                continue
            if how == _LOWER:  # a lower-case adjective: chinois, sino-italiennes
                code = lower_demonyms.get(first)
                if code is None and i + 1 < n and gaps[i + 1] == "-":
                    code = prefixes.get(first)
                if code is not None:
                    mentions.append(_Mention(i, i, first, self._adjective(_DEMONYM, code)))
                continue
            if how == _ACRONYM:  # US, UK, UAE
                code = acronyms[words[i]]
                mentions.append(_Mention(i, i, first, self._adjective(_COUNTRY, code)))
                continue
            found = readings[first]
            end, span_key = i, first
            if (
                how == _GROWS
                and i + 1 < n
                # (A key with a space: a letter that folds to one, "ͺ"; rare, kept exact.)
                and (keys[i + 1] in name_seconds.get(first, ()) or " " in keys[i + 1])
            ):
                # Grow the n-gram while the words can belong to one name; the longest name
                # wins.
                key = first
                j = i + 1
                stop = i + _MAX_NGRAM
                if stop > n:
                    stop = n
                while j < stop and not breaks[j] and gaps[j] in _JOINERS and key in name_prefixes:
                    key = f"{key} {keys[j]}"
                    # (a lower-case word ends a name after an apostrophe: Xi'an)
                    if words[j][0].isupper() or gaps[j] in _APOSTROPHES:
                        longer = readings[key]
                        if longer is not None:
                            found, end, span_key = longer, j, key
                    elif keys[j] not in _CONNECTORS:
                        break
                    j += 1
            if found is not None:
                if found[3]:
                    inert.append((i, end))
                else:
                    mentions.append(_Mention(i, end, span_key, found))
                resume = end + 1
            else:
                code = prefixes.get(first)
                if code is not None and i + 1 < n and gaps[i + 1] == "-":
                    mentions.append(_Mention(i, i, first, self._adjective(_DEMONYM, code)))
        return mentions

    # ------------------------------------------------------------------ context rules

    def _classify(self, toks: _Tokens, mentions: list[_Mention], langs: frozenset[str]) -> bool:
        """Roles that depend only on the words around a mention; True when some mention is
        an ordinary word that still needs confirming (weak)."""
        keys, words, gaps, breaks = toks.keys, toks.words, toks.gaps, toks.breaks
        n = len(words)
        cues = self._cues
        cue_ends = toks.cue_ends
        passing = cue_ends.get("passing")
        near = cue_ends.get("passing_near", ())
        that_of = cue_ends.get("that_of", ())
        # Words the rules below need somewhere in the entry: most entries have none.
        named_after = seats = False
        if not self._flag_words.isdisjoint(keys):
            named_after = not self._name_heads.isdisjoint(keys)
            seats = not cues.seat_words.isdisjoint(keys)
        thing_before = cue_ends.get("thing_before", ())
        seat_before = cue_ends.get("seat_before", ())
        sentence_starts = toks.sentence_starts
        name_heads = self._name_heads
        thing_after, seat_preps, heads = cues.thing_after, cues.seat_preps, cues.heads
        common_words = self._ix.common
        given_names = self._ix.given_names
        # The places of the entry (Torino too), last word -> first word; few entries need it.
        spans: dict[int, int] | None = None
        by_end: dict[int, _Mention] | None = None
        compounds: list[tuple[_Mention, tuple[str, ...]]] = []
        routes: set[tuple[str, ...]] = set()
        weak = False
        for m in mentions:
            kinds = m.kinds
            if m.key in name_heads:  # "University" (a town in Florida), "Expo"
                m.role, m.why = "drop", "context_cues.csv:org_head"
                continue
            start = m.start
            s0 = sentence_starts[bisect_right(sentence_starts, start) - 1]
            before, after = start - 1, m.end + 1
            # A person's name: "Maurizio Russo", "the Anna Lindh Foundation", "Rui Almeida"
            # (a given name at it or right before it, or a particle: most names have none).
            if (
                keys[start] in given_names
                or (before >= s0 and (keys[before] in given_names or keys[before] in _PARTICLES))
            ) and self._in_person_name(toks, m, s0):
                m.role, m.why = "drop", "person_names.csv"
                continue
            # Named in passing: "a model often compared with that of Calgary", "like Barcelona".
            if passing:
                if spans is None:
                    spans = self._spans(toks, mentions)
                if by_end is None:
                    by_end = {x.end: x for x in mentions}
                if self._passing(toks, start, s0, passing, spans, by_end):
                    m.role, m.why = "drop", _PASSING_RULE
                    continue
            if (
                (near and not near.isdisjoint(range(start - 1 - _NEAR_STEPS, start)))
                or start - 1 in that_of
            ) and self._compared(toks, start, s0):
                m.role, m.why = "drop", "context_cues.csv:passing_near"
                continue
            # The name of an instrument: "Treaty of Lisbon", "Paris Agreement".
            if before > s0 and before in thing_before:
                m.role, m.why = "drop", "context_cues.csv:thing_before"
                continue
            next_word = words[after] if after < n and not breaks[after] else ""
            next_cap = next_word != "" and gaps[after] == " " and next_word[0].isupper()
            if next_cap and keys[after] in thing_after:
                m.role, m.why = "drop", "context_cues.csv:thing_after"
                continue
            # "Politecnico di Torino": part of an organisation's name, its seat.
            if before >= s0 and before in seat_before:
                m.role, m.why = "seat", "context_cues.csv:seat_before"
                continue
            # "the Egyptian Museum of Torino": an organisation of Torino's, no country.
            if (
                named_after
                and kinds == _ONLY_DEMONYM
                and next_cap
                and self._home_organisation(toks, m.end + 1)
            ):
                m.role, m.why = "drop", "context_cues.csv:org_head"
                continue
            # Part of an organisation's or an event's name (cheap tests before the real one).
            if (
                named_after
                and kinds != _ONLY_DEMONYM
                and (
                    (next_word != "" and (next_word[0].isupper() or next_word.isdigit()))
                    or (before > s0 and keys[before] in _OF_WORDS)
                )
            ):
                named = self._named_after(toks, m, s0)
                if named == _ORG:  # "Wayne State University", "Université de Lyon": the seat
                    m.role, m.why = "seat", "context_cues.csv:org_head"
                    continue
                if named == _EVENT and not self._at_event(toks, start, s0):
                    # "a documentary awarded at the Locarno Film Festival"
                    m.role, m.why = "drop", "context_cues.csv:event_head"
                    continue
            # The seat of a consulate or a chamber: "the Consul General ... in Milan".
            if seats and before > s0 and keys[before] in seat_preps:
                seat_words = cues.seat_words
                if any(keys[p] in seat_words for p in range(max(s0, start - _SEAT_WINDOW), before)):
                    m.role, m.why = "seat", "context_cues.csv:seat"
                    continue
            # One end of a route: "the new Torino-Lyon railway line"; the same compound
            # elsewhere in the entry (a title "Torino-Lyon") names the route too.
            if gaps[start] in _HYPHENS or (after < n and gaps[after] in _HYPHENS):
                span = self._compound(toks, mentions, m)
                if span is not None:
                    signature = tuple(keys[span[0] : span[1] + 1])
                    compounds.append((m, signature))
                    if self._on_route(toks, span, s0):
                        routes.add(signature)
                        m.role, m.why = "country", "context_cues.csv:link"
                        continue
            if start != m.end or kinds == _ONLY_DEMONYM:
                continue
            # Single words from here on.
            at_start = breaks[start]
            if before >= 0 and not at_start and gaps[start] == " ":
                prev_word = words[before]
                # A capitalised word before the name that is neither a place nor a head word
                # nor a sentence opener ("The Lyon delegation"): the name continues a person's
                # or a thing's name ("Robert Needham").
                if prev_word[0].isupper() and not prev_word.isupper():
                    if spans is None:
                        spans = self._spans(toks, mentions)
                    if (
                        before not in spans
                        and keys[before] not in heads
                        and not (breaks[before] and keys[before] in cues.openers)
                    ):
                        m.role, m.why = "drop", "places:person-name"
                        continue
            elif (
                before >= 0
                and gaps[start] == ". "
                and len(words[before]) == 1
                and words[before].isupper()
            ):
                # a surname after an initial: "D. E. Shaw"
                m.role, m.why = "drop", "places:person-name"
                continue
            if (
                before >= s0
                and keys[before] == "the"
                and kinds == _ONLY_CITY
                and (after >= n or breaks[after] or gaps[after].strip()[:1] in (",", ";", ")"))
            ):
                # "in the Andes.", "across the Balkans,": a range or an area; English gives
                # a city no article (the attributive "the Lyon delegation" goes on)
                m.role, m.why = "drop", "places:the-area"
                continue
            common = common_words.get(m.key)
            if not (common and common & langs):
                continue
            if _CITY not in kinds:
                # A country or region name that is also a word (Réunion, Marche): not at the
                # start of a sentence or title, where the capital says nothing.
                if at_start:
                    m.role, m.why = "drop", "common_words.csv"
                continue
            if next_cap:
                # "Mobile Learning Week", "Porta Susa", "Sofia Rossi"
                m.role, m.why = "drop", "common_words.csv"
                continue
            if after < n and gaps[after] == " " and keys[after].isdigit():
                m.role, m.why = "drop", "common_words.csv"  # a month: "in March 2007"
                continue
            m.weak = weak = True
            if not at_start and gaps[start] == " ":
                prev = keys[before]
                m.cue = prev in cues.place_cues or (
                    prev in _OF_WORDS and before >= 1 and keys[before - 1] in heads
                )
        for m, signature in compounds:
            if signature in routes and m.role == "partner":
                m.role, m.why = "country", "context_cues.csv:link"
        return weak

    def _in_person_name(self, toks: _Tokens, m: _Mention, s0: int) -> bool:
        """The mention is a word of a person's name: a given name with a surname after it
        ("Anna Lindh", "Maurizio Russo", "Sofia Lo Russo"), or a surname after a given
        name ("Rui Almeida", "Marina Tedesco", "Carla Lo Russo"). A place cue before the
        name keeps it a place ("the Mayor of Rosario Pablo Javkin")."""
        words, keys, gaps, breaks = toks.words, toks.keys, toks.gaps, toks.breaks
        ix = self._ix
        start, end = m.start, m.end
        before, after = start - 1, end + 1
        if before >= s0 and (keys[before] in self._place_before or keys[before] in _OF_WORDS):
            return False
        # a surname after it: "Lindh", "Lo Russo"
        if start == end and keys[start] in ix.given_names and self._name_follows(toks, after):
            return True
        # a given name (and a particle) before it
        q = before
        if q >= s0 and gaps[start] == " " and keys[q] in _PARTICLES and words[q][0].isupper():
            q -= 1
            if q < s0 or gaps[q + 1] != " ":
                return False
        return (
            q >= s0
            and not breaks[q + 1]
            and gaps[q + 1] == " "
            and words[q][0].isupper()
            and keys[q] in ix.given_names
            and not (q - 1 >= s0 and keys[q - 1] in self._place_before)
        )

    def _name_follows(self, toks: _Tokens, i: int) -> bool:
        """A surname (or a particle and a surname) starts at word i, in the same sentence."""
        words, keys, gaps, breaks = toks.words, toks.keys, toks.gaps, toks.breaks
        n = len(words)
        if i >= n or breaks[i] or gaps[i] != " " or not words[i][0].isupper():
            return False
        if keys[i] in _PARTICLES and i + 1 < n and gaps[i + 1] == " " and not breaks[i + 1]:
            i += 1
            if not words[i][0].isupper():
                return False
        key = keys[i]
        return key in self._ix.surnames and key not in self._not_surnames

    @staticmethod
    def _spans(toks: _Tokens, mentions: list[_Mention]) -> dict[int, int]:
        """The places of the entry (Torino too): last word -> first word."""
        spans = {m.end: m.start for m in mentions}
        for start, end in toks.inert:
            spans[end] = start
        return spans

    @staticmethod
    def _passing(
        toks: _Tokens,
        start: int,
        s0: int,
        passing: set[int],
        ends: dict[int, int],
        dropped: dict[int, _Mention],
    ) -> bool:
        """A passing cue a few words before the name ("compared with that of Calgary"), or
        before the list the name ends ("compared with Sydney and Buenos Aires"); not across
        a comma or another place ("compared with Medellín, with partners such as Lyon").
        A name already set aside ("the Olympic park of Londra") reads as words."""
        keys, gaps = toks.keys, toks.gaps
        listed = True  # only list words ("and", ",") since the last place
        place = start  # first word of the last place passed
        stop = max(s0, start - _PASSING_WINDOW)
        q = start - 1
        while q >= stop:
            if q in passing:
                return True
            first = ends.get(q)
            other = dropped.get(q)
            if first is not None and other is not None and other.role == "drop":
                if listed and other.why == _PASSING_RULE:  # a list set aside: this too
                    return True
                first = None  # not a list of places: its words are words
            if first is not None:
                # another place: go on only along a list of places, however long
                if not listed:
                    return False
                place = first
                stop = max(s0, stop - (q - first + 2))
                q = first - 1
                continue
            if "," in gaps[q + 1] and q + 1 != place:
                return False
            if keys[q] not in _LIST_JOINERS:
                listed = False
            q -= 1
        return False

    @staticmethod
    def _compared(toks: _Tokens, start: int, s0: int) -> bool:
        """A comparison: "like Barcelona", "come a Barcellona", "as ... had changed that of
        Barcelona" (not a list: "cities like", "such as", "as well as")."""
        cue_ends, keys = toks.cue_ends, toks.keys
        near = cue_ends.get("passing_near", ())
        lists = cue_ends.get("not_passing", ())
        q = start - 1
        stop = max(s0, start - 1 - _NEAR_STEPS)
        while q >= stop:
            if q in near and q not in lists:
                return True
            if keys[q] not in _FILLERS:
                break
            q -= 1
        if start - 1 in cue_ends.get("that_of", ()):
            passing = cue_ends.get("passing", ())
            return any((p in near and p not in lists) or p in passing for p in range(s0, start - 2))
        return False

    def _named_after(self, toks: _Tokens, m: _Mention, s0: int) -> int:
        """_ORG or _EVENT when the place is part of an organisation's or an event's name:
        "Wayne State University", "the Locarno Film Festival", "Biennale di Venezia"."""
        keys, words, gaps, breaks = toks.keys, toks.words, toks.gaps, toks.breaks
        org_heads, event_heads = self._cues.org_heads, self._cues.event_heads
        j = m.end + 1
        stop = min(len(words), j + _NAME_TAIL)
        while j < stop and not breaks[j] and gaps[j] in (" ", "-"):
            word = words[j]
            if not (word[0].isupper() or word.isdigit()):
                break
            if keys[j] in org_heads:
                return _ORG
            if keys[j] in event_heads:
                return _EVENT
            j += 1
        p = m.start - 1
        if p > s0 and keys[p] in _OF_WORDS:
            for q in range(p - 1, max(s0, p - _NAME_LEAD) - 1, -1):
                if keys[q] in org_heads:
                    return _ORG
                if keys[q] in event_heads:
                    return _EVENT
                if not (words[q][0].isupper() or keys[q] in _CONNECTORS):
                    break
        return 0

    def _home_organisation(self, toks: _Tokens, j: int) -> bool:
        """Capitalised words from word j end in an organisation's head word and go on with
        "of/in Torino": "(Egyptian) Museum of Torino", "(Chinese) Cultural Institute in Turin"."""
        keys, words, gaps, breaks = toks.keys, toks.words, toks.gaps, toks.breaks
        n = len(words)
        stop = min(n, j + _NAME_TAIL)
        while j < stop and not breaks[j] and gaps[j] == " " and words[j][0].isupper():
            if keys[j] in self._cues.org_heads:
                after = j + 1
                return (
                    after + 1 < n
                    and keys[after] in _HOME_PREPS
                    and not breaks[after + 1]
                    and keys[after + 1] in self._ix.home_keys
                )
            j += 1
        return False

    @staticmethod
    def _at_event(toks: _Tokens, start: int, s0: int) -> bool:
        """Torino was at the event named after the place: a "presence" cue ("attended",
        "took part in") before it in its sentence, or the name in the title; an "award" cue
        ("awarded at", "winner of") nearer to it says a work went there, not Torino."""
        award = toks.cue_ends.get("award", ())
        presence = toks.cue_ends.get("presence", ())
        for q in range(start - 1, max(s0, start - _EVENT_WINDOW) - 1, -1):
            if q in award:
                return False
            if q in presence:
                return True
        return start < toks.title_end()

    @staticmethod
    def _compound(toks: _Tokens, mentions: list[_Mention], m: _Mention) -> tuple[int, int] | None:
        """(first, last word) of the dashed compound of places the mention is part of
        ("Torino-Lyon", "Lyon-Torino-Milano"), or None."""
        gaps = toks.gaps
        n = len(gaps)
        by_end = {x.end: x.start for x in mentions}
        by_start = {x.start: x.end for x in mentions}
        for start, end in toks.inert:  # Torino
            by_end[end] = start
            by_start[start] = end
        lo, hi = m.start, m.end
        while gaps[lo] in _HYPHENS and lo - 1 in by_end:
            lo = by_end[lo - 1]
        while hi + 1 < n and gaps[hi + 1] in _HYPHENS and hi + 1 in by_start:
            hi = by_start[hi + 1]
        if lo == m.start and hi == m.end:
            return None  # a dash next to something else: "Paris-Saclay"
        return lo, hi

    def _on_route(self, toks: _Tokens, span: tuple[int, int], s0: int) -> bool:
        """A route word right before or after a compound of places: "the Torino-Lyon railway
        line", "la linea ad alta velocità Torino-Lione"."""
        keys, breaks = toks.keys, toks.breaks
        n = len(keys)
        lo, hi = span
        links = self._cues.links
        for q in range(hi + 1, min(n, hi + 1 + _LINK_WINDOW)):
            if breaks[q]:
                break
            if keys[q] in links:
                return True
        return any(keys[q] in links for q in range(max(s0, lo - _LINK_WINDOW), lo))

    @staticmethod
    def _context(mentions: list[_Mention]) -> dict[str, set[str]]:
        """Countries the entry names or implies unambiguously (Italy aside), with the names
        that imply each: a name does not decide its own reading ("Monaco" is a country and,
        in Italian, Munich: Germany must come from another name)."""
        context: dict[str, set[str]] = {}
        for m in mentions:
            if m.code is not None and not m.weak and m.code != "IT" and m.kinds != _ONLY_CITY:
                names = context.get(m.code)
                if names is None:
                    context[m.code] = {m.key}
                else:
                    names.add(m.key)
        return context

    @staticmethod
    def _attached(
        toks: _Tokens, m: _Mention, by_start: dict[int, _Mention]
    ) -> frozenset[str] | set[str]:
        """Countries written right after a name: 'Valencia (Spain)', 'Tripoli - Libya'."""
        other = by_start.get(m.end + 1)
        if other is None or other.role == "drop":
            return _NO_CODES
        if toks.gaps[other.start].strip() not in (",", "-", "–", "—", "("):
            return _NO_CODES
        if _THING in other.kinds or _HOME in other.kinds:
            return _NO_CODES
        return {c[2] for c in other.cands if c[0] in (_COUNTRY, _REGION, _DEMONYM)}

    def _region_designated(self, toks: _Tokens, m: _Mention) -> bool:
        """'province of Santa Fe', 'state of Carabobo', 'Gyeonggi Province'."""
        s0 = toks.sentence_start(m.start)
        before = m.start - 1
        if before >= s0 and toks.cue_at("region_before", before):
            return True
        after = m.end + 1
        return (
            after < len(toks.words)
            and not toks.breaks[after]
            and toks.gaps[after] in (" ", "-")
            and toks.keys[after] in self._cues.region_after
        )

    def _resolve(
        self,
        toks: _Tokens,
        m: _Mention,
        by_start: dict[int, _Mention],
        context: dict[str, set[str]],
    ) -> None:
        """Pick one reading of the name, then its role."""
        ix = self._ix
        cands = m.cands
        kinds = m.kinds
        if _REGION in kinds:
            if self._region_designated(toks, m):
                cands = tuple(c for c in cands if c[0] == _REGION)
                m.fixed = True
            elif _CITY in kinds and toks.cue_at("city_before", m.start - 1):
                cands = tuple(c for c in cands if c[0] == _CITY)  # "the City of Québec"
                m.fixed = True
        elif (
            _CITY in kinds
            and m.role == "partner"
            and (
                "region_before" in toks.cue_ends
                or (m.end + 1 < len(toks.keys) and toks.keys[m.end + 1] in self._cues.region_after)
            )
            and self._region_designated(toks, m)
        ):
            # "the Cusco region", "la province de Sousse": a region the gazetteer does not
            # list, named after its city; it gives its country, not a partner city
            m.role, m.why = "country", "context_cues.csv:region_after"
        if len(cands) > 1:
            # The readings are ranked: the first one in a country written next to the name
            # and named elsewhere in the entry, else the first next to it, else the first
            # named elsewhere, else the first. A name does not support its own reading.
            attached = m.attached = self._attached(toks, m, by_start)
            pool = cands
            if attached:
                pool = tuple(c for c in cands if c[2] in attached) or cands
            best = pool[0]
            decided = pool is not cands
            if context:
                own = m.code if m.code is not None and context.get(m.code) == {m.key} else None
                for c in pool:
                    if c[2] in context and c[2] != own:
                        best, decided = c, True
                        break
            if not decided and best[0] == _CITY:
                # A close call nothing in the text settled: Valencia (ES or VE), Bethlehem.
                floor = _CLOSE_CALL * ix.pops[best[1]]
                m.ambiguous = any(
                    c[0] == _CITY and c[2] != best[2] and ix.pops[c[1]] >= floor for c in cands
                )
            if best[0] == _COUNTRY:
                # A city-state: the country's name is its main city (Singapore, Monaco).
                for c in cands:
                    if (
                        c[0] == _CITY
                        and c[2] == best[2]
                        and ix.pops[c[1]] >= 0.3 * ix.country_pops.get(best[2], 1 << 40)
                    ):
                        best = c
                        break
        else:
            if m.weak:
                m.attached = self._attached(toks, m, by_start)
            best = cands[0]
        m.chosen = best
        kind = best[0]
        if kind in _NOT_PLACES or (kind == _CITY and best[1] in ix.home_refs):
            m.role, m.why = "drop", "aliases.csv:" + ("thing" if kind == _THING else "home")
        elif kind in _COUNTRY_KINDS and m.role == "partner":
            movement = kind == _COUNTRY and self._is_movement(toks, m)
            m.role = "country-partner" if movement else "country"

    @staticmethod
    def _is_movement(toks: _Tokens, m: _Mention) -> bool:
        """'Mission to Japan', 'Delegation from Rumania', 'Missione in Giappone'."""
        if "movement" not in toks.cue_ends:  # most entries: no mission, no delegation
            return False
        s0 = toks.sentence_start(m.start)
        p = m.start - 1
        while p >= s0 and toks.keys[p] in _ARTICLES and toks.keys[p] not in _MOVEMENT_PREPS:
            p -= 1
        if p < s0 or toks.keys[p] not in _MOVEMENT_PREPS:
            return False
        p -= 1
        return p >= s0 and toks.cue_at("movement", p)

    def _confirm_weak(
        self, toks: _Tokens, mentions: list[_Mention], context: dict[str, set[str]]
    ) -> None:
        """An ordinary word (Nice, Split, Come) is a city after a place cue, in a list of
        places, with its country named, or when the city is huge."""
        accepted_end: dict[int, bool] = {}
        for m in mentions:
            ok = m.role != "drop"
            if ok and m.weak:
                chosen = m.chosen
                code = chosen[2]
                before = m.start - 1
                listed = False
                if not toks.breaks[m.start] and before >= 0:
                    gap = toks.gaps[m.start].strip()
                    if gap == ",":
                        listed = accepted_end.get(before, False)
                    elif gap == "" and toks.keys[before] in _LIST_JOINERS:
                        listed = accepted_end.get(before - 1, False)
                if toks.breaks[m.start]:
                    ok = code in m.attached
                else:
                    ok = (
                        m.cue
                        or listed
                        or code in m.attached
                        or code in context
                        or (chosen[0] == _CITY and self._ix.pops[chosen[1]] >= _MILLION_CITY)
                    )
                if not ok:
                    m.role, m.why = "drop", "common_words.csv"
            accepted_end[m.end] = ok and m.chosen[0] in (_CITY, _REGION, _COUNTRY)

    def _collect(
        self, mentions: list[_Mention], toks: _Tokens, title: str, description: str
    ) -> PlaceReading:
        """Partners (cities; regions and countries only when no city of theirs is named)."""
        places = self._ix.places
        city_countries = set()
        region_countries = set()
        countries: dict[str, _Mention] = {}  # each country by the first name that gives it
        candidates = []  # partner and country-partner mentions, in order
        ambiguous = False
        names = []
        title_chars = toks.title_chars
        base = title_chars + 1
        char_span = toks.char_span
        for m in mentions:
            role = m.role
            if role == "drop":
                continue
            chosen = m.chosen
            # where the name stands, as written: for its evidence and for the other labellers
            start, end = char_span(m.start, m.end)
            if start < title_chars:
                m.loc = loc = ("title", start, min(end, title_chars))
            else:
                m.loc = loc = ("description", start - base, end - base)
            if role != "seat":
                names.append((*loc, chosen[2], _KIND_NAMES.get(chosen[0], "city")))
            ambiguous = ambiguous or m.ambiguous
            countries.setdefault(chosen[2], m)
            if role == "partner":
                candidates.append(m)
                kind = chosen[0]
                if kind == _CITY:
                    city_countries.add(chosen[2])
                elif kind == _REGION:
                    region_countries.add(chosen[2])
            elif role == "country-partner":
                candidates.append(m)
        region_countries |= city_countries
        partners: list[Place] = []
        evidence: list[Evidence] = []
        # A place once: a city or region by its ref, a country (ref -1) by its code.
        seen: set[int | str] = set()
        for m in candidates:
            kind, ref, code = m.chosen[0], m.chosen[1], m.chosen[2]
            if m.role == "partner":
                own_place = kind == _CITY or (kind == _REGION and code not in city_countries)
                if own_place and ref not in seen:
                    seen.add(ref)
                    place = places[ref]
                    partners.append(place)
                    rule = m.why or _RULE_OF_KIND[kind]
                    evidence.append(_evidence(title, description, "partner", place.name, rule, m))
            elif code not in region_countries and code not in seen:
                seen.add(code)
                place = self._gaz._country_place(code)
                partners.append(place)
                rule = "context_cues.csv:movement"
                evidence.append(_evidence(title, description, "partner", place.name, rule, m))
        countries.pop("IT", None)
        countries.pop("", None)
        codes = sorted(countries)
        for code in codes:
            m = countries[code]
            if m.role == "country-partner":
                rule = "context_cues.csv:movement"
            else:
                rule = m.why or _RULE_OF_KIND[m.chosen[0]]
            evidence.append(_evidence(title, description, "country", code, rule, m))
        return PlaceReading(partners, codes, tuple(evidence), ambiguous, (), tuple(names))


class PlaceReading(NamedTuple):
    """What an entry's place names give: partners, countries, the evidence of each, and
    whether some name was a close call between places of several countries."""

    partners: list[Place]
    countries: list[str]
    evidence: tuple[Evidence, ...]
    ambiguous: bool
    passed_over: tuple[Evidence, ...] = ()  # names set aside (field: "drop" or "seat")
    # Every name that gives a partner or a country, in text order: (where, start, end,
    # country code, kind: city, region, country or demonym); the activity reads where
    # they stand (whose delegation it is), the themes which people they name.
    names: tuple[tuple[str, int, int, str, str], ...] = ()


_NOTHING = PlaceReading([], [], (), False)

_KIND_NAMES = {_CITY: "city", _REGION: "region", _COUNTRY: "country", _DEMONYM: "demonym"}

# The rule of a place given by the kind of its reading.
_RULE_OF_KIND = {
    _CITY: "places:city",
    _REGION: "places:region",
    _COUNTRY: "places:country",
    _DEMONYM: "places:demonym",
}


def _evidence(
    title: str, description: str, field: str, label: str, rule: str, m: _Mention
) -> Evidence:
    """Evidence that reads the words of a mention (placed by _collect: ``m.loc``)."""
    where, start, end = m.loc
    text = (title if where == "title" else description)[start:end]
    return Evidence(field, label, rule, where, start, end, text)


def _located(toks: _Tokens, m: _Mention) -> None:
    """Place a mention that _collect did not (a name set aside) in the text as written."""
    start, end = toks.char_span(m.start, m.end)
    title_chars = toks.title_chars
    if start < title_chars:
        m.loc = ("title", start, min(end, title_chars))
    else:
        m.loc = ("description", start - title_chars - 1, end - title_chars - 1)


def find_partners(
    title: str, description: str, language: str, gazetteer: Gazetteer | None = None
) -> tuple[list[Place], list[str]]:
    """(partner places in order of first mention, sorted foreign country codes)."""
    return PlaceReader.of(gazetteer).find_partners(title, description, language)
