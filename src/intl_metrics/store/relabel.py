"""Re-run the labellers on the stored entries after a rules change, in one transaction."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from intl_metrics.schema import Entry, Source
from intl_metrics.store.db import Store
from intl_metrics.store.ingestion import _as_date, _chunks, dumps, label_row
from intl_metrics.store.models import Entry as EntryRow
from intl_metrics.store.models import Event as EventRow
from intl_metrics.store.models import Label

__all__ = ["LABEL_FIELDS", "RelabelReport", "relabel"]

Progress = Callable[[float, str], None]

# The labels a person reads, counted and audited one by one. Evidence is stored with the
# labels and counted, but its old and new spans are not copied into the audit.
LABEL_FIELDS: tuple[str, ...] = (
    "format",
    "activity",
    "themes",
    "partners",
    "countries",
    "organisations",
    "projects",
    "needs_review",
)
_STORED = (*LABEL_FIELDS, "evidence")


@dataclass
class RelabelReport:
    """What a relabel changed (or, in a dry run, would change), per field."""

    rules_version: str
    events: int = 0
    changed_events: int = 0
    per_field: dict[str, int] = field(default_factory=dict)
    previous_versions: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    revision: int | None = None
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The report as the CLI prints it."""
        would = " would" if self.dry_run else ""
        versions = ", ".join(f"{v} ({n:,})" for v, n in sorted(self.previous_versions.items()))
        out = [
            f"rules version {self.rules_version}; labels were made by {versions or 'none'}",
            f"{self.events:,} stored entries relabelled: {self.changed_events:,}{would} change",
        ]
        out += [f"  {name:<14} {self.per_field.get(name, 0):>9,}" for name in _STORED]
        return out


@dataclass
class _Current:
    entry_id: int
    entry: Entry
    labels: dict[str, Any]
    rules_version: str


def _current(conn: Connection) -> dict[str, _Current]:
    rows = conn.execute(
        sa.select(
            EntryRow.event_id,
            EntryRow.id,
            EntryRow.start_date,
            EntryRow.end_date,
            EntryRow.title,
            EntryRow.description,
            EntryRow.language,
            EventRow.source_name,
            EventRow.line,
            Label.rules_version,
            *(getattr(Label, f) for f in _STORED),
        )
        .join(EventRow, EventRow.id == EntryRow.event_id)
        .join(Label, (Label.event_id == EntryRow.event_id) & Label.current)
        .where(EntryRow.current)
        .order_by(EntryRow.id)
    )
    out: dict[str, _Current] = {}
    for r in rows:
        entry = Entry(_as_date(r[2]), _as_date(r[3]), r[4], r[5], r[6], Source(r[7], r[8]))
        labels = {
            f: (bool(v) if f == "needs_review" else v) for f, v in zip(_STORED, r[10:], strict=True)
        }
        out[r[0]] = _Current(r[1], entry, labels, r[9])
    return out


def _differ(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [f for f in _STORED if old[f] != new[f]]


def relabel(
    store: Store, who: str, *, dry_run: bool = False, progress: Progress | None = None
) -> RelabelReport:
    """Label every stored entry again and store what changed, all in one transaction.

    The labelling (minutes at 1M entries) runs on a consistent read of the store before
    the write transaction; inside it, any entry that another writer changed meanwhile
    is labelled again there, so the result is as if all of it ran in the transaction.
    """
    from intl_metrics.enrich import rules_version
    from intl_metrics.labelling import label_entries

    t0 = time.perf_counter()
    version = rules_version()
    report = RelabelReport(version, dry_run=dry_run)
    if progress:
        progress(0.0, "Reading the stored entries")
    with store.read() as conn:
        before = _current(conn)
    ids = list(before)

    def step(fraction: float) -> None:
        if progress:
            progress(0.05 + 0.85 * fraction, f"Labelling: {fraction:.0%}")

    events = label_entries([before[i].entry for i in ids], progress=step)
    fresh = {eid: label_row(ev) for eid, ev in zip(ids, events, strict=True)}
    labelled_from = {eid: before[eid].entry_id for eid in ids}

    def tally(current: dict[str, _Current]) -> dict[str, list[str]]:
        report.events = len(current)
        report.previous_versions = dict(Counter(c.rules_version for c in current.values()))
        changes = {}
        for eid, cur in current.items():
            differ = _differ(cur.labels, fresh[eid])
            if differ:
                changes[eid] = differ
        counts = Counter(f for fs in changes.values() for f in fs)
        report.per_field = {f: counts.get(f, 0) for f in _STORED}
        report.changed_events = sum(1 for fs in changes.values() if set(fs) & set(LABEL_FIELDS))
        return changes

    if dry_run:
        tally(before)
        report.seconds = time.perf_counter() - t0
        return report
    if progress:
        progress(0.9, "Writing the labels")
    with store.write(who, "relabel") as w:
        now = _current(w.conn)
        stale = [
            eid for eid, c in now.items() if labelled_from.get(eid) != c.entry_id
        ]  # changed or added by another writer since the read: label them here
        if stale:
            again = label_entries([now[e].entry for e in stale], parallel=False)
            fresh.update({e: label_row(ev) for e, ev in zip(stale, again, strict=True)})
        changes = tally(now)
        changed_ids = list(changes)
        for chunk in _chunks(changed_ids):
            w.conn.execute(
                sa.update(Label)
                .where(Label.event_id.in_(chunk), Label.current)
                .values(current=False)
            )
            w.conn.execute(  # what load shows of them changed at this revision
                sa.update(EventRow).where(EventRow.id.in_(chunk)).values(revision=w.revision)
            )
        for chunk in _chunks(changed_ids, 10_000):
            w.conn.execute(
                sa.insert(Label),
                [
                    {
                        "event_id": eid,
                        "entry_id": now[eid].entry_id,
                        "rules_version": version,
                        **fresh[eid],
                        "current": True,
                        "revision": w.revision,
                        "labelled_at": w.now,
                    }
                    for eid in chunk
                ],
            )
        # Labels the new rules gave again unchanged are now this version's too.
        w.conn.execute(
            sa.update(Label)
            .where(Label.current, Label.rules_version != version)
            .values(rules_version=version)
        )
        w.audit(
            "relabel",
            new=dumps(
                {
                    "rules_version": version,
                    "events": report.events,
                    "changed_events": report.changed_events,
                    "per_field": report.per_field,
                    "previous_versions": report.previous_versions,
                }
            ),
            note="the labellers ran again on every stored entry",
        )
        for eid, fields in changes.items():
            for f in fields:
                if f in LABEL_FIELDS:
                    w.audit(
                        "relabel",
                        event_id=eid,
                        field=f,
                        old=dumps(now[eid].labels[f]),
                        new=dumps(fresh[eid][f]),
                        note=f"rules version {version}",
                    )
        report.revision = w.revision
    if progress:
        progress(1.0, f"{report.changed_events:,} events relabelled")
    report.seconds = time.perf_counter() - t0
    return report
