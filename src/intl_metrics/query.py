"""Filters and pure aggregate functions: Dataset + Filters -> filtered Dataset and small frames.

Everything here is vectorised numpy/pandas on the row-indexed exploded tables of
:class:`intl_metrics.load.Dataset` (boolean masks, ``np.bincount`` on category
codes): no per-row Python, so a filter plus every aggregate of a page stays in
milliseconds at 100k events. A filtered dataset holds the full one and a mask, and
builds only the columns that are read (see ``_Subset``): a filter change copies no
text. Nothing imports Streamlit.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import unicodedata
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from intl_metrics.i18n import NP_, Translator, translator
from intl_metrics.load import Dataset
from intl_metrics.schema import ACTIVITIES, FORMATS, PLACE_KINDS, THEMES

__all__ = [
    "PERIOD_PRESETS",
    "Filters",
    "Metric",
    "activity_counts",
    "country_counts",
    "data_range",
    "event_count",
    "event_spans",
    "events_over_time",
    "events_per_period",
    "filter_dataset",
    "format_counts",
    "latest_events",
    "month_range",
    "overview_metrics",
    "partner_place_counts",
    "period_label",
    "prepare",
    "preset_range",
    "previous_period",
    "quarter_range",
    "region_counts",
    "theme_counts",
    "theme_format_matrix",
    "top_countries",
    "top_partner_cities",
]

PERIOD_PRESETS: tuple[str, ...] = (
    # the values are the English names (kept in sessions and links); shown translated
    NP_("period", "All"),
    NP_("period", "This year"),
    NP_("period", "Last 12 months"),
    NP_("period", "This quarter"),
    NP_("period", "Last quarter"),
    NP_("period", "This month"),
    NP_("period", "Last month"),
)

_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "theme": ("primary_theme", THEMES),
    "format": ("format", FORMATS),
    "activity": ("activity", ACTIVITIES),
}
_DAY = np.timedelta64(1, "D")


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """What the user selected; empty tuples and None mean 'no restriction'.

    Within a field any selected value matches (energy OR culture); across fields all
    must match (energy AND virtual). ``cities`` are partner place names of any kind
    (a city, or a region/country partner such as Wallonia) so a map click can filter.
    """

    start: date | None = None
    end: date | None = None
    themes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    text: str = ""

    def is_default(self) -> bool:
        """True when nothing is selected."""
        return self == Filters()

    def describe(self, t: Translator | None = None) -> str:
        """Short human text of the active filters (not the period), '' when none.

        In ``t``'s language (English by default); names as the interface shows them.
        """
        t = t or translator()
        _ = t.gettext
        parts = []
        if self.themes:
            parts.append(_("theme: {values}").format(values=", ".join(map(t.theme, self.themes))))
        if self.formats:
            values = ", ".join(map(t.format, self.formats))
            parts.append(_("format: {values}").format(values=values))
        if self.activities:
            values = ", ".join(map(t.activity, self.activities))
            parts.append(_("activity: {values}").format(values=values))
        if self.countries:
            values = ", ".join(t.country(c, _country_name(c)) for c in self.countries)
            parts.append(_("country: {values}").format(values=values))
        if self.cities:
            parts.append(_("partner: {values}").format(values=", ".join(self.cities)))
        if self.text.strip():
            parts.append(_("text “{text}”").format(text=self.text.strip()))
        return " · ".join(parts)


@dataclass(frozen=True)
class Metric:
    """One overview number with its change against the previous period."""

    label: str
    value: str  # formatted for display
    delta: str | None  # formatted change ('+3', '-2 pts', 'was culture'), None if not comparable
    help: str
    raw: float | None = None  # the unformatted value, for tests and exports
    raw_delta: float | None = None
    key: str = ""  # which figure, whatever the language: events, days, cities, ...
    code: str | None = None  # a label's key behind the value (the leading theme's)

    @property
    def moved(self) -> bool:
        """A change worth an arrow: a number that went up or down by a shown unit."""
        return self.raw_delta is not None and round(self.raw_delta) != 0


@functools.lru_cache(maxsize=1024)  # a few hundred codes, asked for on every rerun
def _country_name(code: str) -> str:
    try:
        from intl_metrics.enrich.places import country_name
    except ImportError:  # the enrichers are optional for querying
        return code
    return country_name(code) or code


@functools.lru_cache(maxsize=1024)
def _world_region(code: str) -> str:
    try:
        from intl_metrics.enrich.places import world_region
    except ImportError:
        return "Unknown"
    return world_region(code) or "Unknown"


# ------------------------------------------------------------------ per-frame caches

# Derived arrays (folded search text, place codes) are computed once per frame and
# dropped when the frame is garbage-collected; frames are not hashable, so key on id().
_derived: dict[tuple[int, str], Any] = {}
# Re-entrant: a frame can be garbage-collected (running _forget) while the lock is held.
_derived_lock = threading.RLock()  # Streamlit runs sessions in threads


def _cached(frame: pd.DataFrame, name: str, build: Callable[[], Any]) -> Any:
    key = (id(frame), name)
    hit = _derived.get(key)
    if hit is not None:
        return hit
    value = build()  # outside the lock: two sessions may build the same thing once each
    with _derived_lock:
        if not any(k[0] == key[0] for k in _derived):
            weakref.finalize(frame, _forget, key[0])
        return _derived.setdefault(key, value)


def _forget(frame_id: int) -> None:
    with _derived_lock:
        for key in [k for k in _derived if k[0] == frame_id]:
            _derived.pop(key, None)


def _fold_letters(text: str) -> str:
    """Accents dropped, lower-cased: how search words and the letters of a pattern are folded.

    Unlike schema.fold this lower-cases rather than case-folds, so 'ß' stays one letter
    that RE2's case-insensitive match can find in the text as written.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _arrow_text(values: pd.Series | list[str]) -> pa.Array:
    arr = pa.array(values.array if isinstance(values, pd.Series) else values)
    return arr.cast(pa.large_string())


def _partner_text(events: pd.DataFrame) -> pa.Array:
    """The partner names of each event as one string, for the text search; once per frame."""
    return _cached(
        events, "partner-text", lambda: _arrow_text([" ".join(p) for p in events["partners"]])
    )


@functools.lru_cache(maxsize=1)
def _fold_classes() -> dict[str, str]:
    """Per folded letter, a regex class of every letter that folds to it ('e': '[eéèê…]').

    Over the letters of Latin, Greek and Cyrillic script.
    """
    members: dict[str, set[str]] = {}
    for cp in range(0x00C0, 0x0530):
        ch = chr(cp)
        base = _fold_letters(ch)
        if len(base) == 1 and base != ch.lower():
            members.setdefault(base, set()).add(ch)
    return {
        base: "[" + "".join(re.escape(c) for c in sorted({base, *chars})) + r"]\p{Mn}*"
        for base, chars in members.items()
    }


def _word_regex(word: str) -> str:
    """An RE2 pattern that finds the folded ``word`` in text as written, any case or accents."""
    classes = _fold_classes()
    return "(?i)" + "".join(classes.get(c) or re.escape(c) for c in word)


def _word_mask(events: pd.DataFrame, word: str) -> np.ndarray:
    """Rows whose title, description or partner names contain the folded ``word``.

    The text is searched as written, with a pattern that allows any case and accents,
    so no folded copy of it is kept (that copy was ~0.4 GB at 1M events while built).
    The last few words' results are kept.
    """
    masks: dict[str, np.ndarray] = _cached(events, "words", dict)
    hit = masks.get(word)
    if hit is None:
        pattern = _word_regex(word)
        hit = np.zeros(len(events), dtype=bool)
        columns = (events["title"].array, events["description"].array, _partner_text(events))
        for column in columns:
            found = pc.fill_null(pc.match_substring_regex(pa.array(column), pattern), False)
            hit |= np.asarray(found, dtype=bool)
        with _derived_lock:
            while len(masks) >= 32:
                masks.pop(next(iter(masks)))
            masks[word] = hit
    return hit


def _place_codes(partners: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Per partner row, the code of its place; and the places (name, kind, country, lat, lon)."""

    def build() -> tuple[np.ndarray, pd.DataFrame]:
        # one integer key per (name, kind, country): factorising ints is ~10x faster than tuples
        name_codes, _ = pd.factorize(partners["name"].to_numpy(), use_na_sentinel=False)
        kind = partners["kind"].cat.codes.to_numpy().astype(np.int64) + 1
        country = partners["country"].cat.codes.to_numpy().astype(np.int64) + 1
        n_country = len(partners["country"].cat.categories) + 1
        key = (name_codes.astype(np.int64) * (len(PLACE_KINDS) + 1) + kind) * n_country + country
        codes, uniques = pd.factorize(key)
        first = np.zeros(len(uniques), dtype=np.int64)
        # the first row of each place gives its coordinates
        first[codes[::-1]] = np.arange(len(codes))[::-1]
        places = partners.iloc[first][["name", "kind", "country", "lat", "lon"]].reset_index(
            drop=True
        )
        return codes.astype(np.int32), places

    return _cached(partners, "places", build)


def prepare(ds: Dataset, *, text: bool = True) -> None:
    """Build the place codes (and, with ``text``, the partner names searched) now.

    Otherwise they are built at first use: the map's first draw, the first search.
    """
    _place_codes(ds.partners)
    if text:
        _partner_text(ds.events)


# -------------------------------------------------------------------------- periods


def data_range(ds: Dataset) -> tuple[date, date] | None:
    """First start and last end date in the dataset, None when it is empty."""
    if not event_count(ds):
        return None
    return (
        pd.Timestamp(_column(ds, "start_date").min()).date(),
        pd.Timestamp(_column(ds, "end_date").max()).date(),
    )


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def month_range(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    return date(year, month, 1), _month_end(year, month)


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter 1-4."""
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), _month_end(year, first + 2)


def preset_range(name: str, today: date, data_min: date, data_max: date) -> tuple[date, date]:
    """The (start, end) of a PERIOD_PRESETS entry.

    Presets count back from ``today``, as people read them ('This quarter' is the quarter
    we are in), whatever dates the data has; a period after the agenda's last event is
    empty and the pages say so. 'All' is the data's own range.
    """
    ref = today
    if name == "All":
        return data_min, data_max
    if name == "This year":
        return date(ref.year, 1, 1), date(ref.year, 12, 31)
    if name == "Last 12 months":
        start = (pd.Timestamp(ref) - pd.DateOffset(years=1)).date() + timedelta(days=1)
        return start, ref
    quarter = (ref.month - 1) // 3 + 1
    if name == "This quarter":
        return quarter_range(ref.year, quarter)
    if name == "Last quarter":
        return quarter_range(ref.year - (quarter == 1), (quarter - 2) % 4 + 1)
    if name == "This month":
        return month_range(ref.year, ref.month)
    if name == "Last month":
        return month_range(ref.year - (ref.month == 1), (ref.month - 2) % 12 + 1)
    raise ValueError(f"unknown period preset {name!r}; expected one of {PERIOD_PRESETS}")


def _bounds(f: Filters, ds: Dataset) -> tuple[date, date] | None:
    """The filter's period with open ends closed by the data's range."""
    rng = data_range(ds)
    start = f.start or (rng[0] if rng else None)
    end = f.end or (rng[1] if rng else None)
    if start is None or end is None:
        return None
    return start, end


def previous_period(f: Filters, ds: Dataset) -> Filters:
    """The same filters over the period of equal length that ends the day before the start.

    A period of whole calendar months (a month, a quarter, a year, the last 12 months
    to any day) is compared with as many calendar months right before it, not with as
    many days: the quarter before 1 Jul - 30 Sep is 1 Apr - 30 Jun, and the year before
    8 Dec 2025 - 7 Dec 2026 starts on 8 Dec 2024. Open ends are closed with the data's
    first/last date first, so 'All' compares with the equally long stretch before the
    first event (usually empty).
    """
    bounds = _bounds(f, ds)
    if bounds is None:
        return f
    start, end = bounds
    months = _whole_months(start, end)
    if months:
        before = (pd.Timestamp(start) - pd.DateOffset(months=months)).date()
        return dataclasses.replace(f, start=before, end=start - timedelta(1))
    length = (end - start).days + 1
    return dataclasses.replace(f, start=start - timedelta(days=length), end=start - timedelta(1))


def _whole_months(start: date, end: date) -> int:
    """How many calendar months [start, end] spans exactly (end + 1 day = start + N months),
    0 when it is not a whole number of months."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if months <= 0:
        return 0
    same_day = after.day == start.day
    month_starts = start.day == 1 and after.day == 1
    return months if same_day or month_starts else 0


def period_label(start: date | None, end: date | None, t: Translator | None = None) -> str:
    """Human period for titles, in ``t``'s language (English by default):
    '1 Sept – 15 Oct 2021', '3–9 May 2021', '12 Mar 2021' (Translator.period)."""
    return (t or translator()).period(start, end)


# ------------------------------------------------------------------------ filtering


# A categorical column as numpy: its codes (-1: missing) and its categories. The
# aggregates work on these, so a filtered dataset never builds a DataFrame for them.
Coded = tuple[np.ndarray, pd.Index]


def _coded_series(column: pd.Series) -> Coded:
    return column.cat.codes.to_numpy(), column.cat.categories


def _coded_column(frame: pd.DataFrame, column: str) -> Coded:
    """_coded_series of a frame's column, once per frame (``.cat.codes`` builds a Series)."""
    return _cached(frame, f"coded:{column}", lambda: _coded_series(frame[column]))


def _codes_mask(coded: Coded, wanted: Sequence[str]) -> np.ndarray:
    """Boolean mask of a categorical column's rows whose value is in ``wanted``."""
    codes, categories = coded
    allowed = np.zeros(len(categories) + 1, dtype=bool)  # last slot: code -1 (missing)
    idx = categories.get_indexer(list(wanted))
    allowed[idx[idx >= 0]] = True
    return allowed[codes]


def _rows_hit(table: pd.DataFrame, sel: np.ndarray, n: int) -> np.ndarray:
    hit = np.zeros(n, dtype=bool)
    hit[table["row"].to_numpy()[sel]] = True
    return hit


def _undated(f: Filters) -> Filters:
    return dataclasses.replace(f, start=None, end=None)


def _event_mask(ds: Dataset, f: Filters, rest: np.ndarray | None = None) -> np.ndarray:
    """Rows of the (full) dataset that match ``f``; ``rest``: its non-date part, if known."""
    ev = ds.events
    mask = (_non_date_mask(ds, f) if rest is None else rest).copy()
    if f.start is not None:  # overlap: an event that runs into the period counts
        mask &= ev["end_date"].to_numpy() >= np.datetime64(f.start, "ns")
    if f.end is not None:
        mask &= ev["start_date"].to_numpy() <= np.datetime64(f.end, "ns")
    return mask


def _non_date_mask(ds: Dataset, f: Filters) -> np.ndarray:
    """Rows matching every filter of ``f`` but the period."""
    ev = ds.events
    n = len(ev)
    mask = np.ones(n, dtype=bool)
    if f.formats:
        mask &= _codes_mask(_coded_column(ev, "format"), f.formats)
    if f.activities:
        mask &= _codes_mask(_coded_column(ev, "activity"), f.activities)
    if f.themes:
        themes = ds.themes
        mask &= _rows_hit(themes, _codes_mask(_coded_column(themes, "theme"), f.themes), n)
    if f.countries:
        table = ds.countries
        mask &= _rows_hit(table, _codes_mask(_coded_column(table, "country"), f.countries), n)
    if f.cities:
        codes, places = _place_codes(ds.partners)
        wanted = places["name"].isin(list(f.cities)).to_numpy()
        mask &= _rows_hit(ds.partners, wanted[codes] if len(codes) else codes.astype(bool), n)
    if f.text.strip() and mask.any():
        # every word must appear; cached per word so the previous period and reruns reuse it
        for word in _search_words(f.text):
            mask &= _word_mask(ev, word)
    return mask


_EDGE_PUNCTUATION = "\"'“”‘’«»,;:.!?()[]{}"


def _search_words(text: str) -> list[str]:
    """The folded words of a search; quotes and commas around a word do not count."""
    words = _fold_letters(text).split()
    return [w for w in (w.strip(_EDGE_PUNCTUATION) for w in words) if w]


class _Subset(Dataset):
    """A Dataset restricted to some events, whose tables are built when first read.

    Filtering used to copy every column of every table (the description text too) on
    each filter change, and the dashboard keeps a few filter states: at 1M events
    that multiplied memory, and at 100k it cost more than the aggregates. A page reads
    a few columns of one or two tables, so a subset keeps the full dataset and the
    kept positions; ``events``, ``themes``, ``partners`` and ``countries`` are built
    in full (as filter_dataset always returned them) only when someone reads them,
    while the aggregates here read single columns through :func:`_column`,
    :func:`_coded`, :func:`_rows` and :func:`_places`, built from the full columns
    with the mask and cached on the subset.
    """

    def __init__(
        self,
        base: Dataset,
        mask: np.ndarray,
        filters: Filters | None = None,
        rest: np.ndarray | None = None,
    ) -> None:
        # Dataset is a frozen dataclass whose fields this class turns into properties
        for name in ("files", "load_seconds", "parsed_files", "warnings"):
            object.__setattr__(self, name, getattr(base, name))
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "mask", mask)
        object.__setattr__(self, "kept", np.flatnonzero(mask))
        # the filters and the mask of all but their period, for filter_dataset(like=)
        object.__setattr__(self, "filters", filters)
        object.__setattr__(self, "rest", rest)
        object.__setattr__(self, "_built", {})

    def __repr__(self) -> str:
        return f"<subset of {len(self.kept):,} of {len(self.mask):,} events>"

    def _get(self, key: Any, build: Callable[[], Any]) -> Any:
        hit = self._built.get(key)
        if hit is None:
            # two sessions may build the same thing at once: both get a correct value
            hit = self._built.setdefault(key, build())
        return hit

    def newpos(self) -> np.ndarray:
        """Position in the subset of each event of the full data (-1: not kept).

        Not kept: 4 bytes an event of the full data, for each filter state remembered.
        """
        pos = np.full(len(self.mask), -1, dtype=np.int32)
        pos[self.kept] = np.arange(len(self.kept), dtype=np.int32)
        return pos

    def column(self, name: str) -> pd.Series:
        """One column of the events frame, restricted (the whole frame is not built)."""
        full = self._built.get("events")
        if full is not None:
            return full[name]
        return self._get(
            ("column", name),
            lambda: self.base.events[name].take(self.kept).reset_index(drop=True),
        )

    def table_selection(self, name: str) -> np.ndarray:
        """Which rows of the full exploded table belong to kept events."""
        return self._get(
            ("sel", name), lambda: self.mask[getattr(self.base, name)["row"].to_numpy()]
        )

    def coded(self, column: str, table: str = "events") -> Coded:
        """A categorical column of the events frame or of an exploded table, restricted."""

        def build() -> Coded:
            codes, categories = _coded_column(getattr(self.base, table), column)
            sel = self.kept if table == "events" else self.table_selection(table)
            return codes[sel], categories

        return self._get(("coded", table, column), build)

    def rows(self, table: str) -> np.ndarray:
        """The ``row`` column of an exploded table, restricted and renumbered."""

        def build() -> np.ndarray:
            base_rows = getattr(self.base, table)["row"].to_numpy()
            return self.newpos()[base_rows[self.table_selection(table)]]

        return self._get(("rows", table), build)

    def place_codes(self) -> tuple[np.ndarray, pd.DataFrame]:
        """The place code of each kept partner row, and the places (see _place_codes)."""

        def build() -> tuple[np.ndarray, pd.DataFrame]:
            codes, places = _place_codes(self.base.partners)
            return codes[self.table_selection("partners")], places

        return self._get("places", build)

    def _table(self, name: str) -> pd.DataFrame:
        def build() -> pd.DataFrame:
            table = getattr(self.base, name)
            sel = self.table_selection(name)
            out = table.loc[sel].reset_index(drop=True)
            out["row"] = self.rows(name)
            if name == "partners":  # its place codes: no factorising names again
                _cached(out, "places", self.place_codes)
            return out

        return self._get(name, build)

    @property  # type: ignore[override]
    def events(self) -> pd.DataFrame:
        return self._get("events", lambda: self.base.events.take(self.kept).reset_index(drop=True))

    @property  # type: ignore[override]
    def themes(self) -> pd.DataFrame:
        return self._table("themes")

    @property  # type: ignore[override]
    def partners(self) -> pd.DataFrame:
        return self._table("partners")

    @property  # type: ignore[override]
    def countries(self) -> pd.DataFrame:
        return self._table("countries")


def event_count(ds: Dataset) -> int:
    """Number of events in the dataset (a filtered one is not built for it)."""
    return len(ds.kept) if isinstance(ds, _Subset) else len(ds.events)


def _column(ds: Dataset, name: str) -> pd.Series:
    """One column of the events frame."""
    return ds.column(name) if isinstance(ds, _Subset) else ds.events[name]


def _coded(ds: Dataset, column: str, table: str = "events") -> Coded:
    """A categorical column of the events frame or of an exploded table."""
    if isinstance(ds, _Subset):
        return ds.coded(column, table)
    return _coded_column(getattr(ds, table), column)


def _rows(ds: Dataset, table: str) -> np.ndarray:
    """The ``row`` column of an exploded table (positions in the events frame)."""
    return ds.rows(table) if isinstance(ds, _Subset) else getattr(ds, table)["row"].to_numpy()


def _places(ds: Dataset) -> tuple[np.ndarray, pd.DataFrame]:
    """Per partner row its place code, and the places (name, kind, country, lat, lon)."""
    return ds.place_codes() if isinstance(ds, _Subset) else _place_codes(ds.partners)


def _events_at(ds: Dataset, positions: np.ndarray) -> pd.DataFrame:
    """The events at these positions, every column, without building the whole subset."""
    if isinstance(ds, _Subset):
        full = ds._built.get("events")
        if full is None:
            return ds.base.events.take(ds.kept[positions]).reset_index(drop=True)
        return full.take(positions).reset_index(drop=True)
    return ds.events.take(positions).reset_index(drop=True)


# For the Events page's table (event_table.py), which searches, sorts and pages here.
derived = _cached
word_mask = _word_mask
word_regex = _word_regex
search_words = _search_words
events_at = _events_at


def frame_positions(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The full events frame a dataset reads, and the positions it keeps (None: all)."""
    if isinstance(ds, _Subset):
        return ds.base.events, ds.kept
    return ds.events, None


def latest_events(ds: Dataset, limit: int) -> pd.DataFrame:
    """The ``limit`` most recent events (all columns), newest first."""
    n = event_count(ds)
    # events are sorted by start date: the most recent are the last rows
    return _events_at(ds, np.arange(n - 1, max(n - limit, 0) - 1, -1))


def filter_dataset(ds: Dataset, f: Filters, *, like: Dataset | None = None) -> Dataset:
    """The same tables restricted to matching events; ``row`` renumbered to the new positions.

    An event matches when its span overlaps the period, it has any of the selected
    themes / formats / activities / countries / partner places, and every word of the
    free text appears (case- and accent-insensitively) in its title, description or
    partner names. With no filter the dataset itself comes back (no copy). The result
    builds each of its tables when first read (a page reads few columns).

    ``like``: a dataset filtered from ``ds`` by the same filters over another period
    (the Overview's current period when it asks for the previous one); only the
    period is then checked anew.
    """
    if f.is_default():
        return ds
    if isinstance(ds, _Subset):  # filtering a subset: the events of both filters
        mask = _event_mask(ds.base, f) & ds.mask
        return ds if mask.sum() == len(ds.kept) else _Subset(ds.base, mask)
    undated = _undated(f)
    same = (
        isinstance(like, _Subset)
        and like.base is ds
        and like.filters is not None
        and _undated(like.filters) == undated
    )
    rest = like.rest if same else _non_date_mask(ds, undated)  # type: ignore[union-attr]
    mask = _event_mask(ds, f, rest)
    if mask.all():
        return ds
    return _Subset(ds, mask, f, rest)


# --------------------------------------------------------------------------- metrics


def _active_days(ds: Dataset, period: tuple[date, date] | None) -> int:
    """Days on which at least one event ran (union of spans), inside the period if given."""
    if not event_count(ds):
        return 0
    start = _column(ds, "start_date").to_numpy().astype("datetime64[D]").astype(np.int64)
    end = _column(ds, "end_date").to_numpy().astype("datetime64[D]").astype(np.int64)
    if period is not None:
        lo = np.datetime64(period[0], "D").astype(np.int64)
        hi = np.datetime64(period[1], "D").astype(np.int64)
        start, end = np.maximum(start, lo), np.minimum(end, hi)
        keep = start <= end
        start, end = start[keep], end[keep]
        if not len(start):
            return 0
    origin = start.min()
    size = int(end.max() - origin) + 2
    # difference array: +1 where a span starts, -1 the day after it ends
    diff = np.bincount(start - origin, minlength=size) - np.bincount(
        end - origin + 1, minlength=size
    )
    return int(np.count_nonzero(np.cumsum(diff)[:-1] > 0))


def _partner_city_count(ds: Dataset) -> int:
    codes, places = _places(ds)
    if not len(codes):
        return 0
    used = np.flatnonzero(np.bincount(codes, minlength=len(places)))
    return int((places["kind"].to_numpy()[used] == "city").sum())


def _country_count(ds: Dataset) -> int:
    codes, _ = _coded(ds, "country", "countries")
    if not len(codes):
        return 0
    return int(np.count_nonzero(np.bincount(codes.astype(np.int64) + 1)[1:]))


def _remote_share(ds: Dataset) -> float | None:
    n = event_count(ds)
    if not n:
        return None
    return float(_codes_mask(_coded(ds, "format"), ("virtual", "hybrid")).sum()) / n


def _leading_theme(ds: Dataset) -> str | None:
    counts = _theme_counts(ds)
    if counts.sum() == 0:
        return None
    return THEMES[int(counts.argmax())]  # the first of equals, in THEMES order


def _change(t: Translator, now: int, before: int) -> str:
    """'+13 (+0.9%)', '−3 (−2%)', '+11 (new)': the change in number and percent."""
    _ = t.gettext
    if now == before:
        return _("no change")
    if before == 0:
        return _("{change} (new)").format(change=t.signed(now - before))
    pct = (now - before) / before
    digits = 1 if abs(pct) < 0.1 else 0
    return f"{t.signed(now - before)} ({t.signed_percent(pct, digits)})"


def overview_metrics(
    current: Dataset,
    previous: Dataset,
    *,
    period: tuple[date, date] | None = None,
    previous_period: tuple[date, date] | None = None,
    t: Translator | None = None,
) -> list[Metric]:
    """Events, days of activity, partner cities, countries, share virtual/hybrid, leading theme.

    Each with its change against ``previous`` (the same filters over the previous period
    of equal length). ``period``/``previous_period`` clip the spans for 'days of activity'.
    Labels, values and changes in ``t``'s language (English by default); ``key`` names
    each figure whatever the language.
    """
    t = t or translator()
    _ = t.gettext
    vs = (
        _("the previous period ({period})").format(period=t.period(*previous_period))
        if previous_period
        else _("the previous period of equal length")
    )
    compared = _("Compared with {period}.").format(period=vs)
    out: list[Metric] = []
    counts = (
        ("events", _("Events"), event_count(current), event_count(previous),
         _("Events in the period.")),
        (
            "days",
            _("Days of activity"),
            _active_days(current, period),
            _active_days(previous, previous_period),
            _("Days on which at least one event took place (multi-day events count each day)."),
        ),
        (
            "cities",
            _("Partner cities"),
            _partner_city_count(current),
            _partner_city_count(previous),
            _("Distinct partner cities named in the events."),
        ),
        (
            "countries",
            _("Countries"),
            _country_count(current),
            _country_count(previous),
            _("Distinct partner countries (from cities, regions and national bodies)."),
        ),
    )  # fmt: skip
    for key, label, now, before, text in counts:
        out.append(
            Metric(
                label,
                t.number(now),
                _change(t, now, before),
                f"{text} {compared}",
                float(now),
                float(now - before),
                key=key,
            )
        )
    share, share_before = _remote_share(current), _remote_share(previous)
    share_delta = None if share is None or share_before is None else 100 * (share - share_before)
    if share_delta is None:
        share_change = None
    elif round(share_delta) == 0:
        share_change = _("no change")
    else:
        share_change = _("{change} pts").format(change=t.signed(round(share_delta)))
    out.append(
        Metric(
            _("Virtual or hybrid"),
            "–" if share is None else t.percent(share),
            share_change,
            _("Share of events held online or partly online.") + " " + compared,
            share,
            share_delta,
            key="remote",
        )
    )
    lead, lead_before = _leading_theme(current), _leading_theme(previous)
    if lead is None or lead_before is None:
        lead_delta = None
    elif lead == lead_before:
        lead_delta = _("same as before")
    else:
        lead_delta = _("was {theme}").format(theme=t.theme(lead_before))
    out.append(
        Metric(
            _("Leading theme"),
            t.theme(lead) if lead else "–",
            lead_delta,
            _("The theme with most events (an event counts under each of its themes).")
            + " "
            + compared,
            key="lead",
            code=lead,
        )
    )
    return out


# ------------------------------------------------------------------------ timelines


def _period_index(dates: np.ndarray, freq: str) -> np.ndarray:
    """datetime64 -> months since 1970 ('M') or weeks since the Monday 29 Dec 1969 ('W')."""
    if freq == "M":
        return dates.astype("datetime64[M]").astype(np.int64)
    if freq == "W":
        return (dates.astype("datetime64[D]").astype(np.int64) + 3) // 7
    raise ValueError(f"freq must be 'W' or 'M', not {freq!r}")


def _period_start(index: np.ndarray, freq: str) -> np.ndarray:
    """Inverse of _period_index: the first day of each period, as datetime64[ns]."""
    if freq == "M":
        return index.astype("datetime64[M]").astype("datetime64[ns]")
    return (index * 7 - 3).astype("datetime64[D]").astype("datetime64[ns]")


def events_over_time(ds: Dataset, freq: str = "M", by: str = "theme") -> pd.DataFrame:
    """Events per week ("W") or month ("M") by primary theme / format / activity.

    Columns: period (Timestamp of the week's Monday or month's first day), group
    (categorical in vocabulary order), events. An event counts once, in the period it
    starts and under its primary theme, so the stacks add up to the number of events.
    """
    column, vocab = _GROUPS[by]
    if not event_count(ds):
        return pd.DataFrame(
            {
                "period": pd.Series([], dtype="datetime64[ns]"),
                "group": pd.Categorical([], categories=list(vocab)),
                "events": pd.Series([], dtype="int64"),
            }
        )
    pidx = _period_index(_column(ds, "start_date").to_numpy(), freq)
    first = int(pidx.min())
    n_periods = int(pidx.max()) - first + 1
    gidx = _vocab_lookup(_coded(ds, column), vocab)
    k = len(vocab) + 1
    flat = np.bincount((pidx - first) * k + gidx, minlength=n_periods * k)
    counts = flat.reshape(n_periods, k)[:, :-1]
    p, g = np.nonzero(counts)
    return pd.DataFrame(
        {
            "period": _period_start(p + first, freq),
            "group": pd.Categorical.from_codes(g, categories=list(vocab)),
            "events": counts[p, g].astype(np.int64),
        }
    )


def events_per_period(
    ds: Dataset, freq: str = "M", start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Total events per period with empty periods as 0 (for sparklines): period, events.

    The periods run from the one holding ``start`` (else the first event) to the one
    holding ``end`` (else the last event).
    """
    pidx = _period_index(_column(ds, "start_date").to_numpy(), freq)
    lo = _period_index(np.array([np.datetime64(start, "ns")]), freq)[0] if start else None
    hi = _period_index(np.array([np.datetime64(end, "ns")]), freq)[0] if end else None
    if lo is None and len(pidx):
        lo = pidx.min()
    if hi is None and len(pidx):
        hi = pidx.max()
    if lo is None or hi is None or hi < lo:
        return pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns]"), "events": []})
    inside = pidx[(pidx >= lo) & (pidx <= hi)] - lo
    counts = np.bincount(inside, minlength=int(hi - lo) + 1)
    grid = _period_start(np.arange(lo, hi + 1), freq)
    return pd.DataFrame({"period": grid, "events": counts.astype(np.int64)})


def event_spans(ds: Dataset, limit: int = 40) -> tuple[pd.DataFrame, int]:
    """The most recent ``limit`` events for a Gantt chart, and how many matched in total.

    Columns: id, title, start, end (exclusive: the day after the last day), theme
    (primary), format, partners (text), dates (text), in chronological order.
    """
    total = event_count(ds)
    # events are sorted by start date; the most recent are the last rows
    starts = _column(ds, "start_date").to_numpy()
    order = np.argsort(starts, kind="stable")[-limit:] if limit else np.zeros(0, np.int64)
    sub = _events_at(ds, order)
    starts = sub["start_date"].to_numpy()
    ends = sub["end_date"].to_numpy()
    dates = [
        period_label(pd.Timestamp(s).date(), pd.Timestamp(e).date())
        for s, e in zip(starts, ends, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "id": sub["id"].to_numpy(),
            "title": sub["title"].fillna("").to_numpy(),
            "start": starts,
            "end": ends + _DAY,
            "theme": sub["primary_theme"].astype(str).to_numpy(),
            "format": sub["format"].astype(str).to_numpy(),
            "partners": ["; ".join(p) for p in sub["partners"]],
            "dates": dates,
        }
    )
    return frame, total


# ----------------------------------------------------------------------- breakdowns


def _vocab_counts(coded: Coded, vocab: Sequence[str], rows: np.ndarray | None = None) -> np.ndarray:
    """Events per vocabulary value; with ``rows``, each (row, value) pair counts once."""
    idx = _vocab_lookup(coded, vocab)
    if rows is not None and len(idx):
        # an event that lists a theme twice still counts once for it: mark (row, value) cells
        k = len(vocab) + 1
        seen = np.zeros((int(rows.max()) + 1) * k, dtype=bool)
        seen[rows.astype(np.int64) * k + idx] = True
        return seen.reshape(-1, k)[:, : len(vocab)].sum(axis=0)
    return np.bincount(idx, minlength=len(vocab) + 1)[: len(vocab)]


def _distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values; a plain sort beats np.unique's hash path on int keys."""
    if not len(keys):
        return keys
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


@functools.cache
def _vocab_dtype(vocab: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(vocab))


def _with_share(name: str, vocab: Sequence[str], counts: np.ndarray, n: int) -> pd.DataFrame:
    # from codes with a ready dtype: building the categories anew costs ~1 ms
    keys = pd.Categorical.from_codes(np.arange(len(vocab)), dtype=_vocab_dtype(tuple(vocab)))
    return pd.DataFrame(
        {
            name: keys,
            "events": counts.astype(np.int64),
            "share": counts / n if n else np.zeros(len(vocab)),
        }
    )


def _theme_counts(ds: Dataset) -> np.ndarray:
    return _vocab_counts(_coded(ds, "theme", "themes"), THEMES, _rows(ds, "themes"))


def theme_counts(ds: Dataset) -> pd.DataFrame:
    """Events per theme, THEMES order (an event counts under each of its themes)."""
    return _with_share("theme", THEMES, _theme_counts(ds), event_count(ds))


def format_counts(ds: Dataset) -> pd.DataFrame:
    """Events per format, FORMATS order: format, events, share."""
    return _with_share(
        "format", FORMATS, _vocab_counts(_coded(ds, "format"), FORMATS), event_count(ds)
    )


def activity_counts(ds: Dataset) -> pd.DataFrame:
    """Events per activity, ACTIVITIES order: activity, events, share."""
    counts = _vocab_counts(_coded(ds, "activity"), ACTIVITIES)
    return _with_share("activity", ACTIVITIES, counts, event_count(ds))


def country_counts(ds: Dataset) -> pd.DataFrame:
    """Events per partner country, most first: country (ISO2), name, region, events."""
    country, cats = _coded(ds, "country", "countries")
    if not len(country):
        return pd.DataFrame({"country": [], "name": [], "region": [], "events": []}).astype(
            {"events": "int64"}
        )
    rows = _rows(ds, "countries").astype(np.int64)
    pairs = _distinct(rows * (len(cats) + 1) + country)
    counts = np.bincount(pairs % (len(cats) + 1), minlength=len(cats) + 1)[: len(cats)]
    used = np.flatnonzero(counts)
    # one conversion of the used categories: indexing an Arrow-backed Index cell by cell is slow
    codes = np.array([str(c) for c in cats.take(used).tolist()], dtype=object)
    names = np.array([_country_name(code) for code in codes], dtype=object)
    events = counts[used].astype(np.int64)
    order = np.lexsort((names.astype(str), -events))  # most events first, then by name
    return pd.DataFrame(
        {
            "country": codes[order],
            "name": names[order],
            "region": [_world_region(code) for code in codes[order]],
            "events": events[order],
        }
    )


def region_counts(ds: Dataset) -> pd.DataFrame:
    """Events per world region, most first (an event counts once per region): region, events."""
    country, cats = _coded(ds, "country", "countries")
    if not len(country):
        return pd.DataFrame({"region": [], "events": []}).astype({"events": "int64"})
    cat_regions = [_world_region(str(code)) for code in cats.tolist()]
    regions = pd.Index(sorted(set(cat_regions)))
    cat_region = regions.get_indexer(cat_regions)
    ridx = cat_region[country]
    rows = _rows(ds, "countries").astype(np.int64)
    seen = np.zeros((int(rows.max()) + 1) * len(regions), dtype=bool)
    seen[rows * len(regions) + ridx] = True
    counts = seen.reshape(-1, len(regions)).sum(axis=0)
    used = np.flatnonzero(counts)
    # regions are sorted by name already: a stable sort by count keeps them in that order
    order = used[np.argsort(-counts[used], kind="stable")]
    return pd.DataFrame(
        {"region": regions[order].tolist(), "events": counts[order].astype(np.int64)}
    )


def theme_format_matrix(ds: Dataset) -> pd.DataFrame:
    """Events per theme (rows, THEMES order) x format (columns, FORMATS order)."""
    rows = _rows(ds, "themes")
    k = len(FORMATS) + 1
    fmt = _vocab_lookup(_coded(ds, "format"), FORMATS)[rows] if len(rows) else []
    thm = _vocab_lookup(_coded(ds, "theme", "themes"), THEMES) if len(rows) else []
    flat = np.bincount(
        np.asarray(thm, dtype=np.int64) * k + np.asarray(fmt, dtype=np.int64),
        minlength=(len(THEMES) + 1) * k,
    )
    grid = flat.reshape(len(THEMES) + 1, k)[: len(THEMES), : len(FORMATS)]
    return pd.DataFrame(
        grid.astype(np.int64),
        index=pd.Index(THEMES, name="theme"),
        columns=pd.Index(FORMATS, name="format"),
    )


def _vocab_lookup(coded: Coded, vocab: Sequence[str]) -> np.ndarray:
    """Per row, the position of its value in ``vocab`` (len(vocab) when missing/unknown)."""
    codes, categories = coded
    at = categories.get_indexer(list(vocab))
    lookup = np.full(len(categories) + 1, len(vocab), dtype=np.int64)  # last slot: code -1
    lookup[at[at >= 0]] = np.flatnonzero(at >= 0)
    return lookup[codes]


# ------------------------------------------------------------------------- partners


def _titles_at(ds: Dataset, positions: np.ndarray) -> list[str]:
    """Titles of the events at these positions (only those: a string column is costly)."""
    if isinstance(ds, _Subset) and "events" not in ds._built:
        ds, positions = ds.base, ds.kept[positions]
    titles = pa.array(ds.events["title"].array).take(positions).to_pylist()
    return [t or "" for t in titles]


def _place_names(places: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The places' names (str array) and each one's rank in alphabetical order; once a frame."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        names = places["name"].to_numpy().astype(str)
        alphabetical = np.empty(len(names), dtype=np.int64)
        alphabetical[np.argsort(names, kind="stable")] = np.arange(len(names))
        return names, alphabetical

    return _cached(places, "names", build)


def partner_place_counts(
    ds: Dataset, max_titles: int = 3, limit: int | None = None
) -> pd.DataFrame:
    """One row per partner place, most events first.

    Columns: name, kind (city/region/country), country, country_name, lat, lon, events
    (distinct events naming it), leading_theme (most frequent primary theme of those
    events), titles (the ``max_titles`` most recent titles, newline-joined, '…' when
    more). ``limit`` keeps the top places only, to bound what a map sends at 1M events.
    """
    codes, places = _places(ds)
    columns = [
        "name",
        "kind",
        "country",
        "country_name",
        "lat",
        "lon",
        "events",
        "leading_theme",
        "titles",
    ]
    if not len(codes):
        return pd.DataFrame({c: [] for c in columns}).astype({"events": "int64"})
    rows = _rows(ds, "partners").astype(np.int64)
    n = event_count(ds)
    n_places = len(places)
    # each (place, event) pair once, sorted by place then most recent event first
    pair = _distinct(codes.astype(np.int64) * (n + 1) + (n - rows))
    place_of = pair // (n + 1)
    row_of = n - pair % (n + 1)
    events = np.bincount(place_of, minlength=n_places)
    theme = _vocab_lookup(_coded(ds, "primary_theme"), THEMES)[row_of]
    k = len(THEMES) + 1
    by_theme = np.bincount(place_of * k + theme, minlength=n_places * k).reshape(n_places, k)
    used = np.flatnonzero(events)
    leading = np.array(THEMES)[by_theme[used, : len(THEMES)].argmax(axis=1)]
    names, alphabetical = _place_names(places)
    # most events first, then by name (integer ranks sort far faster than strings)
    rank = np.lexsort((alphabetical[used], -events[used]))
    names = names[used]
    if limit is not None:
        rank = rank[:limit]
    order = used[rank]
    titles = [""] * len(order)
    if max_titles > 0 and len(order):
        # the pair of a place's most recent title is its first pair; take up to max_titles
        first = np.searchsorted(place_of, order)
        picks = first[:, None] + np.arange(max_titles)
        valid = np.arange(max_titles) < np.minimum(events[order], max_titles)[:, None]
        title_list = _titles_at(ds, row_of[picks[valid]])
        per_place = np.count_nonzero(valid, axis=1).tolist()
        more = (events[order] > max_titles).tolist()
        at = 0
        for i, (count, cut) in enumerate(zip(per_place, more, strict=True)):
            titles[i] = "\n".join(title_list[at : at + count]) + ("\n…" if cut else "")
            at += count
    sub = places.iloc[order]
    country = sub["country"].astype(str).to_numpy()
    country_names = {c: _country_name(c) for c in set(country.tolist())}
    return pd.DataFrame(
        {
            "name": names[rank],
            "kind": sub["kind"].astype(str).to_numpy(),
            "country": country,
            "country_name": [country_names[c] for c in country],
            "lat": sub["lat"].to_numpy(dtype=float),
            "lon": sub["lon"].to_numpy(dtype=float),
            "events": events[order].astype(np.int64),
            "leading_theme": leading[rank],
            "titles": titles,
        }
    )


def top_partner_cities(
    ds: Dataset, n: int = 10, *, places: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ``n`` partner cities with most events: name, country, country_name, events.

    ``places`` is partner_place_counts(ds) when the caller has it already (the map).
    """
    if places is None:
        places = partner_place_counts(ds, max_titles=0)
    cities = places[places["kind"] == "city"]
    return cities[["name", "country", "country_name", "events"]].head(n).reset_index(drop=True)


def top_countries(ds: Dataset, n: int = 10) -> pd.DataFrame:
    """The ``n`` partner countries with most events: country, name, region, events."""
    return country_counts(ds).head(n)
