"""The loaded frames as Arrow files, keyed by the store's revision: a new process starts at once.

Reading 1M events out of the database and building the frames takes tens of seconds;
reading them back from Arrow IPC files takes about one. The snapshot is a cache, never
the truth: it is named by the store's id and revision (and this layout's version), so
any write to the store makes it stale, and a missing or unreadable snapshot is rebuilt
from the store. Only the latest snapshot of each store is kept.

Where: ``INTL_METRICS_CACHE`` (a folder), else ``data/cache/`` of the checkout. Each
dashboard host keeps its own; they are written atomically (a folder renamed into place).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from intl_metrics.schema import Evidence

__all__ = ["cache_dir", "latest_snapshot", "read_snapshot", "snapshot_path", "write_snapshot"]

log = logging.getLogger(__name__)

# Bump when the frames' columns or their encoding here change.
LAYOUT = 3  # 3: the evidence of each label and needs_review
FRAMES = ("events", "themes", "partners", "countries")
_SEP = "\x1f"  # the unit separator: no agenda text holds it

Frames = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]


def cache_dir() -> Path:
    """Where snapshots are kept."""
    env = os.environ.get("INTL_METRICS_CACHE")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "data" / "cache"


def snapshot_path(store_id: str, revision: int) -> Path:
    """The snapshot folder of a store at a revision."""
    return cache_dir() / f"events-{store_id}-r{revision}-v{LAYOUT}"


# ------------------------------------------------------------------------- columns


def _column_to_arrow(series: pd.Series) -> tuple[pa.Array, dict[str, str]]:
    values = series.array
    if isinstance(values, pd.arrays.ArrowStringArray):
        arr = pa.array(values)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        # pandas' two string dtypes differ in their missing value (NA, or NaN for "str")
        na = "nan" if values.dtype.na_value is not pd.NA else "na"
        return arr.cast(pa.large_string()), {"kind": "text", "na": na}
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in series.cat.categories]
        codes = series.cat.codes.to_numpy()
        arr = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(cats, pa.string()))
        return arr, {"kind": "category"}
    if series.dtype == object:
        # Shared Python objects (label tuples, names): each distinct one encoded once.
        # Tuples of strings are joined by the unit separator (str.split brings them back
        # far faster than JSON); JSON only if some string holds that character.
        memo: dict[int, int] = {}
        uniques: list[object] = []
        codes = np.empty(len(series), dtype=np.int32)
        for i, v in enumerate(series.to_numpy()):
            k = memo.get(id(v))
            if k is None:
                k = memo[id(v)] = len(uniques)
                uniques.append(v)
            codes[i] = k
        tuples = any(isinstance(v, tuple) for v in uniques)
        if any(isinstance(x, Evidence) for v in uniques if isinstance(v, tuple) for x in v):
            # a label's evidence: the records as JSON objects, made Evidence again on read
            words = [json.dumps([e.to_dict() for e in v], ensure_ascii=False) for v in uniques]
            kind = "evidence"
        elif not tuples:
            words, kind = [str(v) for v in uniques], "strings"
        elif all(isinstance(x, str) and _SEP not in x for v in uniques for x in v):
            words, kind = [_SEP.join(v) if v else "" for v in uniques], "joined"  # type: ignore[arg-type]
        else:
            words, kind = [json.dumps(v, ensure_ascii=False) for v in uniques], "tuples"
        arr = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(words, pa.string()))
        return arr, {"kind": kind}
    return pa.array(series.to_numpy()), {"kind": "numpy"}


def _tuple_of(value: object) -> object:
    if isinstance(value, list):
        return tuple(_tuple_of(v) for v in value)
    return value


def _column_from_arrow(arr: pa.ChunkedArray, kind: str, na: str = "na") -> object:
    if kind == "text":
        dtype = pd.StringDtype("pyarrow", na_value=np.nan if na == "nan" else pd.NA)
        return dtype.__from_arrow__(arr)
    if kind == "numpy":
        return arr.to_numpy()
    combined = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if not isinstance(combined, pa.DictionaryArray):
        combined = combined.dictionary_encode()
    codes = combined.indices.to_numpy(zero_copy_only=False)
    words = combined.dictionary.to_pylist()
    if kind == "category":
        return pd.Categorical.from_codes(codes, categories=words)
    uniques = np.empty(len(words), dtype=object)
    if kind == "joined":
        empty: tuple[str, ...] = ()
        for i, w in enumerate(words):
            uniques[i] = tuple(w.split(_SEP)) if w else empty
    elif kind == "strings":
        uniques[:] = words
    elif kind == "evidence":
        for i, w in enumerate(words):
            uniques[i] = tuple(Evidence(**d) for d in json.loads(w))
    else:
        for i, w in enumerate(words):
            uniques[i] = _tuple_of(json.loads(w))
    return uniques.take(codes) if len(codes) else np.empty(0, dtype=object)


# ------------------------------------------------------------------------- files


def write_snapshot(frames: Frames, path: Path) -> bool:
    """Write the frames to ``path`` (a folder), atomically; older snapshots of the store go.

    Returns False (and logs why) when the cache folder cannot be written: the dashboard
    then simply reads the store again next time.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=path.parent))
        for name, frame in zip(FRAMES, frames, strict=True):
            arrays, fields = [], []
            for col in frame.columns:
                arr, meta = _column_to_arrow(frame[col])
                arrays.append(arr)
                fields.append(pa.field(col, arr.type, metadata=meta))
            table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
            with (
                pa.OSFile(str(tmp / f"{name}.arrow"), "wb") as sink,
                ipc.new_file(sink, table.schema) as writer,
            ):
                writer.write_table(table)
        try:
            tmp.rename(path)
        except OSError:  # another process wrote the same snapshot first: keep theirs
            shutil.rmtree(tmp, ignore_errors=True)
        _prune(path)
        return True
    except OSError as exc:
        log.warning("could not write the snapshot %s: %s", path, exc)
        return False


def _prune(keep: Path) -> None:
    """Remove this store's other snapshots (older revisions, older layouts)."""
    prefix = keep.name.split("-r")[0] + "-r"
    for other in keep.parent.glob(prefix + "*"):
        if other != keep and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def read_snapshot(path: Path) -> Frames | None:
    """The frames of a snapshot, or None when there is none (or it cannot be read)."""
    if not path.is_dir():
        return None
    try:
        out = []
        for name in FRAMES:
            # Memory-mapped: the text stays in the page cache, shared, not copied.
            table = ipc.open_file(pa.memory_map(str(path / f"{name}.arrow"))).read_all()
            columns = {}
            for field in table.schema:
                meta = {k.decode(): v.decode() for k, v in (field.metadata or {}).items()}
                columns[field.name] = _column_from_arrow(
                    table.column(field.name), meta.get("kind", "numpy"), meta.get("na", "na")
                )
            out.append(pd.DataFrame(columns))
        return out[0], out[1], out[2], out[3]
    except (OSError, pa.ArrowException, ValueError, KeyError) as exc:
        log.warning("could not read the snapshot %s (%s): reading the store", path, exc)
        return None


def latest_snapshot(store_id: str) -> tuple[int, Path] | None:
    """The revision and folder of the newest snapshot of a store in this layout, if any."""
    best: tuple[int, Path] | None = None
    for path in cache_dir().glob(f"events-{store_id}-r*-v{LAYOUT}"):
        try:
            rev = int(path.name.rsplit("-r", 1)[1].split("-v")[0])
        except ValueError:
            continue
        if path.is_dir() and (best is None or rev > best[0]):
            best = (rev, path)
    return best
