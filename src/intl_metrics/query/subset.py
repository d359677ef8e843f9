"""A Dataset, whole or filtered, read column by column.

The filtered dataset (``_Subset``) holds the full one and a mask and builds only the
columns that are read, so a filter change copies no text. The aggregates read it through
:func:`_column`, :func:`_coded`, :func:`_rows` and :func:`_places`, which serve a full
Dataset and a subset alike; derived arrays (category codes, place codes) are cached per
frame and dropped with it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from intl_metrics.load import Dataset
from intl_metrics.schema import PLACE_KINDS

if TYPE_CHECKING:
    from intl_metrics.query.filters import Filters

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


def corrected_label_count(ds: Dataset) -> int:
    """How many labels staff corrected on the events of the dataset (corrections in force;
    an entry marked not an event or a duplicate is in no dataset, so it counts nothing)."""
    full = ds.base if isinstance(ds, _Subset) else ds
    if "corrected" not in full.events.columns:  # events given directly, not from the store
        return 0
    return int(sum(len(c) for c in _column(ds, "corrected")))


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
