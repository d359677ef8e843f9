"""Many entries -> events, in worker processes when there are many.

Labelling costs ~0.25 ms an entry; an archive of 1M entries is minutes of CPU, so from
``PARALLEL_MIN_ENTRIES`` entries the work is shared by one forked worker per CPU. The
result is the same either way, in the same order.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from intl_metrics.enrich import enrich
from intl_metrics.enrich.places import Gazetteer
from intl_metrics.schema import Entry, Event

__all__ = ["PARALLEL_MIN_ENTRIES", "label_entries"]

log = logging.getLogger(__name__)

CHUNK = 5_000  # entries labelled between two progress reports
# From this many entries they are labelled in workers. Forking costs a few ms; a worker
# labels ~4,000 entries/s.
PARALLEL_MIN_ENTRIES = 10_000

# What forked workers read, inherited from the parent: nothing is sent to them.
_job: tuple[Sequence[Entry], Gazetteer] | None = None


def _label(entries: Sequence[Entry], gaz: Gazetteer) -> list[Event]:
    return [enrich(e, gaz) for e in entries]


def _label_chunk(span: tuple[int, int]) -> list[Event]:
    """Worker side: label entries[start:stop]."""
    assert _job is not None, "only called in a worker forked by _in_workers"
    entries, gaz = _job
    return _label(entries[span[0] : span[1]], gaz)


def workers() -> int:
    """How many worker processes to fork: one per CPU this process may use (Linux only)."""
    if sys.platform != "linux":  # fork is the only start method that fits (see below)
        return 1
    return len(os.sched_getaffinity(0))


def _in_workers(
    entries: Sequence[Entry], gaz: Gazetteer, spans: list[tuple[int, int]]
) -> Iterator[list[Event]]:
    """Each span labelled in forked processes, one per CPU; results in span order.

    Fork, not spawn or forkserver: the workers inherit the entries and the gazetteer
    (nothing to pickle on the way in, nothing to load), and no one re-imports the
    caller's main script. The dashboard forks from a thread of a multi-threaded server,
    which is safe here because a worker runs only the pure-Python labellers: no lock
    another thread may hold, no I/O, no database connection.
    """
    global _job
    _job = (entries, gaz)
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns on any fork with threads
            warnings.filterwarnings("ignore", "This process .* use of fork", DeprecationWarning)
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(workers(), mp_context=ctx) as pool:
                yield from pool.map(_label_chunk, spans)
    finally:
        _job = None


def label_entries(
    entries: Sequence[Entry],
    gazetteer: Gazetteer | None = None,
    progress: Callable[[float], None] | None = None,
    *,
    parallel: bool = True,
) -> list[Event]:
    """Label entries, in order; in worker processes when there are many.

    ``progress`` gets the fraction done after each chunk. When processes cannot be
    started, the work is done in this process.
    """
    gaz = gazetteer or Gazetteer.default()
    spans = [(i, i + CHUNK) for i in range(0, len(entries), CHUNK)]
    if parallel and workers() > 1 and len(entries) >= PARALLEL_MIN_ENTRIES:
        out: list[Event] = []
        try:
            for chunk in _in_workers(entries, gaz, spans):
                out.extend(chunk)
                if progress:
                    progress(len(out) / len(entries))
            return out
        except (BrokenProcessPool, OSError) as exc:  # no processes here: work in this one
            log.warning("labelling in worker processes failed (%s); labelling here", exc)
    out = []
    for a, b in spans:
        out.extend(_label(entries[a:b], gaz))
        if progress:
            progress(len(out) / len(entries))
    return out
