"""Agenda files -> one tidy DataFrame (+ exploded tables): the dashboard's only door to data."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from intl_metrics.enrich import enrich
from intl_metrics.enrich.places import Gazetteer
from intl_metrics.parse import parse_file
from intl_metrics.schema import (
    ACTIVITIES,
    FORMATS,
    LANGUAGES,
    PLACE_KINDS,
    THEMES,
    Entry,
    Event,
    ParseWarning,
    event_id,
)

__all__ = ["DEFAULT_DATA_DIR", "Dataset", "FileReport", "events_frame", "load_events"]

log = logging.getLogger(__name__)

# data/raw of the checkout; INTL_METRICS_DATA overrides it (a directory or one file).
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "raw"

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class FileReport:
    """What loading one file gave: its events, its warnings, or why it could not be read."""

    name: str
    path: str
    size: int
    events: int
    warnings: tuple[ParseWarning, ...] = ()
    error: str | None = None
    parse_seconds: float = 0.0


@dataclass(frozen=True)
class Dataset:
    """Everything the dashboard reads: events, exploded tables and how they were loaded."""

    events: pd.DataFrame
    themes: pd.DataFrame
    partners: pd.DataFrame
    countries: pd.DataFrame
    files: tuple[FileReport, ...]
    load_seconds: float
    parsed_files: int = 0
    warnings: tuple[ParseWarning, ...] = field(default=())


Frames = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]

# Per file, its frames (not Event objects: at 1M events those cost ~0.85 GB more),
# keyed on what changes when the file changes.
_FileKey = tuple[str, int, int]
_file_cache: dict[_FileKey, tuple[Frames, FileReport]] = {}
_dataset_cache: dict[tuple[_FileKey | str, ...], Dataset] = {}
_lock = threading.Lock()

_CHUNK = 5_000  # entries labelled between two progress reports
# From this many entries a file is labelled in worker processes, one per CPU: starting
# them (imports and the gazetteer, ~1 s each) pays off only on a large file.
PARALLEL_MIN_ENTRIES = 20_000


def _agenda_files(paths: Iterable[str | os.PathLike[str]] | None) -> list[Path]:
    if paths is None:
        env = os.environ.get("INTL_METRICS_DATA")
        paths = [env] if env else [DEFAULT_DATA_DIR]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix == ".txt"))
        else:
            files.append(p)
    return files


def _file_key(path: Path) -> _FileKey | str:
    try:
        st = path.stat()
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


# ------------------------------------------------------------------------- labelling

# What enrich adds to an entry, as plain values (cheap to pickle back from a worker):
# id, format, activity, themes, partners as (name, kind, country, lat, lon), countries,
# organisations, projects.
_Place = tuple[str, str, str, float, float]
_Labels = tuple[
    str, str, str, tuple[str, ...], tuple[_Place, ...], tuple[str, ...], tuple[str, ...],
    tuple[str, ...],
]  # fmt: skip


def _labels(ev: Event) -> _Labels:
    places = tuple((p.name, p.kind, p.country, p.lat, p.lon) for p in ev.partners)
    return (
        ev.id, ev.format, ev.activity, ev.themes, places, ev.countries, ev.organisations,
        ev.projects,
    )  # fmt: skip


def _label_range(entries: list[Entry], gaz: Gazetteer, start: int, stop: int) -> list[_Labels]:
    return [_labels(enrich(e, gaz)) for e in entries[start:stop]]


# What a forked worker labels: set just before the pool starts, inherited by the workers.
_forked: tuple[list[Entry], Gazetteer] | None = None


def _label_forked(span: tuple[int, int]) -> list[_Labels]:
    """Worker side: label entries[start:stop] of the file being loaded."""
    assert _forked is not None, "only called in a worker forked by _label_in_workers"
    return _label_range(*_forked, *span)


def _workers() -> int:
    if sys.platform != "linux":  # fork is the only start method that fits (see below)
        return 1
    return len(os.sched_getaffinity(0))


def _label_in_workers(
    entries: list[Entry], gaz: Gazetteer, workers: int
) -> Iterator[list[_Labels]]:
    """Label chunks of entries in forked processes, yielding them in order.

    Fork, not spawn or forkserver: the workers inherit the parsed entries and the
    gazetteer (nothing to pickle on the way in, nothing to load), and no one
    re-imports the caller's main script. The dashboard forks from a thread of a
    multi-threaded server, which is safe here because a worker runs only the
    pure-Python labellers: no lock another thread may hold, no I/O.
    """
    global _forked
    _forked = (entries, gaz)
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns on any fork with threads
            warnings.filterwarnings("ignore", "This process .* use of fork", DeprecationWarning)
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                spans = ((i, i + _CHUNK) for i in range(0, len(entries), _CHUNK))
                yield from pool.map(_label_forked, spans)
    finally:
        _forked = None


def _labelled_chunks(entries: list[Entry], gaz: Gazetteer) -> Iterator[list[_Labels]]:
    """The labels of entries chunk by chunk, in order: in worker processes for a large file."""
    workers = _workers()
    if workers > 1 and len(entries) >= PARALLEL_MIN_ENTRIES:
        done = 0
        try:
            for chunk in _label_in_workers(entries, gaz, workers):
                done += len(chunk)
                yield chunk
            return
        except (BrokenProcessPool, OSError) as exc:  # no processes here: label in this one
            if done:  # chunks already handed on cannot be taken back
                raise
            log.warning("labelling in worker processes failed (%s); labelling here", exc)
    for i in range(0, len(entries), _CHUNK):
        yield _label_range(entries, gaz, i, i + _CHUNK)


def _build(
    entries: list[Entry], gaz: Gazetteer, progress: Callable[[float], None] | None
) -> Frames:
    """Label unique, sorted entries into frames; each chunk's entries are let go once added."""
    entries, ids = _unique_sorted(entries)
    builder = _FrameBuilder()
    start = 0
    for labels in _labelled_chunks(entries, gaz):
        stop = start + len(labels)
        builder.add(entries[start:stop], ids[start:stop], labels)
        entries[start:stop] = [None] * (stop - start)  # type: ignore[list-item]  # memory
        start = stop
        if progress:
            progress(stop / len(entries))
    return builder.frames()


def _load_file(
    path: Path, key: _FileKey, gaz: Gazetteer, progress: Callable[[float], None] | None = None
) -> tuple[Frames, FileReport]:
    cached = _file_cache.get(key)
    if cached is not None:
        return cached
    t0 = time.perf_counter()
    try:
        result = parse_file(path)
        warnings_ = tuple(result.warnings)
        frames = _build(result.entries, gaz, progress)
    except OSError as exc:
        report = FileReport(path.name, str(path), key[2], 0, error=exc.strerror or str(exc))
        return _FrameBuilder().frames(), report
    except Exception as exc:  # a bug in a rule must not take the other files down
        log.exception("could not load %s", path)
        reason = f"internal error while reading this file ({type(exc).__name__}: {exc})"
        return _FrameBuilder().frames(), FileReport(path.name, str(path), key[2], 0, error=reason)
    report = FileReport(
        name=path.name,
        path=str(path),
        size=key[2],
        events=len(frames[0]),
        warnings=warnings_,
        parse_seconds=time.perf_counter() - t0,
    )
    _file_cache[key] = (frames, report)
    return frames, report


def load_events(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    progress: Progress | None = None,
) -> Dataset:
    """Load agenda files (default: every ``*.txt`` in ``data/raw``) into a Dataset.

    A file that cannot be read or parsed is reported in ``Dataset.files`` and the
    rest still load. A second call with unchanged files parses nothing.
    """
    t0 = time.perf_counter()
    files = _agenda_files(paths)
    keys = tuple(_file_key(f) for f in files)
    with _lock:
        hit = _dataset_cache.get(keys)
        if hit is not None:
            return hit
        gaz = Gazetteer.default()
        per_file: list[Frames] = []
        reports: list[FileReport] = []
        parsed = 0
        for i, (path, key) in enumerate(zip(files, keys, strict=True)):
            if progress:
                progress(i / max(len(files), 1), f"Reading {path.name}")
            if isinstance(key, str):
                reports.append(FileReport(path.name, str(path), 0, 0, error=key))
                continue
            parsed += key not in _file_cache

            def file_progress(done: float, i: int = i, name: str = path.name) -> None:
                if progress:
                    progress((i + done) / len(files), f"Labelling {name}: {done:.0%}")

            frames, report = _load_file(path, key, gaz, file_progress)
            per_file.append(frames)
            reports.append(report)
        frames = _combine(per_file)
        if progress:
            progress(1.0, f"Loaded {len(frames[0])} events")
        dataset = Dataset(
            *frames,
            files=tuple(reports),
            load_seconds=time.perf_counter() - t0,
            parsed_files=parsed,
            warnings=tuple(w for r in reports for w in r.warnings),
        )
        _dataset_cache.clear()  # keep only the latest view of the files
        _dataset_cache[keys] = dataset
        return dataset


# ---------------------------------------------------------------------------- frames

_EPOCH = date(1970, 1, 1).toordinal()


def _dates(ordinals: list[int]) -> np.ndarray:
    return (
        (np.asarray(ordinals, dtype=np.int64) - _EPOCH)
        .astype("datetime64[D]")
        .astype("datetime64[ns]")
    )


def _categorical(values: Sequence[str], categories: Sequence[str]) -> pd.Categorical:
    return pd.Categorical(values, categories=list(categories))


def _unique_sorted(entries: list[Entry]) -> tuple[list[Entry], list[str]]:
    """Entries in frame order (date, end, title), the first of each id kept; and their ids."""
    first: dict[str, int] = {}
    for i, e in enumerate(entries):
        first.setdefault(event_id(e.start_date, e.title), i)
    order = sorted(first.items(), key=lambda kv: _sort_key(entries[kv[1]]))
    return [entries[i] for _, i in order], [eid for eid, _ in order]


def _sort_key(e: Entry) -> tuple[date, date, str]:
    return (e.start_date, e.end_date, e.title)


class _FrameBuilder:
    """Builds the four frames chunk by chunk, so a chunk's entries can be let go once added.

    Text goes into Arrow arrays (a few bytes over its length, against ~50 per Python
    string); equal label tuples are shared, since most events repeat a few sets.
    """

    def __init__(self) -> None:
        self.n = 0
        self.text: dict[str, list[pa.Array]] = {"id": [], "title": [], "description": []}
        self.cols: dict[str, list] = {
            k: []
            for k in (
                "start", "end", "language", "format", "activity", "themes", "partners",
                "countries", "organisations", "projects", "source_file", "source_line",
            )
        }  # fmt: skip
        self.exploded: dict[str, dict[str, list]] = {
            "themes": {"row": [], "event_id": [], "theme": []},
            "partners": {"row": [], "event_id": [], "place": []},
            "countries": {"row": [], "event_id": [], "country": []},
        }
        self._shared: dict[tuple, tuple] = {}

    def _share(self, value: tuple) -> tuple:
        return self._shared.setdefault(value, value)

    def add(self, entries: Sequence[Entry], ids: Sequence[str], labels: Sequence[_Labels]) -> None:
        """Append events, in frame order."""
        for name, values in (
            ("id", ids),
            ("title", [e.title for e in entries]),
            ("description", [e.description for e in entries]),
        ):
            self.text[name].append(pa.array(values, type=pa.large_string()))
        c, x, share = self.cols, self.exploded, self._share
        for row, (e, eid, lab) in enumerate(zip(entries, ids, labels, strict=True), self.n):
            _, fmt, activity, themes, places, countries, orgs, projs = lab
            c["start"].append(e.start_date.toordinal())
            c["end"].append(e.end_date.toordinal())
            c["language"].append(e.language)
            c["format"].append(fmt)
            c["activity"].append(activity)
            c["themes"].append(share(themes))
            c["partners"].append(share(tuple(p[0] for p in places)))
            c["countries"].append(share(countries))
            c["organisations"].append(share(orgs))
            c["projects"].append(share(projs))
            c["source_file"].append(e.source.file)
            c["source_line"].append(e.source.line)
            for theme in themes:
                x["themes"]["row"].append(row)
                x["themes"]["event_id"].append(eid)
                x["themes"]["theme"].append(theme)
            for place in places:
                x["partners"]["row"].append(row)
                x["partners"]["event_id"].append(eid)
                x["partners"]["place"].append(place)
            for country in countries:
                x["countries"]["row"].append(row)
                x["countries"]["event_id"].append(eid)
                x["countries"]["country"].append(country)
        self.n += len(entries)

    def frames(self) -> Frames:
        """The four frames of everything added."""
        c = self.cols
        start, end = _dates(c["start"]), _dates(c["end"])
        text = {
            name: pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()))
            for name, chunks in self.text.items()
        }
        frame = pd.DataFrame(
            {
                "id": text["id"],
                "start_date": start,
                "end_date": end,
                "days": ((end - start).astype("timedelta64[D]").astype(np.int64) + 1).astype(
                    np.int32
                ),
                "title": text["title"],
                "description": text["description"],
                "language": _categorical(c["language"], LANGUAGES),
                "format": _categorical(c["format"], FORMATS),
                "activity": _categorical(c["activity"], ACTIVITIES),
                "themes": c["themes"],
                "primary_theme": _categorical([_primary_theme(t) for t in c["themes"]], THEMES),
                "partners": c["partners"],
                "countries": c["countries"],
                "organisations": c["organisations"],
                "projects": c["projects"],
                "source_file": pd.Categorical(c["source_file"]),
                "source_line": np.asarray(c["source_line"], dtype=np.int32),
            }
        )
        x = self.exploded
        themes = _exploded(x["themes"])
        themes["theme"] = _categorical(themes["theme"].tolist(), THEMES)
        xp = x["partners"]
        columns = zip(*xp["place"], strict=True) if xp["place"] else [()] * 5
        place = dict(zip(("name", "kind", "country", "lat", "lon"), columns, strict=True))
        partners = _exploded({"row": xp["row"], "event_id": xp["event_id"], **place})
        partners["kind"] = _categorical(partners["kind"].tolist(), PLACE_KINDS)
        partners["country"] = partners["country"].astype("category")
        partners["lat"] = partners["lat"].astype("float64")
        partners["lon"] = partners["lon"].astype("float64")
        countries = _exploded(x["countries"])
        countries["country"] = countries["country"].astype("category")
        return frame, themes, partners, countries


def _exploded(columns: dict[str, list]) -> pd.DataFrame:
    table = pd.DataFrame(columns)
    table["row"] = np.asarray(columns["row"], dtype=np.int32)
    table["event_id"] = pd.array(columns["event_id"], dtype="string")
    return table


def events_frame(events: Sequence[Event]) -> Frames:
    """Events -> (events, themes, partners, countries) frames; duplicates by id dropped.

    Exploded tables carry ``row`` (position in the events frame) and ``event_id``.
    """
    by_entry = {
        Entry(e.start_date, e.end_date, e.title, e.description, e.language, e.source): e
        for e in events
    }
    entries, ids = _unique_sorted(list(by_entry))
    builder = _FrameBuilder()
    builder.add(entries, ids, [_labels(by_entry[e]) for e in entries])
    return builder.frames()


def _combine(per_file: list[Frames]) -> Frames:
    """One set of frames from several files' frames: duplicates dropped, sorted, rows renumbered."""
    if not per_file:
        return _FrameBuilder().frames()
    if len(per_file) == 1:
        return per_file[0]  # the file's own frames, shared, not copied
    events = pd.concat([f[0] for f in per_file], ignore_index=True)
    offsets = np.cumsum([0] + [len(f[0]) for f in per_file[:-1]])
    first = ~events["id"].duplicated().to_numpy()  # the first file listed wins
    order = np.lexsort(
        (
            events["title"].to_numpy(dtype=object),
            events["end_date"].to_numpy(),
            events["start_date"].to_numpy(),
        )
    )
    order = order[first[order]]
    newpos = np.full(len(events), -1, dtype=np.int64)
    newpos[order] = np.arange(len(order))
    events = events.take(order).reset_index(drop=True)
    _restore_categories(events, per_file[0][0])

    tables = []
    for t in range(1, 4):
        table = pd.concat(
            [f[t].assign(row=f[t]["row"] + off) for f, off in zip(per_file, offsets, strict=True)],
            ignore_index=True,
        )
        rows = newpos[table["row"].to_numpy()]
        kept = np.flatnonzero(rows >= 0)
        kept = kept[np.argsort(rows[kept], kind="stable")]  # grouped by event, labels in order
        table = table.take(kept).reset_index(drop=True)
        table["row"] = rows[kept].astype(np.int32)
        _restore_categories(table, per_file[0][t])
        tables.append(table)
    return events, tables[0], tables[1], tables[2]


# Categorical columns with a fixed vocabulary; the others take their categories from the data.
_VOCABULARIES: dict[str, Sequence[str]] = {
    "language": LANGUAGES,
    "format": FORMATS,
    "activity": ACTIVITIES,
    "primary_theme": THEMES,
    "theme": THEMES,
    "kind": PLACE_KINDS,
}


def _restore_categories(table: pd.DataFrame, like: pd.DataFrame) -> None:
    """Columns that were categorical per file stay categorical after a concat."""
    for col in like.columns:
        was = isinstance(like[col].dtype, pd.CategoricalDtype)
        if was and not isinstance(table[col].dtype, pd.CategoricalDtype):
            vocabulary = _VOCABULARIES.get(col)
            table[col] = (
                _categorical(table[col].tolist(), vocabulary)
                if vocabulary
                else (pd.Categorical(table[col].tolist()))
            )


def _primary_theme(themes: Sequence[str]) -> str:
    """The theme an event is coloured by: its first stated subject, else institutional."""
    for t in themes:
        if t != "institutional":
            return t
    return "institutional"


def clear_cache() -> None:
    """Forget every parsed file (tests, and the dashboard's reload control)."""
    with _lock:
        _file_cache.clear()
        _dataset_cache.clear()
