"""Agenda files -> one tidy DataFrame (+ exploded tables): the dashboard's only door to data."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
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


# Parsed events per file, keyed on what changes when the file changes.
_FileKey = tuple[str, int, int]
_file_cache: dict[_FileKey, tuple[list[Event], FileReport]] = {}
_dataset_cache: dict[tuple[_FileKey | str, ...], Dataset] = {}
_lock = threading.Lock()


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


_CHUNK = 5_000  # entries labelled between two progress reports


def _enrich_entries(
    entries: list[Entry], gaz: Gazetteer, progress: Callable[[float], None] | None
) -> list[Event]:
    """Label entries, reporting the share done for a large file."""
    events: list[Event] = []
    for i in range(0, len(entries), _CHUNK):
        events.extend(enrich(e, gaz) for e in entries[i : i + _CHUNK])
        if progress:
            progress(min(i + _CHUNK, len(entries)) / len(entries))
    return events


def _load_file(
    path: Path, key: _FileKey, gaz: Gazetteer, progress: Callable[[float], None] | None = None
) -> tuple[list[Event], FileReport]:
    cached = _file_cache.get(key)
    if cached is not None:
        return cached
    t0 = time.perf_counter()
    try:
        result = parse_file(path)
        events = _enrich_entries(result.entries, gaz, progress)
    except OSError as exc:
        return [], FileReport(path.name, str(path), key[2], 0, error=exc.strerror or str(exc))
    except Exception as exc:  # a bug in a rule must not take the other files down
        log.exception("could not load %s", path)
        reason = f"internal error while reading this file ({type(exc).__name__}: {exc})"
        return [], FileReport(path.name, str(path), key[2], 0, error=reason)
    report = FileReport(
        name=path.name,
        path=str(path),
        size=key[2],
        events=len(events),
        warnings=tuple(result.warnings),
        parse_seconds=time.perf_counter() - t0,
    )
    _file_cache[key] = (events, report)
    return events, report


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
        all_events: list[Event] = []
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

            events, report = _load_file(path, key, gaz, file_progress)
            all_events.extend(events)
            reports.append(report)
        if progress:
            progress(1.0, f"Loaded {len(all_events)} events")
        frames = events_frame(all_events)
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


def _categorical(values: Sequence[str], categories: Sequence[str]) -> pd.Categorical:
    return pd.Categorical(values, categories=list(categories))


def events_frame(
    events: Sequence[Event],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Events -> (events, themes, partners, countries) frames; duplicates by id dropped.

    Exploded tables carry ``row`` (position in the events frame) and ``event_id``.
    """
    seen: set[str] = set()
    unique: list[Event] = []
    for ev in events:
        if ev.id not in seen:
            seen.add(ev.id)
            unique.append(ev)
    unique.sort(key=lambda e: (e.start_date, e.end_date, e.title))

    start = pd.to_datetime([e.start_date for e in unique]).astype("datetime64[ns]")
    end = pd.to_datetime([e.end_date for e in unique]).astype("datetime64[ns]")
    frame = pd.DataFrame(
        {
            "id": pd.array([e.id for e in unique], dtype="string"),
            "start_date": start,
            "end_date": end,
            "days": ((end - start).days + 1).astype("int32") if len(unique) else [],
            "title": pd.array([e.title for e in unique], dtype="string"),
            "description": pd.array([e.description for e in unique], dtype="string"),
            "language": _categorical([e.language for e in unique], LANGUAGES),
            "format": _categorical([e.format for e in unique], FORMATS),
            "activity": _categorical([e.activity for e in unique], ACTIVITIES),
            "themes": [e.themes for e in unique],
            "primary_theme": _categorical([_primary_theme(e.themes) for e in unique], THEMES),
            "partners": [tuple(p.name for p in e.partners) for e in unique],
            "countries": [e.countries for e in unique],
            "organisations": [e.organisations for e in unique],
            "projects": [e.projects for e in unique],
            "source_file": pd.Categorical([e.source.file for e in unique]),
            "source_line": np.asarray([e.source.line for e in unique], dtype="int32"),
        }
    )
    frame["days"] = frame["days"].astype("int32")

    theme_rows = [(i, e.id, t) for i, e in enumerate(unique) for t in e.themes]
    themes = pd.DataFrame(theme_rows, columns=["row", "event_id", "theme"])
    themes["theme"] = _categorical(themes["theme"].tolist(), THEMES)

    partner_rows = [
        (i, e.id, p.name, p.kind, p.country, p.lat, p.lon)
        for i, e in enumerate(unique)
        for p in e.partners
    ]
    partners = pd.DataFrame(
        partner_rows, columns=["row", "event_id", "name", "kind", "country", "lat", "lon"]
    )
    partners["kind"] = _categorical(partners["kind"].tolist(), PLACE_KINDS)
    partners["country"] = partners["country"].astype("category")
    partners["lat"] = partners["lat"].astype("float64")
    partners["lon"] = partners["lon"].astype("float64")

    country_rows = [(i, e.id, c) for i, e in enumerate(unique) for c in e.countries]
    countries = pd.DataFrame(country_rows, columns=["row", "event_id", "country"])
    countries["country"] = countries["country"].astype("category")

    for table in (themes, partners, countries):
        table["row"] = table["row"].astype("int32")
        table["event_id"] = table["event_id"].astype("string")
    return frame, themes, partners, countries


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
