"""Agenda files -> one tidy DataFrame (+ exploded tables): the dashboard's only door to data."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from intl_metrics import labelling
from intl_metrics.enrich import enrich_batches
from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.labelling import Job
from intl_metrics.parse import parse_text
from intl_metrics.parse.sources import SourceText, decode_agenda, source_notes
from intl_metrics.schema import (
    ACTIVITIES,
    FORMATS,
    LANGUAGES,
    PLACE_KINDS,
    THEMES,
    Entry,
    Event,
    Evidence,
    ParseWarning,
)

__all__ = [
    "DEFAULT_DATA_DIR",
    "Dataset",
    "FileReport",
    "events_frame",
    "load_events",
]

log = logging.getLogger(__name__)

# data/raw of the checkout; INTL_METRICS_DATA overrides it (a directory or one file).
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "raw"

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class FileReport:
    """What loading one entry of the data folder gave: its events and warnings, or why not.

    ``error``: why nothing of it was loaded (a folder, a broken link, not a text file,
    unreadable, not text). ``notes``: what else a reader should know (the encoding when
    not UTF-8, no entry found).
    """

    name: str
    path: str
    size: int
    events: int
    warnings: tuple[ParseWarning, ...] = ()
    error: str | None = None
    parse_seconds: float = 0.0
    encoding: str = ""  # as people name it: 'UTF-8', 'Windows-1252 (Latin-1)', ...
    notes: tuple[str, ...] = ()
    synthetic: bool = False  # written by `intl-metrics synth`: test data, not the City's

    @property
    def problems(self) -> str:
        """The error and notes in one line, '' when there is nothing to say."""
        return "; ".join(x for x in (self.error, *self.notes) if x)


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

    @property
    def synthetic(self) -> bool:
        """Some of the events are synthetic test data (`intl-metrics synth`), not the City's."""
        return any(f.synthetic for f in self.files if f.events)


Frames = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]

# A file's stat, taken just before it was read: when it differs, the file is read again.
_Stat = tuple[int, int]  # mtime_ns, size


@dataclass(frozen=True)
class _Cached:
    """The current version of one file: its frames, not Event objects (at 1M events those
    cost ~0.85 GB more), and the hash of the bytes they were parsed from."""

    stat: _Stat
    sha256: str
    frames: Frames
    report: FileReport


# Resolved path -> its current version only: an edited file replaces its entry, and a
# file gone from the data folder is forgotten, so memory follows the files on disk.
_file_cache: dict[str, _Cached] = {}
_dataset_cache: dict[tuple[object, ...], Dataset] = {}
_lock = threading.Lock()


# The suffix of agenda text files in a data folder; a file named on its own is read
# whatever its name.
AGENDA_SUFFIX = ".txt"


def _agenda_files(
    paths: Iterable[str | os.PathLike[str]] | None,
) -> list[tuple[Path, str | None]]:
    """Every entry of the data folders and every file named, with why it is not read.

    Nothing is left out in silence: a folder, a broken link or a file that is not
    agenda text is listed with its reason (None: read it).
    """
    if paths is None:
        env = os.environ.get("INTL_METRICS_DATA")
        paths = [env] if env else [DEFAULT_DATA_DIR]
    files: list[tuple[Path, str | None]] = []
    for p in map(Path, paths):
        if p.is_dir():
            try:
                found = sorted(p.iterdir())
            except OSError as exc:
                files.append((p, f"cannot list this folder: {exc.strerror or exc}"))
                continue
            files.extend((f, _why_not_read(f)) for f in found)
        else:
            files.append((p, _why_not_read(p, named=True)))
    return files


def _why_not_read(path: Path, *, named: bool = False) -> str | None:
    """Why a data-folder entry is not read as agenda text; None when it is.

    ``named``: the path was given on its own (a file argument), not found in a folder.
    """
    if path.is_symlink() and not path.exists():
        return f"broken link: it points to {os.readlink(path)}, which does not exist"
    if path.is_dir():
        return "a folder, not a file: folders inside the data folder are not read"
    if not path.exists():
        return "no such file"
    if not path.is_file():
        return "not a regular file (a device, pipe or socket): not read"
    if not named and path.suffix.lower() != AGENDA_SUFFIX:
        return f"not read: only {AGENDA_SUFFIX} files in the data folder are agenda text"
    return None


def _file_stat(path: Path) -> _Stat | str:
    try:
        st = path.stat()
    except OSError as exc:
        return exc.strerror or str(exc)
    return (st.st_mtime_ns, st.st_size)


# ------------------------------------------------------------------------- labelling

# What enrich adds to an entry, as plain values (cheap to pickle back from a worker):
# id, format, activity, themes, partners as (name, kind, country, lat, lon), countries,
# organisations, projects, evidence as (field, label, rule, where, start, end, text),
# needs_review.
_Place = tuple[str, str, str, float, float]
_Evidence = tuple[str, str, str, str, int | None, int | None, str]
_Labels = tuple[
    str, str, str, tuple[str, ...], tuple[_Place, ...], tuple[str, ...], tuple[str, ...],
    tuple[str, ...], tuple[_Evidence, ...], bool,
]  # fmt: skip
# One labelled entry: start and end as ordinals, title, description, language, source
# file and line, labels.
_Row = tuple[int, int, str, str, str, str, int, _Labels]


def _labels(ev: Event) -> _Labels:
    places = tuple((p.name, p.kind, p.country, p.lat, p.lon) for p in ev.partners)
    evidence = tuple(
        (e.field, e.label, e.rule, e.where, e.start, e.end, e.text) for e in ev.evidence
    )
    return (
        ev.id, ev.format, ev.activity, ev.themes, places, ev.countries, ev.organisations,
        ev.projects, evidence, ev.needs_review,
    )  # fmt: skip


def _row(e: Entry | Event, labels: _Labels) -> _Row:
    return (
        e.start_date.toordinal(), e.end_date.toordinal(), e.title, e.description, e.language,
        e.source.file, e.source.line, labels,
    )  # fmt: skip


def _label(entries: Sequence[Entry], gaz: Gazetteer) -> list[_Row]:
    events = (ev for batch in enrich_batches(entries, gaz) for ev in batch)
    return [_row(e, _labels(ev)) for e, ev in zip(entries, events, strict=True)]


def _parse_in_pieces(
    job: Job, progress: Callable[[float], None] | None
) -> tuple[Frames, list[ParseWarning]] | None:
    """Parse and label a large text in pieces, in parallel; None if it must be read whole."""
    tasks = labelling.pieces(job.text)
    builder = _FrameBuilder()
    found: list[ParseWarning] = []
    for i, done in enumerate(labelling.in_workers(job, labelling.parse_piece, tasks)):
        if done is None:  # a date takes its year from entries in another piece
            return None
        builder.add(done[0])
        found.extend(done[1])
        if progress:
            progress((i + 1) / len(tasks))
    return builder.frames(), found


def _label_entries(
    entries: list[Entry],
    file: str,
    gaz: Gazetteer,
    progress: Callable[[float], None] | None,
    *,
    parallel: bool = True,
) -> Frames:
    """Label parsed entries, in chunks; in worker processes when there are many."""
    chunk = labelling.CHUNK
    spans = [(i, i + chunk) for i in range(0, len(entries), chunk)]
    if parallel and labelling.workers() > 1 and len(entries) >= labelling.PARALLEL_MIN_ENTRIES:
        job = Job(file, gaz, _label, entries=entries)
        chunks = labelling.in_workers(job, labelling.label_chunk, spans)
    else:
        chunks = (_label(entries[a:b], gaz) for a, b in spans)
    builder = _FrameBuilder()
    for chunk in chunks:
        builder.add(chunk)
        if progress:
            progress(builder.n / len(entries))
    return builder.frames()


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _snapshot(path: Path) -> tuple[SourceText, _Stat]:
    """The file's bytes, decoded, and its stat from just before they were read.

    A file being rewritten while it is read can give a torn read: it is read again
    (a few times at most) until the stat around the read holds still, and whatever
    was read is what is hashed and parsed. The stat before the read is kept, so a
    change during the read is seen as a change at the next load.
    """
    for _ in range(3):
        before = path.stat()
        data = _read(path)
        after = path.stat()
        if (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, len(data)):
            break
    return decode_agenda(data, path.name), (before.st_mtime_ns, before.st_size)


def _parse_and_label(
    path: Path,
    source: SourceText,
    gaz: Gazetteer,
    progress: Callable[[float], None] | None,
) -> tuple[Frames, list[ParseWarning], SourceText]:
    """A file's frames and parse warnings: read in parallel pieces when it is large.

    Gives back the source that was parsed: the one given, or (rarely) a newer version
    read again when worker processes failed, after the text had been let go.
    """
    text = source.text
    if labelling.workers() > 1 and len(text) >= labelling.PARALLEL_MIN_CHARS:
        job = Job(path.name, gaz, _label, text=text)
        # The job's copy is let go once the workers have theirs: keep no other (at 1M
        # events the text is ~0.5 GB).
        source = replace(source, text="")
        del text
        try:
            done = _parse_in_pieces(job, progress)
            if done is not None:
                return done[0], done[1], source
        except (BrokenProcessPool, OSError) as exc:  # no processes here: work in this one
            log.warning("reading %s in worker processes failed (%s)", path.name, exc)
        # Read again; if the file changed meanwhile, the new version is what is parsed
        # (and hashed): a result never mixes two versions.
        source = _snapshot(path)[0]
        text = source.text
    result = parse_text(text, path.name)
    del text  # the entries hold what is needed
    try:
        frames = _label_entries(result.entries, path.name, gaz, progress)
    except (BrokenProcessPool, OSError) as exc:
        log.warning("labelling %s in worker processes failed (%s)", path.name, exc)
        frames = _label_entries(result.entries, path.name, gaz, progress, parallel=False)
    return frames, result.warnings, replace(source, text="")


def _failed(path: Path, size: int, reason: str) -> tuple[Frames, FileReport, bool]:
    return _FrameBuilder().frames(), FileReport(path.name, str(path), size, 0, error=reason), False


def _load_file(
    path: Path, stat: _Stat, gaz: Gazetteer, progress: Callable[[float], None] | None = None
) -> tuple[Frames, FileReport, bool]:
    """A file's frames and report, and whether it had to be parsed (not cached)."""
    where = str(path.resolve())
    cached = _file_cache.get(where)
    if cached is not None and cached.stat == stat:
        return cached.frames, cached.report, False
    t0 = time.perf_counter()
    try:
        source, stat = _snapshot(path)
    except OSError as exc:
        return _failed(path, stat[1], exc.strerror or str(exc))
    if cached is not None and cached.sha256 == source.sha256:  # touched, not changed
        _file_cache[where] = replace(cached, stat=stat)
        return cached.frames, cached.report, False
    if source.problem is not None:
        _file_cache.pop(where, None)
        return _failed(path, source.size, "; ".join(source_notes(source, 0)))
    synthetic = source.synthetic  # before the text is let go
    try:
        frames, found, source = _parse_and_label(path, source, gaz, progress)
    except OSError as exc:
        return _failed(path, source.size, exc.strerror or str(exc))
    except Exception as exc:  # a bug in a rule must not take the other files down
        log.exception("could not load %s", path)
        return _failed(
            path,
            source.size,
            f"internal error while reading this file ({type(exc).__name__}: {exc})",
        )
    report = FileReport(
        name=path.name,
        path=str(path),
        size=source.size,
        events=len(frames[0]),
        warnings=tuple(found),
        parse_seconds=time.perf_counter() - t0,
        encoding=source.encoding_name,
        notes=tuple(source_notes(source, len(frames[0]))),
        synthetic=synthetic,
    )
    _file_cache[where] = _Cached(stat, source.sha256, frames, report)
    return frames, report, True


def load_events(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    progress: Progress | None = None,
) -> Dataset:
    """Load agenda files (default: every ``*.txt`` in ``data/raw``) into a Dataset.

    Every entry of a data folder is reported in ``Dataset.files``: a file that cannot
    be read or parsed, a folder or a broken link says why, and the rest still load.
    A second call with unchanged files parses nothing; only the current version of
    each file is kept in memory.
    """
    t0 = time.perf_counter()
    files = _agenda_files(paths)
    stats = tuple(why or _file_stat(f) for f, why in files)
    keys = tuple(zip((str(f) for f, _ in files), stats, strict=True))
    with _lock:
        hit = _dataset_cache.get(keys)
        if hit is not None:
            return hit
        gaz = Gazetteer.default()
        per_file: list[Frames] = []
        reports: list[FileReport] = []
        parsed = 0
        for i, ((path, _why), stat) in enumerate(zip(files, stats, strict=True)):
            if progress:
                progress(i / max(len(files), 1), f"Reading {path.name}")
            if isinstance(stat, str):
                reports.append(FileReport(path.name, str(path), 0, 0, error=stat))
                continue

            def file_progress(done: float, i: int = i, name: str = path.name) -> None:
                if progress:
                    progress((i + done) / len(files), f"Labelling {name}: {done:.0%}")

            frames, report, was_parsed = _load_file(path, stat, gaz, file_progress)
            parsed += was_parsed
            per_file.append(frames)
            reports.append(report)
        # Forget files no longer read: their frames would stay in memory for nothing.
        current = {str(f.resolve()) for f, why in files if why is None}
        for gone in [k for k in _file_cache if k not in current]:
            del _file_cache[gone]
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


def _vocabulary_codes(vocabulary: Sequence[str]) -> dict[str, int]:
    return {v: i for i, v in enumerate(vocabulary)}


_LANGUAGE_CODES = _vocabulary_codes(LANGUAGES)
_FORMAT_CODES = _vocabulary_codes(FORMATS)
_ACTIVITY_CODES = _vocabulary_codes(ACTIVITIES)
_THEME_CODES = _vocabulary_codes(THEMES)
_KIND_CODES = _vocabulary_codes(PLACE_KINDS)


def _codes(values: Iterable[str], codes: dict[str, int], n: int) -> np.ndarray:
    return np.fromiter((codes[v] for v in values), dtype=np.int8, count=n)


class _FrameBuilder:
    """Builds the four frames chunk by chunk, in compact form as the chunks come.

    At 1M events the rows as Python objects take ~1 KB each; here text goes into
    Arrow arrays, numbers and labels of a fixed vocabulary into numpy arrays, and
    equal strings and label tuples are shared (most events repeat a few sets), so a
    chunk's rows can be let go as soon as they are added.
    """

    def __init__(self) -> None:
        self.n = 0
        self.arrays: dict[str, list] = {}  # column -> one Arrow or numpy array per chunk
        self.objects: dict[str, list] = {}  # column -> shared Python objects, one per row
        self._shared: dict[object, object] = {}

    def _put(self, column: str, array: object) -> None:
        self.arrays.setdefault(column, []).append(array)

    def _keep(self, column: str, values: Iterable[object]) -> list:
        """Append Python objects to a column, equal ones shared; gives the chunk's."""
        shared = self._shared
        chunk = [shared.setdefault(v, v) for v in values]
        self.objects.setdefault(column, []).extend(chunk)
        return chunk

    def add(self, rows: Sequence[_Row]) -> None:
        """Append rows, in file order."""
        k = len(rows)
        labels = [r[7] for r in rows]
        ids = pa.array([lab[0] for lab in labels], type=pa.large_string())
        put, keep = self._put, self._keep
        put("id", ids)
        put("title", pa.array([r[2] for r in rows], type=pa.large_string()))
        put("description", pa.array([r[3] for r in rows], type=pa.large_string()))
        put("start", np.fromiter((r[0] for r in rows), dtype=np.int64, count=k))
        put("end", np.fromiter((r[1] for r in rows), dtype=np.int64, count=k))
        put("source_line", np.fromiter((r[6] for r in rows), dtype=np.int32, count=k))
        put("language", _codes((r[4] for r in rows), _LANGUAGE_CODES, k))
        put("format", _codes((lab[1] for lab in labels), _FORMAT_CODES, k))
        put("activity", _codes((lab[2] for lab in labels), _ACTIVITY_CODES, k))
        keep("source_file", (r[5] for r in rows))
        themes = keep("themes", (lab[3] for lab in labels))
        keep("partners", (tuple(p[0] for p in lab[4]) for lab in labels))
        countries = keep("countries", (lab[5] for lab in labels))
        keep("organisations", (lab[6] for lab in labels))
        keep("projects", (lab[7] for lab in labels))
        keep("evidence", map(self._evidence, (lab[8] for lab in labels)))
        put("needs_review", np.fromiter((lab[9] for lab in labels), dtype=bool, count=k))

        # exploded tables: row numbers and the event's id, then the label's own columns
        for table, lists in (
            ("themes", themes),
            ("partners", [lab[4] for lab in labels]),
            ("countries", countries),
        ):
            counts = np.fromiter(map(len, lists), dtype=np.int64, count=k)
            local = np.repeat(np.arange(k), counts)
            put(f"{table}.row", (local + self.n).astype(np.int32))
            put(f"{table}.event_id", ids.take(pa.array(local)))
            flat = [x for xs in lists for x in xs]
            m = len(flat)
            if table == "themes":
                put("themes.theme", _codes(flat, _THEME_CODES, m))
            elif table == "countries":
                keep("countries.country", flat)
            else:
                keep("partners.name", (p[0] for p in flat))
                put("partners.kind", _codes((p[1] for p in flat), _KIND_CODES, m))
                keep("partners.country", (p[2] for p in flat))
                put("partners.lat", np.fromiter((p[3] for p in flat), np.float64, m))
                put("partners.lon", np.fromiter((p[4] for p in flat), np.float64, m))
        self.n += k

    def _evidence(self, found: tuple[_Evidence, ...]) -> tuple[Evidence, ...]:
        """An event's evidence as Evidence objects, each equal one made once and shared."""
        shared = self._shared
        out = []
        for values in found:
            ev = shared.get(values)
            if ev is None:
                ev = shared[values] = Evidence(*values)
            out.append(ev)
        return tuple(out)

    def frames(self) -> Frames:
        """The four frames of everything added: the first of each id, by date then title."""
        return _tidy(self._raw_frames())

    def _take(self, column: str, dtype: type | str) -> Any:
        """A column's chunks as one array (``dtype`` 'text': Arrow strings); chunks let go."""
        chunks = self.arrays.pop(column, [])
        if dtype == "text":
            return pd.arrays.ArrowStringArray(pa.chunked_array(chunks, type=pa.large_string()))
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=dtype)

    def _category(self, column: str, vocabulary: Sequence[str]) -> pd.Categorical:
        return pd.Categorical.from_codes(self._take(column, np.int8), categories=list(vocabulary))

    def _raw_frames(self) -> Frames:
        take, cat = self._take, self._category
        obj = self.objects
        self.objects = {}
        start = _dates(take("start", np.int64))
        end = _dates(take("end", np.int64))
        themes = obj.get("themes", [])
        frame = pd.DataFrame(
            {
                "id": take("id", "text"),
                "start_date": start,
                "end_date": end,
                "days": ((end - start).astype("timedelta64[D]").astype(np.int64) + 1).astype(
                    np.int32
                ),
                "title": take("title", "text"),
                "description": take("description", "text"),
                "language": cat("language", LANGUAGES),
                "format": cat("format", FORMATS),
                "activity": cat("activity", ACTIVITIES),
                "themes": themes,
                "primary_theme": _categorical([_primary_theme(t) for t in themes], THEMES),
                "partners": obj.get("partners", []),
                "countries": obj.get("countries", []),
                "organisations": obj.get("organisations", []),
                "projects": obj.get("projects", []),
                "evidence": obj.get("evidence", []),
                "needs_review": take("needs_review", bool),
                "source_file": pd.Categorical(obj.get("source_file", [])),
                "source_line": take("source_line", np.int32),
            }
        )

        def exploded(table: str, **columns: object) -> pd.DataFrame:
            ids = {
                "row": take(f"{table}.row", np.int32),
                "event_id": take(f"{table}.event_id", "text"),
            }
            return pd.DataFrame({**ids, **columns})

        theme_table = exploded("themes", theme=cat("themes.theme", THEMES))
        partners = exploded(
            "partners",
            name=obj.get("partners.name", []),
            kind=cat("partners.kind", PLACE_KINDS),
            country=pd.Categorical(obj.get("partners.country", [])),
            lat=take("partners.lat", np.float64),
            lon=take("partners.lon", np.float64),
        )
        countries = exploded("countries", country=pd.Categorical(obj.get("countries.country", [])))
        return frame, theme_table, partners, countries


def events_frame(events: Sequence[Event]) -> Frames:
    """Events -> (events, themes, partners, countries) frames; duplicates by id dropped.

    Exploded tables carry ``row`` (position in the events frame) and ``event_id``.
    """
    builder = _FrameBuilder()
    builder.add([_row(e, _labels(e)) for e in events])
    return builder.frames()


def _combine(per_file: list[Frames]) -> Frames:
    """One set of frames from several files' frames: duplicates dropped, sorted, rows renumbered."""
    if not per_file:
        return _FrameBuilder().frames()
    if len(per_file) == 1:
        return per_file[0]  # the file's own frames, shared, not copied
    offsets = np.cumsum([0] + [len(f[0]) for f in per_file[:-1]])
    tables = [pd.concat([f[0] for f in per_file], ignore_index=True)]
    for t in range(1, 4):
        parts = [
            f[t].assign(row=f[t]["row"] + off) for f, off in zip(per_file, offsets, strict=True)
        ]
        tables.append(pd.concat(parts, ignore_index=True))
    for table, like in zip(tables, per_file[0], strict=True):
        _restore_categories(table, like)
    return _tidy((tables[0], tables[1], tables[2], tables[3]))


def _tidy(frames: Frames) -> Frames:
    """The first event of each id (in the order given), sorted by dates then title.

    Exploded tables follow: rows renumbered, grouped by event, labels in their order.
    """
    events = frames[0]
    # the first row of each id, from Arrow's dictionary encoding (no Python strings)
    ids = pc.dictionary_encode(pa.chunked_array(pa.array(events["id"].array))).combine_chunks()
    first = np.zeros(len(events), dtype=bool)
    first[np.unique(ids.indices.to_numpy(), return_index=True)[1]] = True
    keys = pa.table(
        {
            "start": events["start_date"].to_numpy().view(np.int64),
            "end": events["end_date"].to_numpy().view(np.int64),
            "title": pa.array(events["title"].array),  # code point order, as Python's
        }
    )
    order = pc.sort_indices(keys, [(k, "ascending") for k in keys.column_names]).to_numpy()
    order = order[first[order]]
    if len(order) == len(events) and (order == np.arange(len(order))).all():
        return frames  # in order already: nothing to copy
    newpos = np.full(len(events), -1, dtype=np.int64)
    newpos[order] = np.arange(len(order))
    tidy = [_take_columns(events, order)]
    for table in frames[1:]:
        rows = newpos[table["row"].to_numpy()]
        kept = np.flatnonzero(rows >= 0)
        kept = kept[np.argsort(rows[kept], kind="stable")]
        table = _take_columns(table, kept)
        table["row"] = rows[kept].astype(np.int32)
        tidy.append(table)
    return tidy[0], tidy[1], tidy[2], tidy[3]


def _take_columns(frame: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """frame.take(positions), column by column, each column of ``frame`` let go once taken.

    ``frame`` is left empty: at 1M events this keeps one copy of the text, not two.
    """
    out = {}
    indices = pa.array(positions)
    for name in list(frame.columns):
        column = frame.pop(name)
        if isinstance(column.array, pd.arrays.ArrowStringArray):
            # Arrow's take joins a chunked string array's chunks first: join them here so
            # the chunks can go before the take, holding two copies of the text, not three.
            dtype, text = column.dtype, pa.array(column.array)
            if isinstance(text, pa.ChunkedArray):
                text = text.combine_chunks()
            del column
            out[name] = dtype.__from_arrow__(pa.chunked_array([text.take(indices)]))
            del text
            pa.default_memory_pool().release_unused()  # Arrow's pool keeps freed text
        else:
            out[name] = column.take(positions).reset_index(drop=True)
    return pd.DataFrame(out)


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
