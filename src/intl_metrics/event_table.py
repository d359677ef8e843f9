"""The Events page's table: every matching event searched, sorted and paged on the server.

The browser gets one page of rows; the search, the order and the downloads cover every
event the filters keep (the table used to hold only the 5,000 newest, so "oldest first"
started in 2023 on a 20,000-event archive, and downloads ignored the search).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from intl_metrics.i18n import NP_, Translator, translator
from intl_metrics.load import Dataset
from intl_metrics.query import (
    derived,
    event_count,
    events_at,
    frame_positions,
    search_words,
    word_mask,
    word_regex,
)

__all__ = [
    "DEFAULT_SORT",
    "PAGE_SIZES",
    "SORTS",
    "events_at",
    "matching_events",
    "page_count",
    "sorted_events",
    "table_frame",
]

# URL value -> what the sort control says.
SORTS: dict[str, str] = {
    "newest": NP_("sort", "Newest first"),
    "oldest": NP_("sort", "Oldest first"),
    "title": NP_("sort", "Title A–Z"),
    "title-desc": NP_("sort", "Title Z–A"),
    "longest": NP_("sort", "Longest first"),
}
DEFAULT_SORT = "newest"
PAGE_SIZES: tuple[int, ...] = (50, 100, 250, 500)


def _other_fields(events: pd.DataFrame) -> pa.Array:
    """Per event, the fields the filters' text search does not read, as one string:
    organisations, projects, themes, countries, activity, format, language, file."""

    def build() -> pa.Array:
        lists = ("organisations", "projects", "themes", "countries")
        columns = [events[c].tolist() for c in lists]
        singles = [events[c].astype(str).tolist() for c in ("activity", "format", "source_file")]
        return pa.array(
            [
                " ".join(" ".join(v) for v in row[: len(lists)]) + " " + " ".join(row[len(lists) :])
                for row in zip(*columns, *singles, strict=True)
            ],
            type=pa.large_string(),
        )

    return derived(events, "other-fields", build)


def matching_events(ds: Dataset, search: str) -> np.ndarray:
    """Positions (in ``ds``) of the events with every word of ``search`` in any field.

    Case and accents do not count ('munchen' finds München); words are looked for in
    the title, description and partners (as the sidebar's Text filter does) and in
    the organisations, projects, themes, countries, activity, format and source file.
    """
    n = event_count(ds)
    words = search_words(search)
    if not words:
        return np.arange(n)
    full, kept = frame_positions(ds)
    hit = np.ones(len(full), dtype=bool) if kept is None else np.zeros(len(full), dtype=bool)
    if kept is not None:
        hit[kept] = True
    others = _other_fields(full)
    for word in words:
        found = word_mask(full, word)
        more = pc.fill_null(pc.match_substring_regex(others, word_regex(word)), False)
        hit &= found | np.asarray(more, dtype=bool)
    return np.flatnonzero(hit) if kept is None else np.flatnonzero(hit[kept])


def sorted_events(ds: Dataset, positions: np.ndarray, sort: str = DEFAULT_SORT) -> np.ndarray:
    """``positions`` in the order ``sort`` names (see SORTS); ties by date, then title."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; expected one of {', '.join(SORTS)}")
    if not len(positions):
        return positions
    full, kept = frame_positions(ds)
    rows = positions if kept is None else kept[positions]
    start = full["start_date"].to_numpy()[rows].view(np.int64)
    end = full["end_date"].to_numpy()[rows].view(np.int64)
    keys = {"start": start, "end": end, "days": end - start, "pos": np.arange(len(rows))}
    if sort in ("title", "title-desc"):
        titles = pa.array(full["title"].array).take(pa.array(rows))
        keys["title"] = pc.rank(pc.utf8_lower(titles), sort_keys="ascending").to_numpy()
    table = pa.table(keys)
    order = {
        "newest": [("start", "descending"), ("end", "descending"), ("pos", "ascending")],
        "oldest": [("start", "ascending"), ("end", "ascending"), ("pos", "ascending")],
        "title": [("title", "ascending"), ("start", "descending"), ("pos", "ascending")],
        "title-desc": [("title", "descending"), ("start", "descending"), ("pos", "ascending")],
        "longest": [("days", "descending"), ("start", "descending"), ("pos", "ascending")],
    }[sort]
    return positions[pc.sort_indices(table, sort_keys=order).to_numpy()]


def page_count(total: int, size: int) -> int:
    """Pages of ``size`` rows that ``total`` events fill (at least one)."""
    return max(1, -(-total // size))


def _joined(values: object) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list | tuple) else ""


def table_frame(events: pd.DataFrame, t: Translator | None = None) -> pd.DataFrame:
    """Every field of the events as display columns (lists joined, source as file and line).

    Formats, activities and themes by their names in ``t``'s language; data text as written.
    """
    t = t or translator()

    def joined(column: str) -> list[str]:
        return [_joined(v) for v in events[column].tolist()]

    themes = [
        ", ".join(t.theme(str(x)) for x in v) if isinstance(v, list | tuple) else ""
        for v in events["themes"].tolist()
    ]

    return pd.DataFrame(
        {
            "start": events["start_date"].dt.date,
            "end": events["end_date"].dt.date,
            "days": events["days"],
            "title": events["title"],
            "format": [t.format(str(v)) for v in events["format"].tolist()],
            "activity": [t.activity(str(v)) for v in events["activity"].tolist()],
            "themes": themes,
            "partners": joined("partners"),
            "countries": joined("countries"),
            "organisations": joined("organisations"),
            "projects": joined("projects"),
            "language": events["language"],
            "description": events["description"],
            "source_file": events["source_file"],
            "source_line": events["source_line"],
            "id": events["id"],
        }
    )
