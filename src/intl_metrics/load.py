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


def _label(
    entries: list[Entry], gaz: Gazetteer, progress: Callable[[float], None] | None
) -> list[_Labels]:
    """Label entries, in worker processes for a large file, reporting the share done."""
    workers = _workers()
    labels: list[_Labels] = []
    if workers > 1 and len(entries) >= PARALLEL_MIN_ENTRIES:
        try:
            for chunk in _label_in_workers(entries, gaz, workers):
                labels.extend(chunk)
                if progress:
                    progress(len(labels) / len(entries))
            return labels
        except (BrokenProcessPool, OSError) as exc:  # no processes here: label in this one
            log.warning("labelling in worker processes failed (%s); labelling here", exc)
            labels.clear()
    for i in range(0, len(entries), _CHUNK):
        labels.extend(_label_range(entries, gaz, i, i + _CHUNK))
        if progress:
            progress(len(labels) / len(entries))
    return labels


def _load_file(
    path: Path, key: _FileKey, gaz: Gazetteer, progress: Callable[[float], None] | None = None
) -> tuple[Frames, FileReport]:
    cached = _file_cache.get(key)
    if cached is not None:
        return cached
    t0 = time.perf_counter()
    try:
        result = parse_file(path)
        labels = _label(result.entries, gaz, progress)
        frames = _frames(result.entries, labels)
    except OSError as exc:
        report = FileReport(path.name, str(path), key[2], 0, error=exc.strerror or str(exc))
        return _frames([], []), report
    except Exception as exc:  # a bug in a rule must not take the other files down
        log.exception("could not load %s", path)
        reason = f"internal error while reading this file ({type(exc).__name__}: {exc})"
        return _frames([], []), FileReport(path.name, str(path), key[2], 0, error=reason)
    report = FileReport(
        name=path.name,
        path=str(path),
        size=key[2],
        events=len(frames[0]),
        warnings=tuple(result.warnings),
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


def _interned(values: Iterable[tuple]) -> list[tuple]:
    """The same tuples, equal ones shared: most events repeat a few theme/country sets."""
    seen: dict[tuple, tuple] = {}
    return [seen.setdefault(v, v) for v in values]


def events_frame(events: Sequence[Event]) -> Frames:
    """Events -> (events, themes, partners, countries) frames; duplicates by id dropped.

    Exploded tables carry ``row`` (position in the events frame) and ``event_id``.
    """
    entries = [
        Entry(e.start_date, e.end_date, e.title, e.description, e.language, e.source)
        for e in events
    ]
    return _frames(entries, [_labels(e) for e in events])


def _frames(entries: Sequence[Entry], labels: Sequence[_Labels]) -> Frames:
    """Entries and their labels -> the four frames, sorted by date then title."""
    seen: set[str] = set()
    keep: list[int] = []
    for i, lab in enumerate(labels):
        if lab[0] not in seen:
            seen.add(lab[0])
            keep.append(i)
    keep.sort(key=lambda i: (entries[i].start_date, entries[i].end_date, entries[i].title))
    ents = [entries[i] for i in keep]
    labs = [labels[i] for i in keep]
    n = len(ents)

    start = _dates([e.start_date.toordinal() for e in ents])
    end = _dates([e.end_date.toordinal() for e in ents])
    ids = [lab[0] for lab in labs]
    themes = _interned(lab[3] for lab in labs)
    places = [lab[4] for lab in labs]
    frame = pd.DataFrame(
        {
            "id": pd.array(ids, dtype="string"),
            "start_date": start,
            "end_date": end,
            "days": ((end - start).astype("timedelta64[D]").astype(np.int64) + 1).astype(np.int32),
            "title": pd.array([e.title for e in ents], dtype="string"),
            "description": pd.array([e.description for e in ents], dtype="string"),
            "language": _categorical([e.language for e in ents], LANGUAGES),
            "format": _categorical([lab[1] for lab in labs], FORMATS),
            "activity": _categorical([lab[2] for lab in labs], ACTIVITIES),
            "themes": themes,
            "primary_theme": _categorical([_primary_theme(t) for t in themes], THEMES),
            "partners": _interned(tuple(p[0] for p in ps) for ps in places),
            "countries": _interned(lab[5] for lab in labs),
            "organisations": _interned(lab[6] for lab in labs),
            "projects": _interned(lab[7] for lab in labs),
            "source_file": pd.Categorical([e.source.file for e in ents]),
            "source_line": np.asarray([e.source.line for e in ents], dtype=np.int32),
        }
    )

    def exploded(lists: Sequence[tuple], columns: list[str]) -> dict[str, object]:
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=n)
        rows = np.repeat(np.arange(n, dtype=np.int32), counts)
        flat = [x for xs in lists for x in xs]
        out: dict[str, object] = {"row": rows, "event_id": pd.array(
            np.asarray(ids, dtype=object)[rows] if n else [], dtype="string"
        )}  # fmt: skip
        if len(columns) == 1:
            out[columns[0]] = flat
        else:
            for j, col in enumerate(columns):
                out[col] = [x[j] for x in flat]
        return out

    theme_table = pd.DataFrame(exploded(themes, ["theme"]))
    theme_table["theme"] = _categorical(theme_table["theme"].tolist(), THEMES)
    partners = pd.DataFrame(exploded(places, ["name", "kind", "country", "lat", "lon"]))
    partners["kind"] = _categorical(partners["kind"].tolist(), PLACE_KINDS)
    partners["country"] = partners["country"].astype("category")
    partners["lat"] = partners["lat"].astype("float64")
    partners["lon"] = partners["lon"].astype("float64")
    countries = pd.DataFrame(exploded([lab[5] for lab in labs], ["country"]))
    countries["country"] = countries["country"].astype("category")
    return frame, theme_table, partners, countries


def _combine(per_file: list[Frames]) -> Frames:
    """One set of frames from several files' frames: duplicates dropped, sorted, rows renumbered."""
    if not per_file:
        return _frames([], [])
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
