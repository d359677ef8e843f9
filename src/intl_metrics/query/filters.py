"""What the user selected (:class:`Filters`) and which events match it.

:func:`filter_dataset` turns a Dataset and Filters into a filtered Dataset (a
``subset._Subset``): boolean masks over the exploded tables' category codes, the
period as an overlap of spans, and every word of the free text (``search``).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from intl_metrics.i18n import Translator, translator
from intl_metrics.load import Dataset
from intl_metrics.query.search import _partner_text, _search_words, _word_mask
from intl_metrics.query.subset import (
    _coded_column,
    _codes_mask,
    _place_codes,
    _Subset,
)


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


def prepare(ds: Dataset, *, text: bool = True) -> None:
    """Build the place codes (and, with ``text``, the partner names searched) now.

    Otherwise they are built at first use: the map's first draw, the first search.
    """
    _place_codes(ds.partners)
    if text:
        _partner_text(ds.events)


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
