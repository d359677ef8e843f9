"""What the *Add agenda* page shows before anything is written, and the write it confirms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from intl_metrics.schema import Event
from intl_metrics.store.db import Store
from intl_metrics.store.ingestion import Document, IngestReport, Parsed, ingest, parse_document

__all__ = ["Preview", "make_preview", "preview_rows", "write_preview"]

Progress = Callable[[float, str], None]


@dataclass
class Preview:
    """A document parsed and labelled, and what ingesting it would change in the store."""

    document: Document
    parsed: Parsed
    labelled: dict[str, Event]
    report: IngestReport  # a dry run against the store as it was when previewed


def make_preview(store: Store, doc: Document, progress: Progress | None = None) -> Preview:
    """Parse and label a document and diff it with the store; writes nothing."""
    from intl_metrics.labelling import label_entries

    if progress:
        progress(0.0, f"Reading {doc.name}")
    parsed = parse_document(doc)

    def step(fraction: float) -> None:
        if progress:
            progress(0.05 + 0.9 * fraction, f"Labelling {doc.name}: {fraction:.0%}")

    events = label_entries(parsed.entries, progress=step)
    report = ingest(store, doc, "preview", dry_run=True, parsed=parsed)
    if progress:
        progress(1.0, report.summary())
    return Preview(doc, parsed, dict(zip(parsed.ids, events, strict=True)), report)


def preview_rows(preview: Preview) -> list[dict[str, Any]]:
    """One row per parsed event: what would happen to it, where it is, and its labels."""
    change = {c.id: "new" for c in preview.report.new}
    change |= {c.id: "changed: " + ", ".join(c.fields) for c in preview.report.changed}
    change |= {c.id: "restored" for c in preview.report.restored}
    rows = []
    for eid, entry in zip(preview.parsed.ids, preview.parsed.entries, strict=True):
        ev = preview.labelled[eid]
        rows.append(
            {
                "change": change.get(eid, "unchanged"),
                "line": entry.source.line,
                "start": entry.start_date,
                "end": entry.end_date,
                "title": entry.title,
                "format": ev.format,
                "activity": ev.activity,
                "themes": ", ".join(ev.themes),
                "partners": ", ".join(p.name for p in ev.partners),
                "countries": ", ".join(ev.countries),
                "description": entry.description,
                "id": eid,
            }
        )
    return rows


def write_preview(
    store: Store, preview: Preview, who: str, progress: Progress | None = None
) -> IngestReport:
    """Write a previewed document: one transaction, checked and audited like any ingest.

    The diff is made again inside the transaction, so what another writer did since the
    preview is taken into account; the labels computed for the preview are reused.
    """
    return ingest(
        store,
        preview.document,
        who,
        progress=progress,
        parsed=preview.parsed,
        labelled=preview.labelled,
    )
