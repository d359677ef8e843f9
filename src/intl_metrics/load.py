"""The store -> one tidy DataFrame (+ exploded tables): the dashboard's only door to data.

``load_events()`` first brings the store up to date with the data folder (``data/raw``,
or ``INTL_METRICS_DATA``): a file that is new or changed since it was last ingested is
ingested (read once, hashed, diffed, labelled, written in one transaction). Then it reads
the store named by ``INTL_METRICS_DB``: every standing event with its current labels.
The frames are kept in memory for the store's current revision and written as an Arrow
snapshot (``snapshot.py``), so a new process on an unchanged store reads them at once.
A file removed from the data folder keeps its events: the store, not the folder, is the
truth.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from intl_metrics.parse.sources import ENCODING_NAMES
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
    Source,
)

__all__ = [
    "AGENDA_SUFFIXES",
    "DEFAULT_DATA_DIR",
    "Dataset",
    "FileReport",
    "clear_cache",
    "events_frame",
    "load_events",
]

log = logging.getLogger(__name__)

# data/raw of the checkout; INTL_METRICS_DATA overrides it (a directory or one file).
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "raw"
# What the data folder's agenda files are called: text, and pages saved as HTML.
AGENDA_SUFFIXES = (".txt", ".html", ".htm")

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class FileReport:
    """One source of the store, or one entry of the data folder that could not be read.

    ``error``: why nothing of it was read (a folder, a broken link, not a text file,
    unreadable, not text). ``notes``: what else a reader should know (the encoding when
    not UTF-8, no entry found).
    """

    name: str
    path: str
    size: int
    events: int
    warnings: tuple[ParseWarning, ...] = ()
    error: str | None = None
    parse_seconds: float = 0.0  # time to ingest it in this call; 0 when it was stored already
    encoding: str = ""  # as people name it: 'UTF-8', 'Windows-1252 (Latin-1)', ...
    notes: tuple[str, ...] = ()
    synthetic: bool = False  # written by `intl-metrics synth`: test data, not the City's
    media_type: str = ""
    ingested_at: datetime | None = None
    ingested_by: str = ""

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
    parsed_files: int = 0  # files ingested by this call
    warnings: tuple[ParseWarning, ...] = field(default=())
    revision: int = 0  # the store's revision these frames show
    store: str = ""  # the store's URL, without its password

    @property
    def synthetic(self) -> bool:
        """Some of the events are synthetic test data (`intl-metrics synth`), not the City's."""
        return any(f.synthetic for f in self.files if f.events)


Frames = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]

# The latest view only: (store URL, store id, revision, folder problems) -> Dataset, and
# the frames of the latest revision read. Nothing older is kept.
_dataset_cache: dict[tuple[Any, ...], Dataset] = {}
_frames_cache: dict[tuple[str, int], Frames] = {}
_lock = threading.Lock()


# ------------------------------------------------------------------------ data folder


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
    if not named and path.suffix.lower() not in AGENDA_SUFFIXES:
        return (
            "not read: only .txt files (agenda text) and .html/.htm files (saved pages) "
            "in the data folder are agenda"
        )
    return None


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _sync(
    store: Any, files: list[tuple[Path, str | None]], who: str, progress: Progress | None
) -> tuple[list[FileReport], dict[str, float]]:
    """Ingest the data folder's new or changed files; their problems, and ingest times."""
    from intl_metrics.store import document_from_bytes, ingest
    from intl_metrics.store.ingestion import read_whole
    from intl_metrics.store.read import origins

    problems: list[FileReport] = []
    ingested: dict[str, float] = {}
    candidates: list[tuple[Path, os.stat_result]] = []
    for path, why in files:
        if why:
            problems.append(FileReport(path.name, str(path), 0, 0, error=why))
            continue
        try:
            candidates.append((path, path.stat()))
        except OSError as exc:
            problems.append(FileReport(path.name, str(path), 0, 0, error=exc.strerror or str(exc)))
    if not candidates:
        return problems, ingested
    keys = [str(p.resolve()) for p, _ in candidates]
    with store.read() as conn:
        known = origins(conn, keys)
    for n, ((path, st), key) in enumerate(zip(candidates, keys, strict=True)):
        seen = known.get(key)
        if seen and seen[1] == st.st_mtime_ns and seen[2] == st.st_size:
            continue  # as ingested last time: not even read
        t0 = time.perf_counter()
        try:
            data, mtime_ns = read_whole(path, _read)
        except OSError as exc:
            problems.append(
                FileReport(path.name, str(path), st.st_size, 0, error=exc.strerror or str(exc))
            )
            continue
        doc = document_from_bytes(data, path.name, origin=key, mtime_ns=mtime_ns)
        del data
        if seen and seen[0] == doc.sha256:
            continue  # touched, not changed
        step = None
        if progress:

            def step(done: float, message: str, n: int = n) -> None:
                progress((n + done) / len(candidates), message)

        try:
            report = ingest(store, doc, who, progress=step)
        except Exception as exc:  # a bug in a rule must not take the other files down
            log.exception("could not ingest %s", path)
            reason = f"internal error while reading this file ({type(exc).__name__}: {exc})"
            problems.append(FileReport(path.name, str(path), st.st_size, 0, error=reason))
            continue
        if report.problem:  # not text: nothing stored, said here
            problems.append(
                FileReport(path.name, str(path), doc.size, 0, error="; ".join(report.notes))
            )
            continue
        ingested[path.name] = time.perf_counter() - t0
    return problems, ingested


# ------------------------------------------------------------------------ the store


def _reports(
    store: Any, problems: list[FileReport], ingested: dict[str, float]
) -> list[FileReport]:
    from intl_metrics.store.read import current_sources

    with store.read() as conn:
        sources = current_sources(conn)
    reports = [
        FileReport(
            name=s.name,
            path=s.origin or "(uploaded)",
            size=s.size,
            events=s.entries,
            warnings=tuple(ParseWarning(Source(s.name, line), why) for line, why in s.warnings),
            parse_seconds=ingested.get(s.name, 0.0),
            encoding=ENCODING_NAMES.get(s.encoding, s.encoding),
            notes=s.notes,
            synthetic=s.synthetic,
            media_type=s.media_type,
            ingested_at=s.ingested_at,
            ingested_by=s.ingested_by,
        )
        for s in sources
    ]
    # a folder entry that could not be read now, beside its stored version if it has one
    return sorted(reports + problems, key=lambda r: (r.name, r.error is not None))


def _ordinal(value: Any, memo: dict[Any, int]) -> int:
    """A stored date as an ordinal (SQLite gives ISO text, PostgreSQL dates); memoised."""
    n = memo.get(value)
    if n is None:
        d = value if isinstance(value, date) else date.fromisoformat(value)
        n = memo[value] = d.toordinal()
    return n


class _RowReader:
    """Store rows -> the frame builder's rows, each distinct date and label list decoded once."""

    def __init__(self) -> None:
        self.dates: dict[Any, int] = {}
        self.lists: dict[str, tuple[str, ...]] = {}
        self.places: dict[str, tuple[_Place, ...]] = {}
        self.evidence: dict[str, tuple[_Evidence, ...]] = {}

    def as_list(self, text: str) -> tuple[str, ...]:
        v = self.lists.get(text)
        if v is None:
            v = self.lists[text] = tuple(json.loads(text))
        return v

    def as_places(self, text: str) -> tuple[_Place, ...]:
        v = self.places.get(text)
        if v is None:
            v = self.places[text] = tuple(
                (p["name"], p["kind"], p["country"], p["lat"], p["lon"]) for p in json.loads(text)
            )
        return v

    def as_evidence(self, text: str) -> tuple[_Evidence, ...]:
        v = self.evidence.get(text)
        if v is None:
            v = self.evidence[text] = tuple(
                (e["field"], e["label"], e["rule"], e["where"], e["start"], e["end"], e["text"])
                for e in json.loads(text)
            )
        return v

    def rows(self, chunk: Sequence[Any]) -> list[_Row]:
        dates, as_list = self.dates, self.as_list
        return [
            (
                _ordinal(r[1], dates), _ordinal(r[2], dates), r[3], r[4], r[5], r[13], r[14],
                (r[0], r[6], r[7], as_list(r[8]), self.as_places(r[9]), as_list(r[10]),
                 as_list(r[11]), as_list(r[12]), self.as_evidence(r[15]), bool(r[16])),
            )
            for r in chunk
        ]  # fmt: skip


def _frames_from_store(store: Any, progress: Progress | None) -> tuple[int, Frames]:
    """Read every standing event of the store into frames; and the revision they show."""
    from intl_metrics.store.read import event_rows, revision, standing_count

    builder = _FrameBuilder()
    reader = _RowReader()
    with store.read() as conn:
        rev = revision(conn)
        total = standing_count(conn)
        for chunk in event_rows(conn):
            builder.add(reader.rows(chunk))
            if progress:
                progress(0.5 + 0.4 * builder.n / max(total, 1), f"Reading {builder.n:,} events")
    return rev, builder.frames()


# Past this share of the events changed (and this many), reading them all is as quick.
_REFRESH_MAX_SHARE = 0.3
_REFRESH_ALWAYS = 20_000  # changed events that are always read alone


def _frames_refreshed(store: Any, old: Frames, old_rev: int) -> tuple[int, Frames] | None:
    """The frames of an older revision brought up to the store's: only changed events read.

    None when too much changed (or the store went back: an import) and a full read is due.
    """
    from intl_metrics.store.read import changed_since, event_rows, revision

    builder = _FrameBuilder()
    reader = _RowReader()
    with store.read() as conn:
        rev = revision(conn)
        if rev < old_rev:
            return None
        changed = changed_since(conn, old_rev)
        if len(changed) > max(_REFRESH_MAX_SHARE * len(old[0]), _REFRESH_ALWAYS):
            return None
        for chunk in event_rows(conn, since=old_rev):
            builder.add(reader.rows(chunk))
    if not changed:
        return rev, old
    keep = ~np.asarray(old[0]["id"].isin(changed), dtype=bool)
    return rev, _tidy(_concat(builder._raw_frames(), _rows_kept(old, keep)))


def _rows_kept(frames: Frames, keep: np.ndarray) -> Frames:
    """A copy of the frames with only the events where ``keep``; their labels follow."""
    events = frames[0]
    positions = np.flatnonzero(keep)
    newpos = np.full(len(events), -1, dtype=np.int64)
    newpos[positions] = np.arange(len(positions))
    out = [events.take(positions).reset_index(drop=True)]
    for table in frames[1:]:
        rows = newpos[table["row"].to_numpy()]
        kept = np.flatnonzero(rows >= 0)
        part = table.take(kept).reset_index(drop=True)
        part["row"] = rows[kept].astype(np.int32)
        out.append(part)
    return out[0], out[1], out[2], out[3]


def _concat(first: Frames, second: Frames) -> Frames:
    """Two sets of frames as one: ``first``'s rows, then ``second``'s, labels renumbered.

    Categorical columns stay categorical; those whose categories come from the data
    get the sorted categories of what is left, as a full read gives them.
    """
    offset = len(first[0])
    tables = [pd.concat([first[0], second[0]], ignore_index=True)]
    for t in range(1, 4):
        shifted = second[t].assign(row=second[t]["row"] + offset)
        tables.append(pd.concat([first[t], shifted], ignore_index=True))
    for table, like in zip(tables, first, strict=True):
        for col in like.columns:
            if not isinstance(like[col].dtype, pd.CategoricalDtype):
                continue
            vocabulary = _VOCABULARIES.get(col)
            if vocabulary:
                if not isinstance(table[col].dtype, pd.CategoricalDtype):
                    table[col] = _categorical(table[col].tolist(), vocabulary)
            else:
                table[col] = pd.Categorical(np.asarray(table[col], dtype=object))
    return tables[0], tables[1], tables[2], tables[3]


# Categorical columns with a fixed vocabulary; the others take their categories from the data.
_VOCABULARIES: dict[str, Sequence[str]] = {
    "language": LANGUAGES,
    "format": FORMATS,
    "activity": ACTIVITIES,
    "primary_theme": THEMES,
    "theme": THEMES,
    "kind": PLACE_KINDS,
}


def _frames(store: Any, rev: int, progress: Progress | None) -> tuple[int, Frames]:
    """The frames of the store at ``rev``: from memory, else the snapshot, else refreshed
    from older frames (memory or snapshot) by reading only what changed, else read whole."""
    from intl_metrics.snapshot import (
        latest_snapshot,
        read_snapshot,
        snapshot_path,
        write_snapshot,
    )

    key = (store.store_id, rev)
    hit = _frames_cache.get(key)
    if hit is not None:
        return rev, hit
    done = None
    frames = read_snapshot(snapshot_path(store.store_id, rev))
    if frames is None:
        older = [(r, f) for (sid, r), f in _frames_cache.items() if sid == store.store_id]
        if not older:
            found = latest_snapshot(store.store_id)
            if found is not None and found[0] < rev:
                old = read_snapshot(found[1])
                older = [(found[0], old)] if old is not None else []
        if older:
            if progress:
                progress(0.6, "Reading the events changed since the last load")
            done = _frames_refreshed(store, older[0][1], older[0][0])
        if done is None:
            done = _frames_from_store(store, progress)
        rev, frames = done
        write_snapshot(frames, snapshot_path(store.store_id, rev))
    _frames_cache.clear()  # one revision in memory
    _frames_cache[(store.store_id, rev)] = frames
    return rev, frames


def load_events(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    db: str | None = None,
    progress: Progress | None = None,
    who: str = "dashboard",
) -> Dataset:
    """The events of the store, after ingesting the data folder's new or changed files.

    ``paths``: folders (every ``*.txt``/``*.html`` entry) or files to bring into the store
    first; default ``INTL_METRICS_DATA``, else ``data/raw``. ``db``: the store's URL;
    default ``INTL_METRICS_DB``, else the SQLite file ``data/intl-metrics.db``. ``who`` is
    written in the audit of any ingest this call makes. A file that cannot be read or
    ingested is reported in ``Dataset.files`` with its reason and the rest still load.
    A second call on an unchanged store and folder reads nothing again.
    """
    from intl_metrics.store import open_store
    from intl_metrics.store.read import revision

    t0 = time.perf_counter()
    files = _agenda_files(paths)
    with _lock:
        if progress:
            progress(0.0, "Opening the store")
        store = open_store(db)
        problems, ingested = _sync(store, files, who, progress and _scaled(progress, 0.0, 0.5))
        with store.read() as conn:
            rev = revision(conn)
        key = (store.url, store.store_id, rev, tuple(problems))
        hit = _dataset_cache.get(key)
        if hit is not None and not ingested:
            return hit
        rev, frames = _frames(store, rev, progress)
        reports = _reports(store, problems, ingested)
        if progress:
            progress(1.0, f"Loaded {len(frames[0]):,} events")
        dataset = Dataset(
            *frames,
            files=tuple(reports),
            load_seconds=time.perf_counter() - t0,
            parsed_files=len(ingested),
            warnings=tuple(w for r in reports for w in r.warnings),
            revision=rev,
            store=store.display_url,
        )
        _dataset_cache.clear()  # keep only the latest view of the store
        _dataset_cache[(store.url, store.store_id, rev, tuple(problems))] = dataset
        return dataset


def _scaled(progress: Progress, start: float, stop: float) -> Progress:
    def scaled(fraction: float, message: str) -> None:
        progress(start + (stop - start) * fraction, message)

    return scaled


def clear_cache() -> None:
    """Forget the frames held in memory (tests, and the dashboard's reload control)."""
    with _lock:
        _dataset_cache.clear()
        _frames_cache.clear()


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


def _primary_theme(themes: Sequence[str]) -> str:
    """The theme an event is coloured by: its first stated subject, else institutional."""
    for t in themes:
        if t != "institutional":
            return t
    return "institutional"
