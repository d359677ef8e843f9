"""Parse and label many entries in forked worker processes, one per CPU.

The machinery ``intl-metrics parse`` writes its output with and the store ingests and
relabels with: a text is cut into pieces (``parse.cut_points``) that workers parse and
label, or parsed entries are labelled by workers in chunks (``label_entries``). What a
worker sends back for a run of labelled entries is the caller's choice
(``Job.convert``): events, output lines for the command line. No pandas here, so the
command line starts quickly.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from intl_metrics.enrich import enrich_all
from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.parse import cut_points, parse_text
from intl_metrics.schema import Entry, Event, ParseWarning

__all__ = [
    "CHUNK",
    "PARALLEL_MIN_CHARS",
    "PARALLEL_MIN_ENTRIES",
    "PIECE_CHARS",
    "Job",
    "in_workers",
    "label_chunk",
    "label_entries",
    "labelled_chunks",
    "parse_piece",
    "pieces",
    "workers",
]

log = logging.getLogger(__name__)

_T = TypeVar("_T")

CHUNK = 5_000  # entries labelled between two progress reports
# A large file is read in worker processes, one per CPU: from this many characters
# its text is cut into pieces of about PIECE_CHARS that workers parse and label (when
# its dates allow it, see parse.cut_points); from this many entries parsed in one go,
# they are labelled in workers. Forking costs a few ms; a worker labels ~5,000 entries/s.
# A piece is about a thousand entries, a fifth of a second of work: at the end, one
# worker labels the last piece while the other has nothing left, so pieces are kept
# small (each costs a task message and its results pickled back, a few ms).
PARALLEL_MIN_CHARS = 2_000_000
PARALLEL_MIN_ENTRIES = 10_000
PIECE_CHARS = 250_000

Convert = Callable[[Sequence[Entry], Gazetteer], list[Any]]


@dataclass
class Job:
    """What forked workers read, inherited from the parent: nothing is sent to them."""

    file: str
    gaz: Gazetteer
    # What a worker sends back for a run of entries it labels: rows for the frames
    # (load), output lines (the command line), events ...
    convert: Convert
    text: str = ""  # the file's text, cut into pieces that workers parse and label
    entries: Sequence[Entry] = ()  # or its entries, parsed already, labelled in chunks


_job: Job | None = None  # set just before the workers are forked


def parse_piece(piece: tuple[int, int, int]) -> tuple[list[Any], list[ParseWarning]] | None:
    """Worker side: parse and label text[start:stop]; None if it needs the whole text."""
    assert _job is not None, "only called in a worker forked by in_workers"
    start, stop, first_line = piece
    result = parse_text(_job.text[start:stop], _job.file, first_line=first_line)
    if result.borrowed_years:
        return None
    return _job.convert(result.entries, _job.gaz), result.warnings


def label_chunk(span: tuple[int, int]) -> list[Any]:
    """Worker side: label entries[start:stop]."""
    assert _job is not None, "only called in a worker forked by in_workers"
    return _job.convert(_job.entries[span[0] : span[1]], _job.gaz)


def workers() -> int:
    """How many worker processes to fork: one per CPU this process may run on."""
    if sys.platform != "linux":  # fork is the only start method that fits (see below)
        return 1
    return len(os.sched_getaffinity(0))


def in_workers(job: Job, work: Callable[[Any], _T], tasks: list[Any]) -> Iterator[_T]:
    """``work`` of each task in forked processes, one per CPU; results in task order.

    Fork, not spawn or forkserver: the workers inherit the text or entries and the
    gazetteer (nothing to pickle on the way in, nothing to load), and no one
    re-imports the caller's main script. The dashboard forks from a thread of a
    multi-threaded server, which is safe here because a worker runs only the
    pure-Python parser and labellers: no lock another thread may hold, no I/O.
    """
    global _job
    _job = job
    # The workers inherit the gazetteer's millions of objects: frozen, the garbage
    # collector leaves them alone there (its passes over them cost a tenth of the
    # labelling, and writing their headers would copy their pages into every worker).
    gc.freeze()
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns on any fork with threads
            warnings.filterwarnings("ignore", "This process .* use of fork", DeprecationWarning)
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers(), mp_context=ctx) as pool:
                results = pool.map(work, tasks)  # forks every worker now
                job.text = ""  # the workers have their copy: let this one go
                gc.unfreeze()  # (here, in the parent: its objects are collectable again)
                yield from results
    finally:
        gc.unfreeze()
        _job = None


def pieces(text: str) -> list[tuple[int, int, int]]:
    """(start, stop, first line) of the pieces a large text is parsed in."""
    count = max(4 * workers(), len(text) // PIECE_CHARS)
    cuts = cut_points(text, count)
    bounds = [*(c[0] for c in cuts[1:]), len(text)]
    return [(start, stop, line) for (start, line), stop in zip(cuts, bounds, strict=True)]


def labelled_chunks(
    text: str,
    file: str,
    convert: Callable[[Sequence[Entry], Gazetteer], list[_T]],
    gazetteer: Gazetteer | None = None,
) -> Iterator[tuple[list[_T], list[ParseWarning]]]:
    """A text's entries labelled and converted, chunk by chunk in file order, each chunk
    with the parse warnings found since the last one.

    A large text is parsed and labelled in pieces by worker processes (as load does);
    should a piece need the whole text (a date that borrows its year from another
    piece) or the workers fail, the rest is parsed whole here, from where the pieces
    given so far ended, and labelled in chunks (in workers when many).
    """
    gaz = gazetteer or Gazetteer.default()
    first_line = 1  # entries from this line on are still to give
    if workers() > 1 and len(text) >= PARALLEL_MIN_CHARS:
        tasks = pieces(text)
        given = 0
        try:
            for done in in_workers(Job(file, gaz, convert, text=text), parse_piece, tasks):
                if done is None:  # a date takes its year from entries in another piece
                    break
                given += 1
                yield done
        except (BrokenProcessPool, OSError) as exc:  # no processes here: work in this one
            log.warning("reading %s in worker processes failed (%s)", file, exc)
        if given == len(tasks):
            return
        first_line = tasks[given][2]
    result = parse_text(text, file)
    entries = [e for e in result.entries if e.source.line >= first_line]
    found = [w for w in result.warnings if w.source.line >= first_line]
    spans = [(i, i + CHUNK) for i in range(0, len(entries), CHUNK)] or [(0, 0)]
    chunks: Iterable[list[_T]]
    if workers() > 1 and len(entries) >= PARALLEL_MIN_ENTRIES:
        chunks = in_workers(Job(file, gaz, convert, entries=entries), label_chunk, spans)
    else:
        chunks = (convert(entries[a:b], gaz) for a, b in spans)
    given = 0
    try:
        for chunk in chunks:
            yield chunk, found
            found = []
            given += 1
        return
    except (BrokenProcessPool, OSError) as exc:  # the rest in this process
        log.warning("labelling %s in worker processes failed (%s)", file, exc)
    for a, b in spans[given:]:
        yield convert(entries[a:b], gaz), found
        found = []


def _events(entries: Sequence[Entry], gaz: Gazetteer) -> list[Event]:
    return enrich_all(entries, gaz)


def label_entries(
    entries: Sequence[Entry],
    gazetteer: Gazetteer | None = None,
    progress: Callable[[float], None] | None = None,
    *,
    parallel: bool = True,
) -> list[Event]:
    """Entries labelled as events, in order; in worker processes when there are many.

    ``progress`` gets the fraction done after each chunk. When processes cannot be
    started, the work is done in this process; the result is the same either way.
    """
    gaz = gazetteer or Gazetteer.default()
    spans = [(i, i + CHUNK) for i in range(0, len(entries), CHUNK)]
    out: list[Event] = []
    if parallel and workers() > 1 and len(entries) >= PARALLEL_MIN_ENTRIES:
        try:
            job = Job("", gaz, _events, entries=entries)
            for chunk in in_workers(job, label_chunk, spans):
                out.extend(chunk)
                if progress:
                    progress(len(out) / len(entries))
            return out
        except (BrokenProcessPool, OSError) as exc:  # no processes here: work in this one
            log.warning("labelling in worker processes failed (%s); labelling here", exc)
            out = []
    for a, b in spans:
        out.extend(_events(entries[a:b], gaz))
        if progress:
            progress(len(out) / len(entries))
    return out
