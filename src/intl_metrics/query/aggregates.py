"""Aggregates of a (filtered) Dataset into the small frames the charts draw.

Events over time (per week or month, and each event's span), counts by theme, format,
activity, country and world region, the theme x format matrix, and partner places.
Vectorised: ``np.bincount`` on category codes, no per-row Python.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from intl_metrics.load import Dataset
from intl_metrics.query.filters import _country_name, _world_region
from intl_metrics.query.periods import period_label
from intl_metrics.query.subset import (
    Coded,
    _cached,
    _coded,
    _column,
    _events_at,
    _places,
    _rows,
    _Subset,
    event_count,
)
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES

_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "theme": ("primary_theme", THEMES),
    "format": ("format", FORMATS),
    "activity": ("activity", ACTIVITIES),
}
_DAY = np.timedelta64(1, "D")


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
